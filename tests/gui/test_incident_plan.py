"""The Incident plan tab: the plan list and detail, missing-contact warnings, the plan editor
(editing and reordering steps), a drill run from start to close in its log window, what staff
may do, printing, and clearing on lock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidgetItem
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.incident import LogKind, Phase, StepRole
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import incident_log_dialog
from prevent_desktop.ui.tabs.incident_contacts import NOT_FILLED_IN, ContactDialog
from prevent_desktop.ui.tabs.incident_log_dialog import IncidentLogWindow
from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
from prevent_desktop.ui.tabs.incident_plan_editor import TEXT_COLUMN, PlanEditorDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, drain, sign_in


def show_tab(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> IncidentPlanTab:
    tab = IncidentPlanTab(worker, workspace)
    tab.changed.connect(tab.on_changed)  # the main window's broadcast, in miniature
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    tab.titles = titles  # type: ignore[attr-defined]
    qtbot.addWidget(tab)
    tab.resize(1400, 900)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()
    return tab


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker) -> IncidentPlanTab:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_tab(qtbot, worker, workspace)


def select(tab: IncidentPlanTab, title: str) -> str:
    plan = next(p for p in tab.plan_table.plans if p.title == title)
    tab.plan_table.select_plan(plan.id)
    return plan.id


def plan_with_missing_contact(workspace: Workspace) -> Any:
    return next(p for p in workspace.incidents.plans() if p.missing_contacts)


# ---- the list and the detail ---------------------------------------------------------------


def test_plans_list_and_detail(
    qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    plans = workspace.incidents.plans()
    assert tab.plan_table.rowCount() == len(plans) == 10
    first = plans[0]
    assert tab.plan_table.cell_text(0, 0) == first.title
    assert tab.plan_table.cell_text(0, 1) == str(first.version)
    assert tab.plan_table.cell_text(0, 2) == f"{first.next_review_on:%d/%m/%Y}"
    assert tab.plan_table.cell_text(0, 4) == str(len(first.steps))

    plan = plan_with_missing_contact(workspace)
    select(tab, plan.title)
    page = tab.detail.toPlainText()
    assert plan.title in page and plan.scenario.split()[0] in page
    for phase in {s.phase for s in plan.steps}:
        assert phase.label in page
    assert plan.steps[0].text in page and plan.steps[0].role.label in page
    assert f"{plan.missing_contacts[0].name}" in page and NOT_FILLED_IN in page
    # Overdue plus missing in the title: the seeded plans are not overdue yet.
    missing = {c.id for c in workspace.incidents.missing_contacts() if c.used_by}
    assert tab.titles[-1] == f"Incident plan (⚠ {len(missing)})"  # type: ignore[attr-defined]
    tab.contact_table.scrollToBottom()
    qtbot.wait(50)
    screenshot(tab, "incident_plan")


def test_overdue_review_is_written_out_and_counted(
    qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace
) -> None:
    plan = workspace.incidents.plans()[0]
    late = replace(plan.as_input(), next_review_on=date.today() - timedelta(days=3))
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.changed.emit(workspace.incidents.save_plan(plan.id, late))
    assert tab.plan_table.cell_text(0, 2).endswith("⚠ overdue")
    missing = {c.id for c in workspace.incidents.missing_contacts() if c.used_by}
    assert tab.titles[-1] == f"Incident plan (⚠ {len(missing) + 1})"  # type: ignore[attr-defined]
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.plan_table.select_plan(plan.id)
        tab.review_button.click()
    assert not tab.plan_table.cell_text(0, 2).endswith("⚠ overdue")


# ---- missing contacts ----------------------------------------------------------------------


def test_missing_contacts_banner_clears_once_filled_in(
    qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    missing = [c for c in workspace.incidents.missing_contacts() if c.used_by]
    assert missing
    assert tab.banner.isVisible()
    assert tab.banner.text().startswith(f"⚠ {len(missing)} local contacts are not filled in: ")
    assert missing[0].name in tab.banner.text()
    rows = {c.id: row for row, c in enumerate(tab.contact_table.contacts)}
    assert tab.contact_table.item(rows[missing[0].id], 4).text() == NOT_FILLED_IN

    for number, contact in enumerate(missing):
        tab.contact_table.select_contact(contact.id)
        tab.edit_contact_button.click()
        dialog = tab.findChild(ContactDialog)
        assert dialog is not None and dialog.isVisible()
        if number == 0:
            screenshot(dialog, "incident_contact_dialog")
            # A bad email stays in the form with the service's reason.
            dialog.email_edit.setText("not an email")
            dialog.save_button.click()
            qtbot.waitUntil(lambda d=dialog: "not an email address" in d.message.text())
            assert dialog.isVisible() and dialog.email_edit.text() == "not an email"
            dialog.email_edit.clear()
        dialog.phone_edit.setText(f"0113 496 00{number:02d}")
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            dialog.save_button.click()
    assert not tab.banner.isVisible()
    assert workspace.incidents.missing_contacts() == [
        c for c in workspace.incidents.missing_contacts() if not c.used_by
    ]
    assert NOT_FILLED_IN not in tab.detail.toPlainText()
    assert tab.contact_table.item(rows[missing[0].id], 4).text() == "Local"
    assert tab.contact_table.item(rows[missing[0].id], 2).text() == "0113 496 0000"


# ---- the editor ----------------------------------------------------------------------------


def test_editor_edits_and_reorders_steps(
    qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace, screenshot: Screenshot
) -> None:
    plan = workspace.incidents.plans()[0]
    select(tab, plan.title)
    dialog = tab.edit_plan()
    assert isinstance(dialog, PlanEditorDialog)
    qtbot.waitExposed(dialog)
    screenshot(dialog, "incident_plan_editor")
    steps = dialog.step_list
    before = [s.text for s in steps.steps()]
    assert before == [s.text for s in plan.steps]
    first_phase = [s.text for s in plan.steps if s.phase is plan.steps[0].phase]
    assert len(first_phase) >= 3
    assert len(plan.steps) > len(first_phase)  # removing the last step keeps the first phase
    # Swap the first two steps (same phase), then move the new second one back down.
    steps.table.selectRow(0)
    steps.down_button.click()
    assert [s.text for s in steps.steps()][:2] == [before[1], before[0]]
    assert steps.current_row() == 1
    steps.up_button.click()
    steps.down_button.click()
    # Add a step after the first, as "Security lead"; remove the last one.
    steps.table.selectRow(0)
    steps.add_button.click()
    assert steps.current_row() == 1
    steps.table.setItem(1, TEXT_COLUMN, QTableWidgetItem("Check the gates are shut"))
    role = steps.table.cellWidget(1, 1)
    role.setCurrentIndex(list(StepRole).index(StepRole.SECURITY_LEAD))
    steps.table.selectRow(steps.table.rowCount() - 1)
    steps.remove_button.click()

    # A title left empty: refused in the dialog, with the steps as typed.
    title = dialog.title_edit.text()
    dialog.title_edit.clear()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Give the plan a title" in dialog.message.text())
    assert dialog.isVisible()
    assert steps.steps()[1].text == "Check the gates are shut"
    dialog.title_edit.setText(title)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.save_button.click()

    saved = workspace.incidents.plan(plan.id)
    assert saved.version == plan.version + 1
    texts = [s.text for s in saved.steps]
    assert texts[:3] == [before[1], "Check the gates are shut", before[0]]
    assert texts[3:] == before[2:-1]
    assert saved.steps[1].role is StepRole.SECURITY_LEAD
    assert saved.steps[1].phase is plan.steps[0].phase
    assert tab.plan_table.cell_text(0, 1) == str(saved.version)


def test_new_plan_with_contacts(qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace) -> None:
    dialog = tab.edit_plan(new=True)
    assert dialog is not None
    dialog.title_edit.setText("Flood in the workshop")
    dialog.step_list.table.setItem(0, TEXT_COLUMN, QTableWidgetItem("Turn off the power"))
    dialog.step_list.add_button.click()
    phase = dialog.step_list.table.cellWidget(1, 0)
    phase.setCurrentIndex(list(Phase).index(Phase.AFTERWARDS))
    dialog.step_list.table.setItem(1, TEXT_COLUMN, QTableWidgetItem("Call the insurer"))
    dialog.contact_list.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.save_button.click()
    plan = workspace.incidents.plan_by_title("Flood in the workshop")
    assert [(s.phase, s.text) for s in plan.steps] == [
        (Phase.IMMEDIATELY, "Turn off the power"),
        (Phase.AFTERWARDS, "Call the insurer"),
    ]
    assert [c.id for c in plan.contacts] == [workspace.incidents.contacts()[0].id]
    assert tab.plan_table.rowCount() == 11


# ---- a drill -------------------------------------------------------------------------------


@pytest.fixture
def outcome(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """Answers for the "Close with outcome" question, in order."""
    answers: list[str | None] = []
    monkeypatch.setattr(incident_log_dialog, "ask_outcome", lambda _parent: answers.pop(0))
    yield answers


def start(qtbot: QtBot, tab: IncidentPlanTab, button: Any) -> IncidentLogWindow:
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        button.click()
    (window,) = tab.log_windows.values()
    qtbot.waitUntil(lambda: window.view is not None)
    return window


def wait_for(qtbot: QtBot, window: IncidentLogWindow, action: Any) -> None:
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        action()


def test_a_drill_from_start_to_close(
    qtbot: QtBot,
    tab: IncidentPlanTab,
    workspace: Workspace,
    outcome: list[str | None],
    screenshot: Screenshot,
) -> None:
    plan = workspace.incidents.plans()[0]
    select(tab, plan.title)
    window = start(qtbot, tab, tab.drill_button)
    assert window.isVisible() and not window.isModal()
    assert window.banner.text().startswith(f"DRILL: {plan.title}")
    assert "DRILL" in window.windowTitle()
    assert window.steps.count() == len(plan.steps)

    wait_for(qtbot, window, lambda: window.tick(0))
    wait_for(qtbot, window, lambda: window.tick(2))
    assert f"by {workspace.actor.display_name}" in window.steps.item(0).text()
    assert " — done " in window.steps.item(2).text()
    assert " — done " not in window.steps.item(1).text()
    window.note_edit.setText("Alarm not heard in the workshop")
    wait_for(qtbot, window, window.note_button.click)
    assert window.note_edit.text() == ""
    assert window.notes.item(0).text().endswith("Alarm not heard in the workshop")
    qtbot.wait(50)
    screenshot(window, "incident_log_open")

    # An outcome is required: the service's reason shows in the window, which stays open.
    outcome.extend(["   ", "Everyone out in 4 minutes; fix the workshop sounder."])
    window.close_log_button.click()
    qtbot.waitUntil(lambda: "Say how it ended" in window.message.text())
    wait_for(qtbot, window, window.close_log_button.click)

    log = workspace.incidents.log(window.log_id)
    assert log.kind is LogKind.DRILL and not log.open
    assert log.outcome == "Everyone out in 4 minutes; fix the workshop sounder."
    done = [s for s in log.steps if s.done_at is not None]
    assert [s.text for s in done] == [plan.steps[0].text, plan.steps[2].text]
    assert {s.done_by_name for s in done} == {workspace.actor.display_name}
    assert [n.text for n in log.notes] == ["Alarm not heard in the workshop"]
    # A closed log is a record: read-only.
    assert not window.note_button.isEnabled() and not window.close_log_button.isEnabled()
    assert not window.steps.item(1).flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert window.banner.text().startswith("DRILL (CLOSED): ")
    assert window.outcome_label.text() == f"Outcome: {log.outcome}"
    qtbot.wait(50)
    screenshot(window, "incident_log_closed")

    # The past logs of the plan list it, and open the same window.
    drain(tab.worker)
    qtbot.waitUntil(lambda: tab.log_table.rowCount() == 1)
    assert tab.log_table.cell_text(0, 0) == "DRILL"
    assert tab.log_table.cell_text(0, 3).startswith("Everyone out")
    tab.log_table.selectRow(0)
    tab.open_log_button.click()
    assert list(tab.log_windows.values()) == [window]


# ---- staff ---------------------------------------------------------------------------------


def test_staff_see_no_edit_buttons_but_can_start_a_drill(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, outcome: list[str | None]
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        tab = show_tab(qtbot, worker, tom)
        for button in tab.edit_buttons:
            assert not button.isVisible()
        assert tab.edit_plan() is None and tab.edit_contact(None) is None
        assert tab.drill_button.isVisible() and tab.drill_button.isEnabled()
        assert tab.banner.isVisible()  # staff are told too: they may be the ones phoning
        window = start(qtbot, tab, tab.drill_button)
        wait_for(qtbot, window, lambda: window.tick(0))
        assert "by Tom Reed" in window.steps.item(0).text()
        outcome.append("Done")
        wait_for(qtbot, window, window.close_log_button.click)
        assert workspace.incidents.log(window.log_id).closed_by_name == "Tom Reed"
        window.close()
        drain(worker)
    finally:
        tom.close()


# ---- printing and clearing -----------------------------------------------------------------


def test_print_checklist_writes_a_pdf(
    qtbot: QtBot, tab: IncidentPlanTab, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("prevent_desktop.reports.incident_checklist_pdf")
    titles: list[str] = []
    target = tmp_path / "checklist"  # no suffix: ".pdf" is added

    def save_as(_parent: Any, title: str, *_args: Any) -> tuple[str, str]:
        titles.append(title)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    shown: list[Path] = []
    monkeypatch.setattr(
        "prevent_desktop.ui.tabs.incident_print.offer_saved",
        lambda _parent, path, _what: shown.append(path),
    )
    tab.print_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "NOT encrypted" in titles[0]
    assert shown == [tmp_path / "checklist.pdf"]
    assert shown[0].read_bytes().startswith(b"%PDF")


def test_a_saved_checklist_prints_every_page_through_qt(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    """What the print dialog's OK does, with a PDF printer standing in for the real one."""
    import pypdf
    from PySide6.QtPrintSupport import QPrinter

    from prevent_desktop.reports.catalogue import ReportOptions
    from prevent_desktop.reports.incident_checklist_pdf import write_incident_checklist
    from prevent_desktop.ui.pdf_printing import load_pdf, print_document

    pack = tmp_path / "bomb.pdf"
    write_incident_checklist(workspace, pack, ReportOptions(plan="Bomb threat received by phone"))
    pages = len(pypdf.PdfReader(pack).pages)
    # Screen resolution keeps the test quick; a real printer gets HighResolution.
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert print_document(load_pdf(pack), printer) == pages
    assert len(pypdf.PdfReader(printed).pages) == pages


