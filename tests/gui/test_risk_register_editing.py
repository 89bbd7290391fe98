"""The Risk register tab's writes: the risk editor, reviews, the action plan, delete, and
what staff may not do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.risk import ActionStatus, RiskStatus
from prevent_desktop.domain.strategy import Objective, StrategyArea
from prevent_desktop.errors import PermissionDenied
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import RiskInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.tabs import risk_register
from prevent_desktop.ui.tabs.action_editor import ActionEditorDialog
from prevent_desktop.ui.tabs.review_history import ReviewTableModel
from prevent_desktop.ui.tabs.risk_editor import RiskEditorDialog
from prevent_desktop.ui.tabs.risk_register import DELETE_NOTE, RiskRegisterTab
from prevent_desktop.ui.tabs.risk_table_model import ActionTableModel, RiskTableModel
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.risk_support import buttons_shown, select, show_register, visible_references
from tests.gui.shell_support import Screenshot, drain, show_main_window, sign_in


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker) -> RiskRegisterTab:
    return show_register(qtbot, worker, workspace)


def test_add_a_risk_through_the_editor(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    dialog = tab.add_risk()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.title_edit, "Radicalisation through gaming chat groups")
    dialog.description_edit.setPlainText("Learners are drawn into extremist chat while gaming.")
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData(StrategyArea.TEACHING_LEARNING))
    category = workspace.risks.categories()[2]
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData(category.id))
    dialog.objective_checks[Objective.APPRENTICE_SAFETY].setChecked(True)
    qtbot.keyClicks(dialog.owner_edit, "IT lead")
    dialog.inherent.set_values(4, 5)
    dialog.residual.set_values(2, 4)
    assert dialog.inherent.score_label.text() == "= 20  Red"
    assert dialog.residual.score_label.text() == "= 8  Amber"
    dialog.controls_edit.setPlainText("Web filtering logs reviewed weekly")
    review_on = date.today() + timedelta(days=40)
    dialog.next_review_edit.setDate(QDate(review_on.year, review_on.month, review_on.day))
    screenshot(dialog, "risk_editor")

    assert dialog.save_button is not None
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not shiboken6.isValid(dialog)  # saved, closed and deleted
    assert "R-011" in visible_references(tab)
    added = next(r for r in workspace.risks.list_risks() if r.reference == "R-011")
    assert added.title == "Radicalisation through gaming chat groups"
    assert (added.inherent_score, added.residual_score) == (20, 8)
    assert added.objectives == (Objective.APPRENTICE_SAFETY,)
    assert added.category_id == category.id and added.owner == "IT lead"
    assert added.next_review_on == review_on
    # The new risk is selected, ready for its action plan.
    assert tab.selected_risk() is not None and tab.selected_risk().id == added.id


def test_missing_owner_is_explained_in_the_form(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    dialog = tab.add_risk()
    assert dialog is not None and dialog.save_button is not None
    qtbot.waitExposed(dialog)
    # An empty new form is not yet an error, but it cannot be saved.
    assert not dialog.save_button.isEnabled()
    assert not dialog.title_hint.isVisible() and not dialog.owner_hint.isVisible()
    qtbot.keyClicks(dialog.title_edit, "A risk with no owner")
    assert not dialog.save_button.isEnabled()
    assert dialog.save_button.toolTip() == "Fill in the owner first."
    # Typing an owner and deleting it again flags the field where the person is typing.
    qtbot.keyClicks(dialog.owner_edit, "IT")
    assert dialog.save_button.isEnabled()
    dialog.owner_edit.selectAll()
    qtbot.keyClick(dialog.owner_edit, Qt.Key.Key_Backspace)
    assert dialog.owner_hint.isVisible() and dialog.owner_hint.text() == "⚠ Required"
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.owner_edit, "   ")  # blanks are not an owner
    assert dialog.owner_hint.isVisible() and not dialog.save_button.isEnabled()
    # Emptying the title too names both.
    dialog.title_edit.selectAll()
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Delete)
    assert dialog.title_hint.isVisible()
    assert dialog.save_button.toolTip() == "Fill in the title and the owner first."
    qtbot.keyClicks(dialog.title_edit, "A risk with no owner")
    assert not dialog.title_hint.isVisible()

    # The service still has the last word; its message appears in the form.
    dialog.save()
    qtbot.waitUntil(lambda: "owner" in dialog.message.text())
    assert dialog.message.text() == "⚠ Every risk needs an owner."
    assert dialog.isVisible() and dialog.isEnabled()
    assert len(workspace.risks.list_risks()) == 10

    qtbot.keyClicks(dialog.owner_edit, "IT lead")
    assert dialog.save_button.isEnabled() and not dialog.owner_hint.isVisible()
    assert dialog.save_button.toolTip() == ""
    dialog.reject()


def test_an_existing_risk_can_be_saved_at_once(tab: RiskRegisterTab) -> None:
    select(tab, "R-001")
    dialog = tab.edit_risk()
    assert dialog is not None and dialog.save_button is not None
    assert dialog.save_button.isEnabled() and dialog.missing() == []
    dialog.reject()


def test_edit_changes_the_selected_risk(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    select(tab, "R-004")
    dialog = tab.edit_risk()
    assert dialog is not None and dialog.save_button is not None
    dialog.owner_edit.setText("Curriculum lead")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(RiskStatus.MONITORING))
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.save_button.click()
    risk = next(r for r in workspace.risks.list_risks() if r.reference == "R-004")
    assert (risk.owner, risk.status) == ("Curriculum lead", RiskStatus.MONITORING)
    assert tab.selected_risk() is not None and tab.selected_risk().reference == "R-004"


def test_duplicate_and_close(qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace) -> None:
    select(tab, "R-002")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.duplicate_button.click()
    copy = next(r for r in workspace.risks.list_risks() if r.reference == "R-011")
    assert copy.title.endswith("(copy)")
    select(tab, "R-011")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.close_button.click()
    assert workspace.risks.get_risk(copy.id).status is RiskStatus.CLOSED
    assert not tab.close_button.isEnabled()


def test_record_a_review(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    select(tab, "R-005")
    risk = tab.selected_risk()
    assert risk is not None
    dialog = tab.record_review()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.history_label.text() == "No earlier reviews.")
    # A comment is required: the service's message appears in the form.
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "comment is required" in dialog.message.text())
    dialog.comment_edit.setPlainText("Filtering tested with the IT provider; alerts reach the DSL.")
    dialog.rescore_check.setChecked(True)
    dialog.residual.set_values(1, 4)
    screenshot(dialog, "risk_review")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.save_button.click()
    reviewed = workspace.risks.get_risk(risk.id)
    assert [r.comment for r in reviewed.reviews] == [
        "Filtering tested with the IT provider; alerts reach the DSL."
    ]
    assert (reviewed.reviews[0].residual_before, reviewed.reviews[0].residual_after) == (8, 4)
    assert reviewed.last_reviewed_by == "Sam Patel"
    # The history shows in the next review's dialog.
    again = tab.record_review()
    assert again is not None
    qtbot.waitUntil(lambda: again.history_model.rowCount() == 1)
    assert again.history_label.text() == "Earlier reviews (1):"
    again.reject()


def test_add_an_overdue_action_through_the_gui(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    select(tab, "R-001")
    panel = tab.actions_panel
    assert panel.title().startswith("Action plan for R-001")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(ActionEditorDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.description_edit.setPlainText("Brief governors on the Prevent duty")
    qtbot.keyClicks(dialog.owner_edit, "Sam Patel")
    due = date.today() - timedelta(days=2)
    dialog.due_edit.setDate(QDate(due.year, due.month, due.day))
    with qtbot.waitSignal(tab.title_changed, timeout=10_000) as title:
        dialog.save_button.click()
    assert title.args == ["Risk register (⚠ 1)"]
    risk = workspace.risks.get_risk(tab.selected_risk().id)  # type: ignore[union-attr]
    assert [a.description for a in risk.actions] == ["Brief governors on the Prevent duty"]
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, ActionTableModel.DUE).data() == f"{due:%d/%m/%Y}  ⚠ overdue"
    assert tab.proxy.index(0, tab.model.ACTIONS).data() == "1 open, ⚠ 1 overdue"

    # Marking it done needs a completion date; then nothing is overdue any more.
    panel.view.selectRow(0)
    panel.edit_button.click()
    editor = tab.findChild(ActionEditorDialog)
    assert editor is not None and editor.isVisible()
    editor.status_combo.setCurrentIndex(editor.status_combo.findData(ActionStatus.DONE))
    assert editor.completed_edit.isEnabled()
    with qtbot.waitSignal(tab.title_changed, timeout=10_000) as title:
        editor.save_button.click()
    assert title.args == ["Risk register"]


def test_action_needs_a_description(qtbot: QtBot, tab: RiskRegisterTab) -> None:
    select(tab, "R-001")
    dialog = tab.edit_action(None)
    assert dialog is not None
    qtbot.keyClicks(dialog.owner_edit, "Sam")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Describe the action" in dialog.message.text())
    assert dialog.isVisible()


def test_delete_asks_first(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions: list[tuple[str, str]] = []

    def answer(result: bool):  # type: ignore[no-untyped-def]
        def fake_ask(_parent, _title, text, _action, details=""):  # type: ignore[no-untyped-def]
            questions.append((text, details))
            return result

        return fake_ask

    select(tab, "R-003")
    monkeypatch.setattr(risk_register, "ask", answer(False))
    assert tab.delete_risk() is False
    drain(tab.worker)
    assert len(workspace.risks.list_risks()) == 10
    assert questions[0][0].startswith("Delete R-003 ")
    assert questions[0][1] == DELETE_NOTE

    monkeypatch.setattr(risk_register, "ask", answer(True))
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        assert tab.delete_risk() is True
    assert "R-003" not in [r.reference for r in workspace.risks.list_risks()]
    assert "R-003" not in visible_references(tab)


def test_staff_read_but_do_not_edit(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        tab = show_register(qtbot, worker, tom)
        assert tab.model.rowCount() == 10
        assert buttons_shown(tab) == []
        assert tab.view_button.isVisibleTo(tab)
        panel = tab.actions_panel
        assert not any(
            b.isVisibleTo(tab) for b in (panel.add_button, panel.edit_button, panel.delete_button)
        )
        # Staff may still read a risk in full, in a form they cannot save.
        select(tab, "R-001")
        dialog = tab.edit_risk()
        assert dialog is not None and dialog.save_button is None
        assert not dialog.title_edit.isEnabled()
        dialog.reject()
        assert tab.add_risk() is None and tab.record_review() is None
        # The service refuses whatever the GUI shows.
        risk = tom.risks.list_risks()[0]
        with pytest.raises(PermissionDenied, match="may not change the risk register"):
            tom.risks.update_risk(risk.id, risk.as_input())
        with pytest.raises(PermissionDenied):
            tom.risks.create_risk(
                RiskInput("t", StrategyArea.MANAGING_RISKS, "o", 1, 1, 1, 1, date.today())
            )
        drain(worker)
    finally:
        tom.close()


def test_main_window_shows_the_overdue_count_in_the_tab(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    tab = window.tab_of(RiskRegisterTab)
    assert tab is not None
    index = window.ui.tabs.indexOf(tab)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 10)
    risk = workspace.risks.list_risks()[0]
    past = date.today() - timedelta(days=1)
    change = workspace.risks.update_risk(
        risk.id, RiskInput(**{**risk.as_input().__dict__, "next_review_on": past})
    )
    window.changed.emit(change)
    qtbot.waitUntil(lambda: window.ui.tabs.tabText(index) == "Risk register (⚠ 1)")
    # A write from the tab goes out through the window's broadcast and comes back.
    select(tab, "R-001")
    with qtbot.waitSignal(window.changed, timeout=10_000):
        tab.close_button.click()
    qtbot.waitUntil(lambda: window.ui.tabs.tabText(index) == "Risk register")
    # History… opens the main window's threat level dialog.
    tab.header.history_button.click()
    assert window.findChild(type(window.open_threat_level())) is not None
    window.changed.emit(ChangeSet("threat_level", "create"))
    drain(worker)


def test_staff_see_who_reviewed_a_risk_and_its_history(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, screenshot: Screenshot
) -> None:
    risk = next(r for r in workspace.risks.list_risks() if r.reference == "R-002")
    workspace.risks.record_review(risk.id, comment="Controls checked with the DSL.")
    workspace.risks.record_review(
        risk.id, comment="Filtering <b>tightened</b>.", residual_likelihood=1, residual_impact=2
    )
    reviewed = workspace.risks.get_risk(risk.id)
    assert reviewed.last_reviewed_at is not None
    day = reviewed.last_reviewed_at.astimezone().strftime("%d/%m/%Y")
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        tab = show_register(qtbot, worker, tom)
        row = next(
            row
            for row in range(tab.proxy.rowCount())
            if tab.proxy.index(row, RiskTableModel.REF).data() == "R-002"
        )
        assert tab.proxy.index(row, RiskTableModel.LAST_REVIEWED).data() == day
        never = next(
            row
            for row in range(tab.proxy.rowCount())
            if tab.proxy.index(row, RiskTableModel.REF).data() == "R-003"
        )
        assert tab.proxy.index(never, RiskTableModel.LAST_REVIEWED).data() == "—"

        select(tab, "R-002")
        tab.view_button.click()
        dialog = tab.findChild(RiskEditorDialog)
        assert dialog is not None and dialog.save_button is None
        box = dialog.reviews_box
        assert box is not None and box.isEnabled()
        qtbot.waitUntil(lambda: box.model.rowCount() == 2)
        assert box.last_reviewed_label.text() == f"Last reviewed: {day} by Sam Patel"
        screenshot(dialog, "risk_view_reviews")
        newest = [box.model.index(0, column).data() for column in range(5)]
        assert newest[1:] == [
            "Sam Patel",
            f"{risk.inherent_score} → {risk.inherent_score}",
            f"{risk.residual_score} → 2",
            "Filtering <b>tightened</b>.",
        ]
        assert newest[0].startswith(day)
        assert (
            box.model.index(1, ReviewTableModel.COMMENT).data() == "Controls checked with the DSL."
        )
        dialog.reject()

        # A risk nobody has reviewed says so.
        select(tab, "R-003")
        tab.view_button.click()
        other = next(d for d in tab.findChildren(RiskEditorDialog) if d.isVisible())
        assert other.reviews_box is not None
        qtbot.waitUntil(lambda: other.reviews_box.last_reviewed_label.text() == "Never reviewed")
        assert other.reviews_box.model.rowCount() == 0
        other.reject()
        drain(worker)
    finally:
        tom.close()


def test_a_new_risk_has_no_reviews_box(tab: RiskRegisterTab) -> None:
    dialog = tab.add_risk()
    assert dialog is not None and dialog.reviews_box is None
    dialog.reject()


def test_markup_in_a_title_is_shown_as_typed(
    qtbot: QtBot, tab: RiskRegisterTab, workspace: Workspace
) -> None:
    title = "Chat <b>groups</b> a <!-- b"
    description = "Seen in <i>two</i> groups <!-- more"
    risk = workspace.risks.list_risks()[0]
    data = RiskInput(**{**risk.as_input().__dict__, "title": title, "description": description})
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.on_changed(workspace.risks.update_risk(risk.id, data))
    select(tab, risk.reference)

    def rendered(markup: str) -> str:
        document = QTextDocument()
        document.setHtml(markup)
        return document.toPlainText()

    review = tab.record_review()
    assert review is not None
    assert rendered(review.heading.text()) == f"{risk.reference} {title}"
    review.reject()
    action = tab.edit_action(None)
    assert action is not None
    assert action.heading.textFormat() == Qt.TextFormat.PlainText
    assert action.heading.text() == f"For {risk.reference} {title}"
    action.reject()
    row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(risk.id) or 0, 0)).row()
    tip = tab.proxy.index(row, RiskTableModel.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert rendered(tip) == description
    drain(tab.worker)
