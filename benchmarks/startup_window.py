"""The start-up benchmark's baseline: the same Python showing a bare PySide6 window.

Run as `python -m benchmarks.startup_window`. It prints "first-paint <time.monotonic()>" once the
window has handled its first paint event and quits, exactly as the app does for the unlock
window under PREVENT_DESKTOP_EXIT_AFTER_FIRST_PAINT=1 (see prevent_desktop.app).
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class FirstPaintProbe(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"first-paint {time.monotonic():.6f}", flush=True)
        QCoreApplication.quit()


def main() -> int:
    application = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("Baseline")
    window.installEventFilter(FirstPaintProbe(application))
    window.show()
    return application.exec()


if __name__ == "__main__":
    sys.exit(main())
