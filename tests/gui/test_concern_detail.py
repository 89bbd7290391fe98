"""The concern detail dialog: a safeguarding lead reads a concern in full and takes it from
report to decision, with the chronology, referrals, attachments, retention and the access log.

Concerns are logged by staff (tom) or the manager (sam); the lead (dana) holds the
safeguarding key only once signed in, so each test opens the dialog with dana's workspace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ImmediateRisk,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import concern_attachments
from prevent_desktop.ui.tabs.concern_detail import ConcernDetailDialog
from prevent_desktop.ui.tabs.concern_referral_dialog import OutcomeDialog
from prevent_desktop.ui.tabs.concern_status_dialog import StatusDialog
from prevent_desktop.ui.tabs.concern_tables import AccessLogModel, SamePersonModel
from prevent_desktop.ui.tabs.concern_timeline import TimelineModel, build_timeline
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.concern_detail_support import (
    log_as,
    refused,
    save_form,
    show_detail,
    timeline_texts,
)
from tests.gui.shell_support import Screenshot
from tests.unit.concern_support import ACCOUNT, sample_input, sign_in

UK_DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


@pytest.fixture
def dana(workspace: Workspace) -> Iterator[Workspace]:
    lead = sign_in(workspace.database.path, "dana")
    yield lead
    lead.close()


@pytest.fixture
def concern_id(workspace: Workspace) -> str:
    return log_as(workspace, "tom")


@pytest.fixture
def detail(
    qtbot: QtBot, worker: DatabaseWorker, dana: Workspace, concern_id: str
) -> ConcernDetailDialog:
    return show_detail(qtbot, worker, dana, concern_id)


def test_the_dialog_shows_the_details_and_the_timeline(
    qtbot: QtBot,
    worker: DatabaseWorker,
    workspace: Workspace,
    dana: Workspace,
    concern_id: str,
    screenshot: Screenshot,
) -> None:
    other_id = log_as(workspace, "sam")  # the same apprentice, reported again
    dana.concerns.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reading the account.")
    dana.concerns.add_entry(concern_id, EntryKind.CALL, "Phoned the employer's HR contact.")
    detail = show_detail(qtbot, worker, dana, concern_id)
    view = detail.view
    assert view is not None
    reference = view.summary.reference
    assert re.fullmatch(r"C-\d{4}-0001", reference)
    assert detail.windowTitle() == f"Prevent Desktop — Concern {reference}"
    assert detail.windowModality() == Qt.WindowModality.NonModal

    header = detail.header
    assert header.title_label.text() == f"{reference} — Kyle Whitmore"
    assert header.value("status").startswith("Under review (since ")
    assert header.value("type") == "Extreme right-wing"
    assert header.value("risk") == "Medium"
    assert header.value("lead") == "Dana Okafor"  # taking the first step assigns the lead
    assert UK_DATE_TIME.match(header.value("observed"))
    assert UK_DATE_TIME.match(header.value("recorded"))
    assert header.value("reporter") == "Tom Reed (Staff)"
    assert header.value("review_by") == "31/12/2031"  # the year of the 25th birthday
    assert header.value("legal_hold") == "No" and not header.hold_badge.isVisibleTo(detail)
    assert header.value("risk_link") == "None"
    assert not header.danger_banner.isVisibleTo(detail)

    timeline = timeline_texts(detail)
    assert [what for what, _ in timeline] == ["Status change", "Call (entry 1)"]
    assert timeline[0][1] == "Reported → Under review\nRationale: Reading the account."
    assert timeline[1][1] == "Phoned the employer's HR contact."
    model = detail.timeline.model
    assert UK_DATE_TIME.match(model.index(0, model.WHEN).data())
    assert model.index(1, model.BY).data() == "Dana Okafor"
    assert detail.tabs.tabText(0) == "&Timeline (2)"
    # No edit button anywhere: entries are corrected, never edited.
    texts = [b.text().replace("&", "") for b in detail.findChildren(QPushButton)]
    assert not [t for t in texts if t.lower().startswith("edit")]
    screenshot(detail, "concern_detail_timeline")

    detail.tabs.setCurrentWidget(detail.details_panel)
    panel = detail.details_panel
    shown = {label: text.text() for label, text in panel.person_labels.items()}
    assert shown == {
        "Who": "An apprentice",
        "Name": "Kyle Whitmore",
        "Learner reference": "L-20417",
        "Date of birth": "14/03/2006",
        "Employer or workplace": "Northway Logistics",
        "Programme": "Level 2 Warehouse Operative",
        "Stage": "In learning",
    }
    assert panel.account_edit.toPlainText() == ACCOUNT and panel.account_edit.isReadOnly()
    assert panel.location_label.text() == "Canteen, ground floor"
    assert panel.context_label.text() == "Lunch break, group of six apprentices"
    assert panel.others_label.text() == "Two other apprentices; the canteen supervisor"
    assert panel.indicators_label.text() == (
        "• Grievance or injustice narrative\n• Threats of violence"
    )
    same = panel.same_person_model
    assert same.rowCount() == 1
    assert same.index(0, same.REF).data() == reference.replace("0001", "0002")
    assert same.index(0, same.STATUS).data() == "Reported"
    assert UK_DATE_TIME.match(same.index(0, same.OBSERVED).data())
    assert detail.tabs.tabText(1) == "Deta&ils (1 other concern)"
    screenshot(detail, "concern_detail_details")

    # Double-clicking the other concern opens it in a window of its own.
    view_widget = panel.same_person_view
    rect = view_widget.visualRect(same.index(0, 0))
    qtbot.mouseClick(view_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    others = [
        d
        for d in detail.findChildren(ConcernDetailDialog)
        if d is not detail and d.concern_id == other_id
    ]
    assert len(others) == 1
    other = others[0]
    qtbot.waitUntil(lambda: other.view is not None, timeout=10_000)
    assert other.isVisible() and other.view is not None
    assert other.header.value("reporter") == "Sam Patel (Manager)"
    assert other.details_panel.same_person_model.rowCount() == 1
    other.close()


def test_immediate_danger_shows_the_warning(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, dana: Workspace
) -> None:
    tom = sign_in(workspace.database.path, "tom")
    data = replace(sample_input(), immediate_risk=ImmediateRisk.IMMEDIATE_DANGER)
    concern_id = tom.concerns.log_concern(data).ids[0]
    tom.close()
    detail = show_detail(qtbot, worker, dana, concern_id)
    assert detail.header.value("risk") == "⚠ Immediate danger"
    assert detail.header.danger_banner.isVisible()
    assert "call 999" in detail.header.danger_banner.text()


def test_a_status_change_needs_a_rationale(
    qtbot: QtBot,
    detail: ConcernDetailDialog,
    dana: Workspace,
    concern_id: str,
    screenshot: Screenshot,
) -> None:
    changes: list[ChangeSet] = []
    detail.changed.connect(changes.append)
    detail.status_button.click()
    form = detail.findChild(StatusDialog)
    assert form is not None and form.isVisible()
    # From "reported" the only step is review.
    offered = [form.status_combo.itemData(i) for i in range(form.status_combo.count())]
    assert offered == [ConcernStatus.UNDER_REVIEW]
    form.rationale_edit.setPlainText("Account read; checking with the tutor.")
    save_form(qtbot, detail, form)
    assert detail.header.value("status").startswith("Under review")
    assert changes == [ChangeSet("concern", "update", (concern_id,))]

    form = detail.change_status()
    assert form is not None
    offered = [form.status_combo.itemData(i) for i in range(form.status_combo.count())]
    assert offered == [
        ConcernStatus.REFERRED_PREVENT,
        ConcernStatus.REFERRED_LOCAL_AUTHORITY,
        ConcernStatus.SUPPORT_PLAN,
        ConcernStatus.NO_FURTHER_ACTION,
    ]
    form.choose(ConcernStatus.NO_FURTHER_ACTION)
    assert "including a decision of no further action" in form.rationale_note.text()
    form.rationale_edit.setPlainText("   ")
    message = refused(qtbot, form, "rationale is required")
    assert "including no further action" in message
    assert form.rationale_edit.toPlainText() == "   "  # what was typed stays
    assert form.target() is ConcernStatus.NO_FURTHER_ACTION
    form.rationale_edit.setPlainText(
        "Spoke to Kyle with his tutor: a dispute with neighbours, no ideology. "
        "Tutor to keep an eye on him."
    )
    screenshot(form, "concern_status_dialog")
    save_form(qtbot, detail, form)
    assert not shiboken6.isValid(form)  # saved, closed and deleted
    assert detail.header.value("status").startswith("No further action")
    assert len(changes) == 2
    decision = timeline_texts(detail)[-1]
    assert decision[0] == "Decision"
    assert decision[1].startswith("Under review → No further action\nRationale: Spoke to Kyle")
    stored = dana.concerns.open_concern(concern_id)
    assert stored.summary.status is ConcernStatus.NO_FURTHER_ACTION


def test_an_entry_and_its_correction_are_linked(
    qtbot: QtBot, detail: ConcernDetailDialog, dana: Workspace, screenshot: Screenshot
) -> None:
    form = detail.add_entry()
    assert form is not None
    assert form.kind_combo is not None
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(EntryKind.MEETING))
    form.body_edit.setPlainText("Met Kyle with his tutor on Tuesday.")
    # Dated in the future: refused, with what was typed kept.
    form.occurred_edit.setDateTime(QDateTime.currentDateTime().addDays(2))
    refused(qtbot, form, "cannot be dated in the future")
    assert form.body_edit.toPlainText() == "Met Kyle with his tutor on Tuesday."
    form.occurred_edit.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
    save_form(qtbot, detail, form)

    # The new entry is selected, ready to be corrected.
    selected = detail.timeline.selected_item()
    assert selected is not None and selected.entry is not None
    assert selected.what == "Meeting (entry 1)"
    assert detail.timeline.correct_button.isEnabled()
    preview = detail.timeline.preview.toPlainText().splitlines()
    assert preview[0].startswith("Meeting (entry 1) — ") and preview[0].endswith(", Dana Okafor")
    assert preview[2] == "Met Kyle with his tutor on Tuesday."
    assert preview[3].startswith("Recorded ")  # written up an hour after it happened
    detail.timeline.correct_button.click()
    correction = detail.findChildren(type(form))[-1]
    assert correction.corrects is not None and correction.corrects.id == selected.entry.id
    assert correction.windowTitle().startswith("Prevent Desktop — Correct entry 1")
    assert correction.original_edit is not None and correction.original_edit.isReadOnly()
    assert correction.kind_combo is None and correction.kind() is EntryKind.CORRECTION
    correction.body_edit.setPlainText("The meeting was on Wednesday, not Tuesday.")
    screenshot(correction, "concern_correct_entry")
    save_form(qtbot, detail, correction)

    items = {item.what: item for item in detail.timeline.model.items()}
    original, fix = items["Meeting (entry 1)"], items["Correction (entry 2)"]
    assert original.corrected and "⚠ Corrected by a later entry (entry 2)." in original.details
    assert original.details.startswith("Met Kyle with his tutor on Tuesday.")  # never edited
    assert fix.details.startswith("Corrects entry 1 (meeting of ")
    assert "by Dana Okafor)." in fix.details
    assert fix.details.splitlines()[1] == "The meeting was on Wednesday, not Tuesday."
    screenshot(detail, "concern_detail_corrected_entry")
    model = detail.timeline.model
    row = model.items().index(original)
    assert model.index(row, model.DETAILS).data(Qt.ItemDataRole.FontRole).italic()
    stored = dana.concerns.open_concern(detail.concern_id).entries
    assert stored[1].corrects_entry_id == stored[0].id and stored[1].kind is EntryKind.CORRECTION


def test_a_referral_with_its_outcome_and_reviews(
    qtbot: QtBot, detail: ConcernDetailDialog, screenshot: Screenshot
) -> None:
    today = date.today()
    referred, outcome_on, ended = (today - timedelta(days=d) for d in (400, 390, 380))
    form = detail.add_referral()
    assert form is not None
    form.agency_combo.setCurrentIndex(form.agency_combo.findData(ReferralAgency.PREVENT_POLICE))
    form.method_combo.setCurrentIndex(form.method_combo.findData(ReferralMethod.ONLINE_FORM))
    form.referred_edit.setDate(qdate(referred))
    form.reference_edit.setText("PRV-55012")
    form.notes_edit.setPlainText("Submitted the national form; Prevent officer to call back.")
    save_form(qtbot, detail, form)
    selected = detail.timeline.selected_item()
    assert selected is not None and selected.referral is not None
    assert selected.when == referred.strftime("%d/%m/%Y")
    assert selected.details.startswith(
        "Counter-terrorism police (Prevent) — National Prevent Referral Form; "
        "reference PRV-55012.\nOutcome: Awaiting outcome."
    )
    # Reviews cannot be recorded before support has ended.
    review = detail.record_review()
    assert review is not None and not review.save_button.isEnabled()
    assert "support has ended" in review.message.text()
    review.reject()

    detail.timeline.outcome_button.click()
    outcome = detail.findChild(OutcomeDialog)
    assert outcome is not None
    outcome.outcome_combo.setCurrentIndex(
        outcome.outcome_combo.findData(ReferralOutcome.ADOPTED_BY_CHANNEL)
    )
    outcome.outcome_on_edit.setDate(qdate(outcome_on))
    outcome.support_ended_check.setChecked(True)
    outcome.support_ended_edit.setDate(qdate(ended))
    assert outcome.notes_edit.toPlainText().startswith("Submitted the national form")
    screenshot(outcome, "concern_referral_outcome")
    save_form(qtbot, detail, outcome)

    for months, done in ((6, today - timedelta(days=190)), (12, today)):
        review = detail.record_review()
        assert review is not None and review.save_button.isEnabled()
        assert review.months_combo.currentData() == months  # the first one not done yet
        review.done_edit.setDate(qdate(done))
        save_form(qtbot, detail, review)

    item = next(i for i in detail.timeline.model.items() if i.referral is not None)
    lines = item.details.splitlines()
    assert lines[1] == f"Outcome: Adopted by Channel (received {outcome_on:%d/%m/%Y})."
    assert lines[2] == f"Support ended {ended:%d/%m/%Y}."
    assert lines[3].startswith("6-month review due ")
    assert lines[3].endswith(f": done {today - timedelta(days=190):%d/%m/%Y}.")
    assert lines[4].endswith(f": done {today:%d/%m/%Y}.")
    assert lines[5].startswith("Notes: Submitted the national form")
    screenshot(detail, "concern_detail_referral")


def test_attachments_small_and_too_large(
    qtbot: QtBot,
    detail: ConcernDetailDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    small = tmp_path / "screenshot of chat.txt"
    small.write_bytes(b"they deserve it")
    too_big = tmp_path / "video.mp4"
    with too_big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)
    chosen = [small]
    titles: list[str] = []

    def pick(_parent: object, title: str, *_args: object) -> tuple[str, str]:
        titles.append(title)
        return str(chosen[0]), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        detail.timeline.attach_button.click()
    assert "encrypted" in titles[0]
    selected = detail.timeline.selected_item()
    assert selected is not None and selected.attachment is not None
    assert (selected.what, selected.by) == ("Attachment", "Dana Okafor")
    assert selected.details == "screenshot of chat.txt (15 bytes)"

    chosen[0] = too_big
    detail.timeline.attach_button.click()
    qtbot.waitUntil(lambda: "at most 10 MB" in detail.message.text(), timeout=10_000)
    assert detail.message.text().startswith("⚠ 'video.mp4' is 10.0 MB; an attachment can be")
    assert len([i for i in detail.timeline.model.items() if i.attachment]) == 1
    screenshot(detail, "concern_attachment_too_large")

    # A copy is saved where the lead says, with a warning that it is not encrypted.
    detail.timeline.select_source(selected.attachment.id)
    copy = tmp_path / "copy.txt"
    save_titles: list[str] = []

    def save_as(_parent: object, title: str, suggested: str, *_args: object) -> tuple[str, str]:
        save_titles.append(title)
        assert suggested.endswith("screenshot of chat.txt")
        return str(copy), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    detail.timeline.save_copy_button.click()
    qtbot.waitUntil(lambda: "NOT encrypted" in detail.message.text(), timeout=10_000)
    assert "NOT encrypted" in save_titles[0]
    assert copy.read_bytes() == b"they deserve it"
    qtbot.waitUntil(
        lambda: (
            detail.access_model.index(0, detail.access_model.WHY).data()
            == "Opened an attachment (15 bytes)"
        )
    )


def test_reading_a_file_that_is_far_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as handle:
        handle.truncate(concern_attachments.READ_LIMIT + 1)
    with pytest.raises(Exception, match="at most 10 MB"):
        concern_attachments.read_for_attachment(huge)


def test_legal_hold_blocks_delete(
    qtbot: QtBot,
    detail: ConcernDetailDialog,
    dana: Workspace,
    concern_id: str,
    screenshot: Screenshot,
) -> None:
    assert detail.delete_button.isEnabled()
    hold = detail.legal_hold()
    assert hold is not None and hold.placing
    refused(qtbot, hold, "Say why the legal hold is placed")
    hold.reason_edit.setPlainText("Police investigation: request of 02/11 to keep the record.")
    save_form(qtbot, detail, hold)
    assert detail.header.hold_badge.isVisible()
    assert detail.header.value("legal_hold") == "Yes — cannot be deleted"
    assert not detail.delete_button.isEnabled()
    assert "lift the hold" in detail.delete_button.toolTip()
    assert detail.hold_button.text() == "Lift le&gal hold…"
    note = timeline_texts(detail)[-1]
    assert note == (
        "Note (entry 1)",
        "Legal hold placed: Police investigation: request of 02/11 to keep the record.",
    )

    # Whatever the UI shows, the service refuses; its message appears in the form.
    delete = detail.delete_concern()
    assert delete is not None
    assert "erases the concern's content" in delete.explanation.text()
    assert "audit log" in delete.explanation.text()
    delete.reason_edit.setPlainText("Retention period ended.")
    refused(qtbot, delete, "is on legal hold and cannot be deleted")
    delete.reject()

    lift = detail.legal_hold()
    assert lift is not None and not lift.placing
    lift.reason_edit.setPlainText("Investigation closed; police confirmed in writing.")
    save_form(qtbot, detail, lift)
    assert detail.delete_button.isEnabled() and not detail.header.hold_badge.isVisible()

    changes: list[ChangeSet] = []
    detail.changed.connect(changes.append)
    delete = detail.delete_concern()
    assert delete is not None
    screenshot(delete, "concern_delete_dialog")
    refused(qtbot, delete, "Say why the concern is being deleted")
    delete.reason_edit.setPlainText("Retention period ended; reviewed with the DSL deputy.")
    with qtbot.waitSignal(detail.changed, timeout=10_000):
        delete.save_button.click()
    assert changes == [ChangeSet("concern", "delete", (concern_id,))]
    qtbot.waitUntil(lambda: not detail.isVisible())
    assert [c.id for c in dana.concerns.list_concerns()] == []


def test_the_access_log_lists_the_openings(
    qtbot: QtBot, worker: DatabaseWorker, dana: Workspace, concern_id: str, screenshot: Screenshot
) -> None:
    first = show_detail(qtbot, worker, dana, concern_id)
    first.close()
    detail = show_detail(qtbot, worker, dana, concern_id)
    model = detail.access_model
    assert model.rowCount() == 2
    assert detail.tabs.tabText(2) == "&Access log (2)"
    for row in range(2):
        assert model.index(row, model.WHO).data() == "Dana Okafor"
        assert model.index(row, model.ROLE).data() == "Safeguarding lead (DSL / Prevent lead)"
        assert model.index(row, model.WHY).data() == "Opened the details"
        assert UK_DATE_TIME.match(model.index(row, model.WHEN).data())
    # A write reloads the concern; that is not another opening.
    follow_up = detail.set_follow_up()
    assert follow_up is not None
    save_form(qtbot, detail, follow_up)
    assert model.rowCount() == 2
    assert len(dana.concerns.access_log(concern_id)) == 2
    detail.tabs.setCurrentWidget(detail.access_view)
    screenshot(detail, "concern_detail_access_log")


def test_lead_follow_up_risk_and_amended_details(
    qtbot: QtBot, detail: ConcernDetailDialog, dana: Workspace, screenshot: Screenshot
) -> None:
    assign = detail.assign_lead()
    assert assign is not None
    qtbot.waitUntil(assign.save_button.isEnabled)
    names = [assign.choice_combo.itemText(i) for i in range(assign.choice_combo.count())]
    assert names == ["(nobody yet)", "Dana Okafor"]  # sam (manager) and tom are not leads
    assign.choice_combo.setCurrentIndex(1)
    save_form(qtbot, detail, assign)
    assert detail.header.value("lead") == "Dana Okafor"

    follow_up = detail.set_follow_up()
    assert follow_up is not None
    on = date.today() + timedelta(days=7)
    follow_up.date_edit.setDate(qdate(on))
    save_form(qtbot, detail, follow_up)
    assert detail.header.value("follow_up") == on.strftime("%d/%m/%Y")
    clear = detail.set_follow_up()
    assert clear is not None
    clear.set_check.setChecked(False)
    save_form(qtbot, detail, clear)
    assert detail.header.value("follow_up") == "—"

    link = detail.link_risk()
    assert link is not None
    qtbot.waitUntil(link.save_button.isEnabled)
    risk = next(r for r in dana.risks.list_risks() if r.reference == "R-001")
    link.choice_combo.setCurrentIndex(link.choice_combo.findData(risk.id))
    save_form(qtbot, detail, link)
    assert detail.header.value("risk_link") == "R-001"

    amend = detail.amend_details()
    assert amend is not None
    qtbot.waitUntil(lambda: amend.indicator_list.count() >= 10)
    assert amend.indicators() == ("Grievance or injustice narrative", "Threats of violence")
    amend.name_edit.setText("Kyle Whitmore-Hayes")
    amend.others_edit.setText("Two other apprentices")
    qtbot.waitUntil(lambda: amend.type_combo.count() >= 9)
    assert amend.type_combo.currentText() == "Extreme right-wing"
    amend.type_combo.setCurrentText("Mixed, unclear or unstable")
    amend.risk_combo.setCurrentIndex(amend.risk_combo.findData(ImmediateRisk.HIGH))
    screenshot(amend, "concern_amend_details")
    refused(qtbot, amend, "Say why the details are being amended")
    amend.reason_edit.setPlainText("Surname confirmed with the employer.")
    save_form(qtbot, detail, amend)
    assert detail.header.title_label.text().endswith("Kyle Whitmore-Hayes")
    assert detail.details_panel.person_labels["Name"].text() == "Kyle Whitmore-Hayes"
    assert detail.details_panel.others_label.text() == "Two other apprentices"
    assert detail.view is not None
    assert detail.view.summary.concern_type == "Mixed, unclear or unstable"
    assert detail.view.summary.immediate_risk is ImmediateRisk.HIGH
    assert timeline_texts(detail)[-1] == (
        "Correction (entry 1)",
        "Details amended: Surname confirmed with the employer.",
    )


@pytest.mark.parametrize(
    ("button", "kind", "logged"),
    [
        ("summary_pdf_button", "case-summary", "Printed the case summary (redacted)"),
        ("referral_pdf_button", "referral-pack", "Printed the referral pack"),
    ],
)
def test_print_a_pdf(
    qtbot: QtBot,
    detail: ConcernDetailDialog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    button: str,
    kind: str,
    logged: str,
) -> None:
    pytest.importorskip("prevent_desktop.reports.concern_pdf")
    asked: list[tuple[str, str]] = []
    destination = tmp_path / "printout"  # no suffix: the dialog adds it

    def save_as(_parent: object, title: str, suggested: str, *_args: object) -> tuple[str, str]:
        asked.append((title, suggested))
        return str(destination), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    detail.redact_check.setChecked(True)
    getattr(detail, button).click()
    qtbot.waitUntil(lambda: "PDF was saved" in detail.message.text(), timeout=30_000)
    assert detail.view is not None
    title, suggested = asked[0]
    assert "NOT encrypted" in title
    assert Path(suggested).name == f"{detail.view.summary.reference}-{kind}.pdf"
    written = tmp_path / "printout.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    model = detail.access_model
    qtbot.waitUntil(
        lambda: logged in [model.index(r, model.WHY).data() for r in range(model.rowCount())],
        timeout=10_000,
    )


def test_the_models_pass_the_model_tester(
    qtmodeltester: object, workspace: Workspace, dana: Workspace, concern_id: str
) -> None:
    log_as(workspace, "sam")
    concerns = dana.concerns
    concerns.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reading the account.")
    entry = concerns.add_entry(concern_id, EntryKind.NOTE, "First note.").ids[0]
    concerns.add_entry(concern_id, EntryKind.NOTE, "Fixed.", corrects_entry_id=entry)
    concerns.add_attachment(concern_id, "a.txt", b"abc")
    view = concerns.open_concern(concern_id)
    timeline = TimelineModel()
    timeline.set_rows(build_timeline(view))
    same, accesses = SamePersonModel(), AccessLogModel()
    same.set_rows(list(view.same_person))
    accesses.set_rows(list(view.accesses))
    for model in (timeline, same, accesses):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert timeline.rowCount() == 4 and same.rowCount() == 1 and accesses.rowCount() == 1
