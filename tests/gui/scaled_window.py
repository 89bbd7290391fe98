"""Run by tests/gui/test_accessibility.py in a process of its own (QT_SCALE_FACTOR=2 must be
set before Qt starts): the main window and its main dialogs on a demo database, at 200%.

    QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen:configfile=screen.json \\
        python -m tests.gui.scaled_window DATA_DIR SHOTS_DIR

The screen config gives the offscreen platform a 1366×768 laptop screen, so at 200% Qt sees
683×384 points. For every tab and dialog this prints (as JSON on stdout) the minimum size it
asks for, in points, and saves a screenshot of it laid out on that screen as
SHOTS_DIR/scaled_<name>.png.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QSize
from PySide6.QtWidgets import QApplication, QDialog

PASSPHRASE = "river otter lantern 7"


def settle(application: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        application.processEvents()
        time.sleep(0.01)


def wait_for(application: QApplication, done: Callable[[], bool], seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the window did not finish loading")
        application.processEvents()
        time.sleep(0.01)


def size(value: QSize) -> list[int]:
    return [value.width(), value.height()]


def main(data_dir: Path, shots: Path) -> int:
    os.environ.setdefault("PREVENT_DESKTOP_KDF", "fast")
    QLocale.setDefault(QLocale("en_GB"))
    application = QApplication([])

    from keyring.backends import fail

    from prevent_desktop import paths
    from prevent_desktop.services.demo import build_demo
    from prevent_desktop.services.workspace import Workspace
    from prevent_desktop.store.keychain import Keychain
    from prevent_desktop.ui.main_window import MainWindow
    from prevent_desktop.ui.tabs.concern_log import ConcernLogTab
    from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
    from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
    from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab
    from prevent_desktop.ui.threat_level_dialog import ThreatLevelDialog
    from prevent_desktop.ui.worker import DatabaseWorker

    paths.set_data_dir(data_dir)
    shots.mkdir(parents=True, exist_ok=True)
    database = data_dir / "demo.db"
    build_demo(database, PASSPHRASE).close()
    # The safeguarding lead sees every tab in full and may edit the register, training and
    # plans; the manager's threat level dialog has the form to record a change.
    lead, _kek = Workspace.sign_in(database, "pshah", PASSPHRASE)
    manager, _kek = Workspace.sign_in(database, "amorgan", PASSPHRASE)
    worker = DatabaseWorker()
    screen = application.primaryScreen().availableGeometry().size()
    report: dict[str, object] = {
        "screen": size(screen),
        "device_pixel_ratio": application.primaryScreen().devicePixelRatio(),
        "tabs": {},
        "dialogs": {},
    }

    window = MainWindow(worker, lead, Keychain(backend=fail.Keyring()))
    window.resize(screen)
    window.show()
    wait_for(application, lambda: window.status_panel.threat_badge.level is not None)
    settle(application, 1.5)
    report["window_minimum"] = size(window.minimumSizeHint())
    report["menu_bar_minimum"] = size(window.menuBar().minimumSizeHint())
    report["status_bar_minimum"] = size(window.statusBar().minimumSizeHint())
    tabs: dict[str, object] = {}
    for tab in window.tabs:
        window.ui.tabs.setCurrentWidget(tab)
        settle(application, 0.3)
        chrome = window.size() - tab.size()
        tabs[type(tab).__name__] = {
            "title": tab.title,
            "minimum": size(tab.minimumSizeHint().expandedTo(tab.minimumSize())),
            "chrome": size(chrome),
            "window": size(window.size()),
        }
        window.grab().save(str(shots / f"scaled_{type(tab).__name__}.png"))
    report["tabs"] = tabs

    dialogs: dict[str, object] = {}

    def measure(name: str, dialog: QDialog | None) -> None:
        assert dialog is not None, f"{name} did not open"
        settle(application, 1.0)
        dialog.resize(dialog.size().boundedTo(screen))
        settle(application, 0.2)
        dialogs[name] = {
            "minimum": size(dialog.minimumSizeHint().expandedTo(dialog.minimumSize())),
            "shown": size(dialog.size()),
        }
        dialog.grab().save(str(shots / f"scaled_{name}.png"))
        dialog.reject()
        settle(application, 0.2)

    register = window.tab_of(RiskRegisterTab)
    assert register is not None
    window.show_tab(register)
    register.table.selectRow(0)
    measure("risk_editor", register.edit_risk())
    log = window.tab_of(ConcernLogTab)
    assert log is not None
    window.show_tab(log)
    measure("concern_report", log.log_concern())
    matrix = window.tab_of(TrainingMatrixTab)
    assert matrix is not None
    window.show_tab(matrix)
    settle(application, 0.3)
    cell = matrix.open_cell(matrix.proxy.index(0, 0))
    assert cell is not None
    settle(application, 1.0)
    record = cell.add_record()  # type: ignore[attr-defined]
    measure("training_record", record)
    measure("training_cell", cell)
    plans = window.tab_of(IncidentPlanTab)
    assert plans is not None
    window.show_tab(plans)
    measure("incident_plan_editor", plans.edit_plan())
    measure("users", window.open_users())
    threat = ThreatLevelDialog(worker, manager, window)
    threat.show()
    measure("threat_level", threat)
    report["dialogs"] = dialogs

    window.close()
    worker.shutdown()
    lead.close()
    manager.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
