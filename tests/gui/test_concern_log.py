"""The Concern log tab: logging a concern as staff, what each role sees in the list, the
lead's filters, grouping, counts and retention review, the settings, and granting access."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.concern import (
    CALL_999_GUIDANCE,
    QUICK_GUIDANCE,
    ConcernStatus,
    ImmediateRisk,
    RetentionRule,
    SubjectKind,
)
from prevent_desktop.domain.roles import Role
from prevent_desktop.errors import DamagedDatabase
from prevent_desktop.services.concern_views import PersonDetails
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.tabs import concern_log, concern_log_loading
from prevent_desktop.ui.tabs.concern_filters import ConcernFilter, ConcernFilterProxy
from prevent_desktop.ui.tabs.concern_log import MANAGER_REFUSAL, NO_ACCESS, ConcernLogTab
from prevent_desktop.ui.tabs.concern_report_form import OwnReportDialog
from prevent_desktop.ui.tabs.concern_settings_dialog import ConcernSettingsDialog
from prevent_desktop.ui.tabs.concern_table_model import ConcernTableModel
from prevent_desktop.ui.users_dialog import UserAccessTableModel, UsersDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import add_user_with_own_passphrase
from tests.gui.concern_support import (
    all_cell_text,
    column_texts,
    open_report_form,
    reload,
    select,
    show_log,
    visible_references,
)
from tests.gui.shell_support import Screenshot, drain, show_main_window
from tests.unit.concern_support import ACCOUNT, PERSON, sample_input, sign_in

LEE_PASSPHRASE = "silver birch canal 58"
SignIn = Callable[[str], Workspace]


@pytest.fixture
def signed_in(workspace: Workspace) -> Iterator[SignIn]:
    """Sign in as another user of the fixture's site; closed again after the test."""
    opened: list[Workspace] = []

    def open_as(login: str) -> Workspace:
        if login == "lee":
            other, _kek = Workspace.sign_in(workspace.database.path, "lee", LEE_PASSPHRASE)
        else:
            other = sign_in(workspace.database.path, login)
        opened.append(other)
        return other

    yield open_as
    for other in opened:
        other.close()


@pytest.fixture
def log_tab(
    qtbot: QtBot, signed_in: SignIn, worker: DatabaseWorker
) -> Callable[[str], ConcernLogTab]:
    # `signed_in` before `worker`: the worker then stops before the databases close.
    return lambda login: show_log(qtbot, worker, signed_in(login))


def add_second_lead(workspace: Workspace) -> None:
    """Lee becomes a lead through the manager, who does not hold the key, and chooses his own
    passphrase at his first sign-in: access awaits a grant from a lead."""
    add_user_with_own_passphrase(
        workspace, "lee", "Lee Wong", Role.SAFEGUARDING_LEAD, True, LEE_PASSPHRASE
    )


JADE = PersonDetails(
    SubjectKind.OTHER, name="Jade Collins", description="Visiting contractor, Brightwell Ltd"
)


def seed_concerns(workspace: Workspace, signed_in: SignIn) -> dict[str, str]:
    """Four concerns: two about Kyle (by Tom and by Sam), one about Jade, one about an unknown
    person. Returns reference -> concern id."""
    tom = signed_in("tom")
    tom.concerns.log_concern(sample_input())
    tom.concerns.log_concern(
        replace(
            sample_input(JADE, 'Jade said "you will see what happens on Friday".', "Islamist"),
            immediate_risk=ImmediateRisk.HIGH,
        )
    )
    workspace.concerns.log_concern(
        sample_input(account="Kyle was sharing a video of a shooting in the group chat.")
    )
    unknown = PersonDetails(SubjectKind.UNKNOWN, description="Man in a grey hoodie at the gate")
    workspace.concerns.log_concern(
        sample_input(unknown, "Handing out leaflets at the gate.", "Other")
    )
    return {s.reference: s.id for s in workspace.concerns.list_concerns()}


