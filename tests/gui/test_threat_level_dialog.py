"""The threat level dialog: managers record a change (audited); everyone else only reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.errors import PermissionDenied
from prevent_desktop.services.site import ThreatLevelEntry
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.models import AuditEntry
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.threat_history_model import ThreatHistoryTableModel
from prevent_desktop.ui.threat_level_dialog import ThreatLevelDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, show_main_window, sign_in


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> MainWindow:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_main_window(qtbot, worker, workspace, memory_keychain)


def _open(qtbot: QtBot, window: MainWindow) -> ThreatLevelDialog:
    window.ui.actionThreatLevel.trigger()
    dialog = window.findChild(ThreatLevelDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def test_shows_the_current_level_its_meaning_and_history(
    qtbot: QtBot, window: MainWindow, screenshot: Screenshot
) -> None:
    dialog = _open(qtbot, window)
    assert dialog.windowTitle() == "Prevent Desktop — National threat level"
    assert dialog.ui.currentBadge.text() == "Substantial"
    assert "an attack is a strong possibility" in dialog.ui.currentMeaningLabel.text()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, ThreatHistoryTableModel.SET_BY).data() == "Sam Patel"
    levels = [dialog.ui.levelCombo.itemText(i) for i in range(dialog.ui.levelCombo.count())]
    assert levels[0] == "Critical — an attack is expected imminently"
    assert levels[-1] == "Low — an attack is unlikely"
    assert dialog.ui.levelCombo.currentData() == "substantial"
    screenshot(dialog, "threat_level_dialog_manager")


def test_manager_records_a_change_that_is_shown_and_audited(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, screenshot: Screenshot
) -> None:
    dialog = _open(qtbot, window)
    ui = dialog.ui
    ui.levelCombo.setCurrentIndex(ui.levelCombo.findData("severe"))
    ui.effectiveDateEdit.setDate(QDate.currentDate().addDays(-2))
    ui.noteEdit.setText("Raised by JTAC after an attack abroad")
    with qtbot.waitSignal(window.changed, timeout=5000) as broadcast:
        qtbot.mouseClick(ui.saveButton, Qt.MouseButton.LeftButton)
    assert broadcast.args[0].record_type == "threat_level"

    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    levels = [dialog.model.index(row, ThreatHistoryTableModel.LEVEL).data() for row in (0, 1)]
    # Dated two days back, but recorded last: in force, and listed first.
    assert levels == ["Severe (in force)", "Substantial"]
    qtbot.waitUntil(lambda: dialog.ui.currentBadge.text() == "Severe")
    qtbot.waitUntil(lambda: "Severe" in window.status_panel.text())
    two_days_ago = (date.today() - timedelta(days=2)).strftime("%d/%m/%Y")
    assert f"since {two_days_ago}" in window.status_panel.text()
    assert ui.noteEdit.text() == ""
    two_days_ago_text = f"Recorded: Severe from {two_days_ago}."
    assert dialog.ui.formMessageLabel.text() == two_days_ago_text
    screenshot(dialog, "threat_level_dialog_after_change")

    current = workspace.site.current_threat_level()
    assert current.level is ThreatLevel.SEVERE
    assert current.note == "Raised by JTAC after an attack abroad"
    assert workspace.database.audit_problems() == []
    with workspace.database.reader() as session:
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "threat_level", AuditEntry.record_id == current.id
            )
        ).all()
    assert [entry.action for entry in audited] == ["create"]


def test_the_date_cannot_be_set_in_the_future(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    edit = dialog.ui.effectiveDateEdit
    assert edit.displayFormat() == "dd/MM/yyyy"
    edit.setDate(QDate.currentDate().addDays(5))
    assert edit.date() == QDate.currentDate()


def test_staff_see_the_level_but_not_the_form_and_the_service_refuses_them(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, screenshot: Screenshot
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        dialog = ThreatLevelDialog(worker, tom)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.loaded)
        assert dialog.ui.formGroup.isHidden()
        assert dialog.ui.viewOnlyLabel.isVisible()
        assert dialog.model.rowCount() == 1
        screenshot(dialog, "threat_level_dialog_staff")

        with pytest.raises(PermissionDenied):
            tom.site.set_threat_level(ThreatLevel.CRITICAL, date.today(), "not allowed")
        assert workspace.site.current_threat_level().level is ThreatLevel.SUBSTANTIAL
    finally:
        tom.close()


def test_a_refusal_is_shown_in_the_dialog_not_a_crash(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker
) -> None:
    # Even if the form were somehow reachable, the service's refusal ends up as a message.
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        dialog = ThreatLevelDialog(worker, tom)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.loaded)
        dialog.ui.formGroup.setVisible(True)
        qtbot.mouseClick(dialog.ui.saveButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.ui.formMessageLabel.isVisible())
        assert "may not change the national threat level" in dialog.ui.formMessageLabel.text()
        assert dialog.ui.saveButton.isEnabled()
    finally:
        tom.close()


def test_history_model(qtmodeltester, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    model = ThreatHistoryTableModel()
    model.set_entries(
        [
            ThreatLevelEntry("b", ThreatLevel.SEVERE, date(2025, 3, 1), "Sam Patel", "Raised"),
            ThreatLevelEntry("a", ThreatLevel.SUBSTANTIAL, date(2024, 1, 9), "", ""),
        ],
        current_id="b",
    )
    qtmodeltester.check(model)
    assert model.index(0, model.DATE).data() == "01/03/2025"
    assert model.index(0, model.LEVEL).data() == "Severe (in force)"
    assert model.index(1, model.LEVEL).data() == "Substantial"
    assert model.index(1, model.SET_BY).data() == "(unknown)"
    assert "highly likely" in model.index(0, model.LEVEL).data(Qt.ItemDataRole.ToolTipRole)
    model.clear()
    assert model.rowCount() == 0
