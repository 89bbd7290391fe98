"""Python's cyclic garbage collection, moved onto the UI thread.

CPython runs its cycle collector in whichever thread happens to allocate when a threshold is
crossed. With the database worker allocating constantly, that is often the worker thread; and
when a cycle holds a Qt object (a window referenced from an exception's traceback, a lambda
that captured `self`), the collector deletes that widget off the UI thread and the app crashes
later in some unrelated layout code. So automatic collection is switched off while the app
runs, and a timer on the UI thread collects instead, generation by generation, using the same
thresholds Python would have used.
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

logger = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 500


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect what is left here, then give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = level
            else:
                break
        if generation >= 0:
            gc.collect(generation)