# ---- staff ---------------------------------------------------------------------------------


def test_staff_logs_a_concern_and_reads_it_back(
    qtbot: QtBot,
    workspace: Workspace,
    log_tab: Callable[[str], ConcernLogTab],
    screenshot: Screenshot,
) -> None:
    # Someone else's concern exists; Tom must never see it.
    workspace.concerns.log_concern(sample_input(account="Sam's own report."))
    tab = log_tab("tom")
    assert tab.model.rowCount() == 0
    assert not tab.counts.isVisibleTo(tab) and not tab.access_label.isVisibleTo(tab)
    assert tab.model.columnCount() == len(ConcernTableModel.BASE_HEADERS)
    assert tab.log_button.isVisible() and tab.log_button.isEnabled()

    dialog = open_report_form(qtbot, tab)
    assert dialog.findChild(type(tab.intro_label), "quickGuidance").text() == QUICK_GUIDANCE
    assert dialog.observed_edit.displayFormat() == "dd/MM/yyyy HH:mm"
    qtbot.keyClicks(dialog.person.name_edit, "Kyle Whitmore")
    qtbot.keyClicks(dialog.person.learner_edit, "L-20417")
    dialog.person.born_check.setChecked(True)
    dialog.person.born_edit.setDate(
        dialog.person.born_edit.date().fromString("14/03/2006", "dd/MM/yyyy")
    )
    qtbot.keyClicks(dialog.person.employer_edit, "Northway Logistics")
    dialog.person.stage_combo.setCurrentIndex(dialog.person.stage_combo.findData("In learning"))
    qtbot.keyClicks(dialog.location_edit, "Canteen")
    qtbot.keyClicks(dialog.account_edit, ACCOUNT)
    dialog.indicator_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("Extreme right-wing"))
    dialog.set_risk(ImmediateRisk.MEDIUM)
    assert not dialog.danger_label.isVisible()
    qtbot.wait(50)
    screenshot(dialog, "concern_report_form")

    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not shiboken6.isValid(dialog)
    reference = f"C-{date.today().year}-0002"
    assert visible_references(tab) == [reference]  # only his own, not Sam's 0001
    assert tab.notice.text().startswith(f"Concern {reference} logged.")
    assert "with the safeguarding lead" in tab.notice.text()
    assert column_texts(tab, ConcernTableModel.REPORTED_BY) == ["You"]
    assert column_texts(tab, ConcernTableModel.STATUS) == ["Reported"]
    # The list never carries the account, nor (for staff) who it is about.
    assert "canteen" not in all_cell_text(tab).casefold()
    assert "Kyle" not in all_cell_text(tab)
    assert tab.selected() is not None and tab.selected().reference == reference
    assert tab.tab_title() == "Concern log"  # staff get no counts
    qtbot.wait(50)
    screenshot(tab, "concern_log_staff")

    assert tab.open_button.isEnabled()
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.findChild(OwnReportDialog) is not None, timeout=10_000)
    own = tab.findChild(OwnReportDialog)
    qtbot.waitExposed(own)
    assert own.account_edit is not None and own.account_edit.toPlainText() == ACCOUNT
    assert own.account_edit.isReadOnly()
    assert reference in own.windowTitle()
    qtbot.wait(50)
    screenshot(own, "concern_own_report")
    stored = workspace.concerns.list_concerns()
    assert {s.reference for s in stored} == {f"C-{date.today().year}-0001", reference}


def test_enter_opens_the_selected_concern(
    qtbot: QtBot, log_tab: Callable[[str], ConcernLogTab], signed_in: SignIn
) -> None:
    tab = log_tab("tom")
    tab.workspace.concerns.log_concern(sample_input())
    reload(qtbot, tab)
    tab.table.setFocus()
    select(tab, f"C-{date.today().year}-0001")
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.findChild(OwnReportDialog) is not None, timeout=10_000)