def test_a_file_that_is_not_a_pdf_is_refused_clearly(tmp_path: Path) -> None:
    from prevent_desktop.errors import KnownError
    from prevent_desktop.ui.pdf_printing import load_pdf

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    with pytest.raises(KnownError, match=r"Cannot read broken\.pdf"):
        load_pdf(broken)


def test_clear_drops_everything(
    qtbot: QtBot, tab: IncidentPlanTab, outcome: list[str | None]
) -> None:
    window = start(qtbot, tab, tab.drill_button)
    tab.clear()
    assert tab.plan_table.rowCount() == 0 and tab.contact_table.rowCount() == 0
    assert tab.log_table.rowCount() == 0 and tab.detail.toPlainText() == ""
    assert not tab.banner.isVisible() and tab.data is None
    assert tab.log_windows == {} and not window.isVisible()
    assert tab.titles[-1] == "Incident plan"  # type: ignore[attr-defined]
    assert not tab.drill_button.isEnabled()


def test_locking_takes_an_open_outcome_question_with_the_log(
    qtbot: QtBot, tab: IncidentPlanTab, workspace: Workspace
) -> None:
    """Auto-lock while "Close with outcome" is asking: the question goes too, unanswered."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog

    plan = workspace.incidents.plans()[0]
    log_id = workspace.incidents.start(plan.id, LogKind.DRILL).ids[0]
    window = tab.open_log(log_id)
    qtbot.waitUntil(lambda: window.view is not None, timeout=10_000)
    seen: list[bool] = []

    def lock_while_asking() -> None:
        seen.append(bool(window.findChildren(QInputDialog)))
        tab.clear()

    QTimer.singleShot(200, lock_while_asking)
    window.close_with_outcome()  # blocks in the question until the lock closes it
    assert seen == [True]
    assert workspace.incidents.log(log_id).open  # nothing was closed on the locked screen