def test_choosing_immediate_danger_shows_call_999_at_once(
    qtbot: QtBot, log_tab: Callable[[str], ConcernLogTab], screenshot: Screenshot
) -> None:
    tab = log_tab("tom")
    dialog = open_report_form(qtbot, tab)
    assert not dialog.danger_label.isVisible()
    dialog.risk_combo.setFocus()
    # By keyboard: the last entry of the combo is "Immediate danger".
    qtbot.keyClick(dialog.risk_combo, Qt.Key.Key_End)
    assert dialog.chosen_risk() is ImmediateRisk.IMMEDIATE_DANGER
    assert dialog.danger_label.isVisible()
    assert "999" in dialog.danger_label.text() and CALL_999_GUIDANCE in dialog.danger_label.text()
    assert "border" in dialog.danger_label.styleSheet()  # a box, and words, not colour alone
    qtbot.wait(50)
    screenshot(dialog, "concern_report_form_999")
    dialog.set_risk(ImmediateRisk.HIGH)
    assert not dialog.danger_label.isVisible() and dialog.high_label.isVisible()


def test_empty_account_is_explained_and_what_was_typed_is_kept(
    qtbot: QtBot, log_tab: Callable[[str], ConcernLogTab], screenshot: Screenshot
) -> None:
    tab = log_tab("tom")
    dialog = open_report_form(qtbot, tab)
    # Typing and erasing flags the field at once.
    qtbot.keyClicks(dialog.account_edit, "x")
    assert not dialog.account_hint.isVisible()
    qtbot.keyClick(dialog.account_edit, Qt.Key.Key_Backspace)
    assert dialog.account_hint.isVisible()

    dialog.person.set_kind(SubjectKind.OTHER)
    qtbot.keyClicks(dialog.person.other_name_edit, "Jade Collins")
    qtbot.keyClicks(dialog.location_edit, "Workshop 3")
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("Other"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "Describe what you saw or heard" in dialog.message.text()
    assert dialog.isVisible() and dialog.isEnabled()
    assert dialog.location_edit.text() == "Workshop 3"
    assert dialog.person.other_name_edit.text() == "Jade Collins"
    assert dialog.person.kind() is SubjectKind.OTHER
    assert dialog.account_hint.isVisible() and not dialog.type_hint.isVisible()
    qtbot.wait(50)
    screenshot(dialog, "concern_report_form_error")
    drain(tab.worker)
    assert tab.workspace.concerns.list_concerns() == []


def test_apprentice_needs_a_name_and_a_type_is_required(
    qtbot: QtBot, log_tab: Callable[[str], ConcernLogTab]
) -> None:
    tab = log_tab("tom")
    dialog = open_report_form(qtbot, tab)
    qtbot.keyClicks(dialog.account_edit, "Something I heard.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "type of concern" in dialog.message.text()
    assert "apprentice's name" in dialog.message.text()
    assert dialog.type_hint.isVisible() and dialog.person.name_hint.isVisible()
    assert dialog.account_edit.toPlainText() == "Something I heard."


# ---- managers ------------------------------------------------------------------------------


def test_manager_sees_the_list_without_identities_and_cannot_open(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
    screenshot: Screenshot,
) -> None:
    references = seed_concerns(workspace, signed_in)
    tab = log_tab("sam")
    assert visible_references(tab) == sorted(references)
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert tab.model.columnCount() == 9 and "Person" not in headers
    text = all_cell_text(tab)
    for secret in ("Kyle", "Jade", "hoodie", "canteen", "leaflets", "Friday"):
        assert secret.casefold() not in text.casefold()
    assert "⚠ High" in column_texts(tab, ConcernTableModel.RISK)
    assert not tab.filter_bar.group_check.isVisibleTo(tab)
    assert not tab.retention_button.isVisibleTo(tab)

    select(tab, f"C-{date.today().year}-0001")  # Tom's
    assert not tab.open_button.isEnabled()
    assert tab.open_button.toolTip() == MANAGER_REFUSAL
    assert tab.open_concern() is None
    # Sam reported the third one himself: he may read back his own report.
    select(tab, f"C-{date.today().year}-0003")
    assert tab.open_button.isEnabled()

    assert tab.counts.texts()[0] == "⚠ Awaiting review: 4"
    assert tab.tab_title() == "Concern log (4 awaiting)"
    qtbot.mouseClick(tab.counts.awaiting_button, Qt.MouseButton.LeftButton)
    assert tab.proxy.concern_filter.status == ConcernStatus.REPORTED.value
    qtbot.wait(50)
    screenshot(tab, "concern_log_manager")


def test_title_follows_the_counts_and_clear_drops_everything(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
) -> None:
    seed_concerns(workspace, signed_in)
    tab = log_tab("dana")
    titles: list[str] = []
    tab.title_changed.connect(titles.append)
    assert tab.tab_title() == "Concern log (4 awaiting)"
    dana = tab.workspace
    for concern_id in list({s.id for s in dana.concerns.list_concerns()}):
        dana.concerns.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reading it now.")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.on_changed(dana.concerns.set_follow_up(concern_id, date.today() - timedelta(days=2)))
    assert titles[-1] == "Concern log"
    assert tab.counts.texts() == [
        "Awaiting review: 0",
        "Referrals awaiting outcome: 0",
        "Referral reviews due: 0",
        "⚠ Follow-ups overdue: 1",
    ]
    qtbot.mouseClick(tab.counts.overdue_button, Qt.MouseButton.LeftButton)
    assert len(visible_references(tab)) == 1
    assert column_texts(tab, ConcernTableModel.FOLLOW_UP)[0].endswith("⚠ overdue")

    tab.clear()
    assert tab.model.rowCount() == 0 and tab.proxy.rowCount() == 0
    assert tab.counts.texts() == ["", "", "", ""]
    assert titles[-1] == "Concern log"
    assert tab.selected() is None and not tab.open_button.isEnabled()


def test_a_first_load_shows_the_newest_concerns_while_the_rest_load(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    worker: DatabaseWorker,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    """At head office the whole log takes seconds to read: the newest concerns show first,
    with the filters and sorting held back until every concern has arrived."""
    references = seed_concerns(workspace, signed_in)
    dana = signed_in("dana")  # a lead holding the key: the person column too
    listed = dana.concerns.list_concerns()
    newest, people = [s.reference for s in listed][:2], [s.person for s in listed][:2]
    assert all(people)
    monkeypatch.setattr(concern_log_loading, "FIRST_ROWS", 2)
    tab = ConcernLogTab(worker, dana)
    qtbot.addWidget(tab)
    tab.resize(1500, 700)
    tab.show()
    seen: dict[str, object] = {}

    def first_rows() -> None:
        seen["references"] = column_texts(tab, ConcernTableModel.REF)
        seen["people"] = column_texts(tab, ConcernTableModel.PERSON)
        seen["count"] = tab.count_label.text()
        seen["filters"] = tab.filter_bar.isEnabled()
        seen["sorting"] = tab.table.horizontalHeader().sectionsClickable()
        seen["loaded yet"] = not tab.loading
        screenshot(tab, "concern_log_first_rows")

    tab.first_rows_shown.connect(first_rows)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.load()
    assert seen == {
        "references": newest,
        "people": people,
        "count": "The newest 2 of 4 concerns: loading the rest…",
        "filters": False,
        "sorting": False,
        "loaded yet": False,
    }
    assert visible_references(tab) == sorted(references)
    assert tab.count_label.text() == "4 concerns"
    assert tab.filter_bar.isEnabled() and tab.table.horizontalHeader().sectionsClickable()

    # Later loads (a change, a reload) keep the whole list on screen and read it again.
    seen.clear()
    reload(qtbot, tab)
    assert not seen and len(visible_references(tab)) == 4
    # After a lock's clear, a load starts with the newest rows again.
    tab.clear()
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.load()
    assert seen["references"] == newest and tab.filter_bar.isEnabled()


def test_when_the_whole_log_cannot_be_read_the_newest_rows_do_not_stay_alone(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    worker: DatabaseWorker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The newest concerns were shown, then reading the rest failed: the user is told, and the
    tab does not go on presenting a few concerns as the log, with its filters held back."""
    seed_concerns(workspace, signed_in)
    monkeypatch.setattr(concern_log_loading, "FIRST_ROWS", 2)
    failing = True
    real_load_log = concern_log.load_log

    def load_log(ws: Workspace, with_retention: bool) -> object:
        if failing:
            raise DamagedDatabase("A page of the database could not be read.")
        return real_load_log(ws, with_retention)

    monkeypatch.setattr(concern_log, "load_log", load_log)
    tab = ConcernLogTab(worker, workspace)
    qtbot.addWidget(tab)
    tab.show()
    first: list[int] = []
    tab.first_rows_shown.connect(lambda: first.append(tab.model.rowCount()))
    tab.load()
    qtbot.waitUntil(lambda: tab.findChild(QMessageBox, "messageBox") is not None)
    box = tab.findChild(QMessageBox, "messageBox")
    assert "could not be read" in box.text()
    box.close()
    assert first == [2]
    assert tab.model.rowCount() == 0 and tab.filter_bar.isEnabled()
    assert "loading the rest" not in tab.count_label.text()

    failing = False
    reload(qtbot, tab)
    assert len(visible_references(tab)) == 4 and tab.filter_bar.isEnabled()


# ---- leads ---------------------------------------------------------------------------------


def test_lead_sees_people_groups_them_and_filters(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
    screenshot: Screenshot,
) -> None:
    references = seed_concerns(workspace, signed_in)
    year = date.today().year
    tab = log_tab("dana")
    dana = tab.workspace
    dana.concerns.change_status(references[f"C-{year}-0002"], ConcernStatus.UNDER_REVIEW, "Seen")
    reload(qtbot, tab)
    assert tab.model.with_person
    assert tab.model.headerData(ConcernTableModel.PERSON, Qt.Orientation.Horizontal) == "Person"
    people = dict(
        zip(
            column_texts(tab, ConcernTableModel.REF),
            column_texts(tab, ConcernTableModel.PERSON),
            strict=True,
        )
    )
    assert people[f"C-{year}-0001"] == "Kyle Whitmore (2 concerns)"
    assert people[f"C-{year}-0002"] == "Jade Collins"
    assert people[f"C-{year}-0004"].startswith("Unknown person")
    assert ACCOUNT not in all_cell_text(tab)  # a lead's list has no account either

    # Group by person: Kyle's two concerns side by side, oldest first.
    tab.filter_bar.group_check.setChecked(True)
    order = column_texts(tab, ConcernTableModel.REF)
    kyle = [order.index(f"C-{year}-0001"), order.index(f"C-{year}-0003")]
    assert kyle[1] - kyle[0] == 1
    qtbot.wait(50)
    screenshot(tab, "concern_log_lead_grouped")
    # Sorting by another column takes the grouping apart, and the box says so.
    tab.table.sortByColumn(ConcernTableModel.REF, Qt.SortOrder.AscendingOrder)
    assert not tab.filter_bar.group_check.isChecked()

    bar = tab.filter_bar
    bar.search_edit.setText("kyle")
    assert visible_references(tab) == [f"C-{year}-0001", f"C-{year}-0003"]
    bar.search_edit.setText("tom reed")  # the reporter
    assert visible_references(tab) == [f"C-{year}-0001", f"C-{year}-0002"]
    bar.search_edit.setText("canteen")  # words of an account are never searched
    assert visible_references(tab) == []
    bar.reset()
    bar.choose(bar.type_combo, "Islamist")
    assert visible_references(tab) == [f"C-{year}-0002"]
    bar.reset()
    bar.choose(bar.risk_combo, ImmediateRisk.HIGH.value)
    assert visible_references(tab) == [f"C-{year}-0002"]
    bar.reset()
    bar.choose(bar.status_combo, ConcernStatus.UNDER_REVIEW.value)
    assert visible_references(tab) == [f"C-{year}-0002"]
    bar.reset()
    lead_id = dana.actor.user_id  # the decision assigned Dana
    bar.choose(bar.lead_combo, lead_id)
    assert visible_references(tab) == [f"C-{year}-0002"]
    bar.choose(bar.lead_combo, "")
    assert len(visible_references(tab)) == 3
    assert tab.count_label.text() == "Showing 3 of 4 concerns"
    bar.clear_button.click()
    assert tab.count_label.text() == "4 concerns"


def test_lead_opens_the_detail_view(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
) -> None:
    detail = pytest.importorskip("prevent_desktop.ui.tabs.concern_detail")
    seed_concerns(workspace, signed_in)
    tab = log_tab("dana")
    select(tab, f"C-{date.today().year}-0002")
    assert tab.open_button.isEnabled()
    dialog = tab.open_concern()
    assert isinstance(dialog, detail.ConcernDetailDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    assert tab.open_concern() is dialog  # one window per concern
    # The dialog's writes reach the tab's broadcast (and so reload the list).
    change = ChangeSet("concern_entry", "create", ("entry",))
    with qtbot.waitSignal(tab.changed, timeout=2000) as broadcast:
        dialog.changed.emit(change)
    assert broadcast.args == [change]
    dialog.close()


def test_lead_without_safeguarding_access_is_told_why(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
    screenshot: Screenshot,
) -> None:
    add_second_lead(workspace)
    seed_concerns(workspace, signed_in)
    tab = log_tab("lee")
    assert not tab.holds_key and tab.is_lead
    assert tab.access_label.isVisibleTo(tab)
    assert NO_ACCESS in tab.access_label.text()
    assert tab.model.columnCount() == 9  # no person: the key is what reveals it
    select(tab, f"C-{date.today().year}-0001")
    assert not tab.open_button.isEnabled()
    assert tab.open_button.toolTip() == NO_ACCESS
    qtbot.wait(50)
    screenshot(tab, "concern_log_lead_without_access")


def test_retention_review_lists_concerns_past_their_date(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    log_tab: Callable[[str], ConcernLogTab],
) -> None:
    seed_concerns(workspace, signed_in)
    older = replace(
        PERSON, name="Dean Marsh", learner_reference="L-1", date_of_birth=date(1990, 1, 1)
    )
    workspace.concerns.log_concern(sample_input(older, "Old matter."))
    tab = log_tab("dana")
    year = date.today().year
    past = dict(
        zip(
            column_texts(tab, ConcernTableModel.REF),
            column_texts(tab, ConcernTableModel.REVIEW_BY),
            strict=True,
        )
    )
    assert past[f"C-{year}-0005"] == "31/12/2015  ⚠ past"
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.retention_button.click()
    assert visible_references(tab) == [f"C-{year}-0005"]
    assert tab.notice.text().startswith("Retention review: 1 past")
    tab.retention_button.click()
    assert tab.notice.text() == ""
    assert len(visible_references(tab)) == 5


def test_concern_table_model(qtmodeltester, workspace: Workspace, signed_in: SignIn) -> None:  # type: ignore[no-untyped-def]
    seed_concerns(workspace, signed_in)
    dana = signed_in("dana")
    model = ConcernTableModel(with_person=True)
    model.set_concerns(dana.concerns.list_concerns())
    qtmodeltester.check(model)
    proxy = ConcernFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(ConcernFilter(text="kyle"))
    assert proxy.rowCount() == 2
    qtmodeltester.check(proxy)
    staff_model = ConcernTableModel()
    staff_model.set_concerns(signed_in("tom").concerns.list_concerns())
    assert staff_model.rowCount() == 2
    qtmodeltester.check(staff_model)


# ---- settings and access -------------------------------------------------------------------


def test_settings_edit_the_lists_and_the_retention_rule(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    worker: DatabaseWorker,
    screenshot: Screenshot,
) -> None:
    dana = signed_in("dana")
    dialog = ConcernSettingsDialog(worker, dana)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    assert dialog.types.labels() == dana.concerns.options("type")
    qtbot.keyClicks(dialog.indicators.new_edit, "Refuses to work alongside others")
    qtbot.keyClick(dialog.indicators.new_edit, Qt.Key.Key_Return)
    dialog.types.list.setCurrentRow(0)
    dialog.types.down_button.click()
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.indicators.save_button.click()
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.types.save_button.click()
    assert dana.concerns.options("indicator")[-1] == "Refuses to work alongside others"
    assert dana.concerns.options("type")[:2] == ["Extreme right-wing", "Islamist"]
    assert dialog.save_rule_button.isEnabled()
    dialog.birth_spin.setValue(30)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.save_rule_button.click()
    assert dana.concerns.retention_rule() == RetentionRule(30, 6)
    assert "worked out again" in dialog.rule_message.text()
    qtbot.wait(50)
    screenshot(dialog, "concern_settings")

    # The manager edits the lists but not the rule, which needs dates of birth to apply.
    manager = ConcernSettingsDialog(worker, workspace)
    qtbot.addWidget(manager)
    with qtbot.waitSignal(manager.loaded, timeout=10_000):
        manager.show()
    assert manager.indicators.save_button.isVisible()
    assert not manager.save_rule_button.isEnabled()
    assert manager.birth_spin.value() == 30


def test_the_main_window_offers_settings_access_and_a_counted_tab(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
) -> None:
    signed_in("tom").concerns.log_concern(sample_input())
    window = show_main_window(qtbot, worker, workspace, memory_keychain)
    tabs = window.ui.tabs
    index = next(i for i, t in enumerate(window.tabs) if isinstance(t, ConcernLogTab))
    qtbot.waitUntil(lambda: tabs.tabText(index) == "Concern log (1 awaiting)", timeout=10_000)
    assert window.actionConcernSettings.isVisible()
    assert window.actionConcernSettings in window.ui.menuSite.actions()
    window.actionConcernSettings.trigger()
    assert window.findChild(ConcernSettingsDialog) is not None

    # Staff have no lists to edit; a lead who is not a manager opens Users to grant access.
    staff_window = show_main_window(qtbot, worker, signed_in("tom"), memory_keychain)
    assert not staff_window.actionConcernSettings.isVisible()
    assert staff_window.open_concern_settings() is None
    lead_window = show_main_window(qtbot, worker, signed_in("dana"), memory_keychain)
    assert lead_window.ui.actionUsers.isVisible()
    users = lead_window.open_users()
    assert isinstance(users, UsersDialog)
    qtbot.waitUntil(lambda: users.loaded, timeout=10_000)
    drain(worker)


def test_users_dialog_shows_access_and_a_lead_grants_it(
    qtbot: QtBot,
    workspace: Workspace,
    signed_in: SignIn,
    worker: DatabaseWorker,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    add_second_lead(workspace)

    def access_of(dialog: UsersDialog) -> dict[str, str]:
        model = dialog.model
        return {
            model.user(row).login: model.index(row, UserAccessTableModel.ACCESS).data()
            for row in range(model.rowCount())
        }

    # The manager sees who has access but holds no key to pass on.
    managers = UsersDialog(worker, workspace)
    qtbot.addWidget(managers)
    managers.show()
    qtbot.waitUntil(lambda: managers.loaded, timeout=10_000)
    assert access_of(managers)["lee"] == "⚠ Awaiting grant"
    assert access_of(managers)["tom"] == "—"
    managers.select_user(next(u.id for u in workspace.users.list_users() if u.login == "lee"))
    assert not managers.grant_button.isEnabled()
    assert "Only a safeguarding lead" in managers.grant_button.toolTip()

    dana = signed_in("dana")
    dialog = UsersDialog(worker, dana)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    assert not dialog.ui.addButton.isVisibleTo(dialog)  # Dana is not a manager
    assert access_of(dialog)["dana"] == "Held"
    lee_id = next(u.id for u in dana.users.list_users() if u.login == "lee")
    dialog.select_user(lee_id)
    assert dialog.grant_button.isEnabled()
    qtbot.wait(50)
    screenshot(dialog, "users_dialog_grant_access")
    monkeypatch.setattr(confirmation, "ask", lambda *args, **kwargs: True)
    qtbot.mouseClick(dialog.grant_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: access_of(dialog)["lee"].startswith("Granted"), timeout=10_000)
    assert "granted to Lee Wong" in dialog._message.text()
    assert not dialog.grant_button.isEnabled()
    assert signed_in("lee").concerns.holds_key()


def test_staff_log_a_concern_and_a_lead_takes_it_to_closure(
    qtbot: QtBot, log_tab: Callable[[str], ConcernLogTab], screenshot: Screenshot
) -> None:
    """The whole journey through the screens: Tom's form, Dana's list, her detail window and
    a rationale at every step, and Tom seeing where it ended."""
    from prevent_desktop.domain.concern import ConcernStatus
    from prevent_desktop.ui.tabs.concern_detail import ConcernDetailDialog
    from prevent_desktop.ui.tabs.concern_status_dialog import StatusDialog

    staff = log_tab("tom")
    form = open_report_form(qtbot, staff)
    qtbot.keyClicks(form.person.name_edit, "Kyle Whitmore")
    qtbot.keyClicks(form.account_edit, ACCOUNT)
    form.type_combo.setCurrentIndex(form.type_combo.findData("Extreme right-wing"))
    form.set_risk(ImmediateRisk.LOW)
    with qtbot.waitSignal(staff.loaded, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    reference = column_texts(staff, ConcernTableModel.REF)[0]

    lead = log_tab("dana")
    assert lead.tab_title() == "Concern log (1 awaiting)"
    select(lead, reference)
    qtbot.mouseClick(lead.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lead.findChild(ConcernDetailDialog) is not None, timeout=10_000)
    detail = lead.findChild(ConcernDetailDialog)
    assert detail is not None
    qtbot.waitUntil(lambda: detail.view is not None, timeout=10_000)
    assert detail.view.details.account == ACCOUNT
    for step, why in [
        (ConcernStatus.UNDER_REVIEW, "Reading the account today."),
        (ConcernStatus.NO_FURTHER_ACTION, "Spoke to Kyle and his tutor: no ideology."),
        (ConcernStatus.CLOSED, "Feedback given to Tom."),
    ]:
        detail.change_status()
        status_form = detail.findChild(StatusDialog)
        assert status_form is not None
        status_form.choose(step)
        status_form.rationale_edit.setPlainText(why)
        with qtbot.waitSignal(detail.loaded, timeout=10_000):
            status_form.save_button.click()
        assert detail.view is not None and detail.view.summary.status is step
    qtbot.wait(50)
    screenshot(detail, "concern_closed_by_lead")
    reload(qtbot, lead)
    assert column_texts(lead, ConcernTableModel.STATUS) == ["Closed"]
    assert lead.tab_title() == "Concern log"
    reload(qtbot, staff)
    assert column_texts(staff, ConcernTableModel.STATUS) == ["Closed"]
