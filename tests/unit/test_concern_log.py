"""The concern log's service: who may do what, the workflow, chronology, retention, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
    RetentionRule,
    SubjectKind,
    allowed_next,
    check_transition,
)
from prevent_desktop.errors import KnownError, PermissionDenied, ValidationError
from prevent_desktop.services import concern_reading
from prevent_desktop.services.concern_views import (
    ConcernDetails,
    PersonDetails,
    ReferralInput,
)
from prevent_desktop.services.concerns import MAX_ATTACHMENT_BYTES
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry
from tests.unit.concern_support import ACCOUNT, PERSON, sample_input, sign_in


@pytest.fixture
def roles(workspace: Workspace) -> Iterator[dict[str, Workspace]]:
    """The three roles signed in at once, with one concern logged by staff (tom)."""
    path = workspace.database.path
    staff, lead = sign_in(path, "tom"), sign_in(path, "dana")
    yield {"manager": workspace, "lead": lead, "staff": staff}
    staff.close()
    lead.close()


def _logged(roles: dict[str, Workspace]) -> str:
    return roles["staff"].concerns.log_concern(sample_input()).ids[0]


def _referral() -> ReferralInput:
    return ReferralInput(
        ReferralAgency.PREVENT_POLICE,
        date.today() - timedelta(days=10),
        ReferralMethod.ONLINE_FORM,
        "PRV-55102",
        "Sent via the online form; police acknowledged by email.",
    )


# ---- the permission matrix: every role x every action ------------------------------------

ACTIONS: dict[str, Callable[[Workspace, dict[str, str]], object]] = {
    "log": lambda ws, ids: ws.concerns.log_concern(sample_input()),
    "list": lambda ws, ids: ws.concerns.list_concerns(),
    "counts": lambda ws, ids: ws.concerns.lead_counts(),
    "statistics": lambda ws, ids: ws.concerns.statistics(date(2020, 1, 1), date.today()),
    "reference": lambda ws, ids: ws.concerns.reference_of(ids["other"]),
    "open_own_report": lambda ws, ids: ws.concerns.open_own_report(ids["other"]),
    "open_details": lambda ws, ids: ws.concerns.open_concern(ids["concern"]),
    "change_status": lambda ws, ids: ws.concerns.change_status(
        ids["concern"], ConcernStatus.REFERRED_PREVENT, "Meets the threshold."
    ),
    "amend": lambda ws, ids: ws.concerns.amend_details(
        ids["concern"], ConcernDetails(PERSON, "Amended account."), "Checked the facts"
    ),
    "add_entry": lambda ws, ids: ws.concerns.add_entry(
        ids["concern"], EntryKind.NOTE, "Spoke to tutor."
    ),
    "add_referral": lambda ws, ids: ws.concerns.add_referral(ids["concern"], _referral()),
    "referral_outcome": lambda ws, ids: ws.concerns.record_referral_outcome(
        ids["referral"],
        ReferralOutcome.SIGNPOSTED,
        outcome_on=date.today(),
        support_ended_on=date.today(),
    ),
    "referral_review": lambda ws, ids: (
        ws.concerns.record_referral_outcome(
            ids["referral"],
            ReferralOutcome.ADOPTED_BY_CHANNEL,
            outcome_on=date.today(),
            support_ended_on=date.today(),
        ),
        ws.concerns.record_referral_review(ids["referral"], 6, date.today()),
    ),
    "attach": lambda ws, ids: ws.concerns.add_attachment(ids["concern"], "note.txt", b"hello"),
    "read_attachment": lambda ws, ids: ws.concerns.read_attachment(ids["attachment"]),
    "note_printed": lambda ws, ids: ws.concerns.note_printed(ids["concern"], "Printed"),
    "legal_hold": lambda ws, ids: ws.concerns.set_legal_hold(ids["concern"], True, "Police"),
    "assign": lambda ws, ids: ws.concerns.assign_lead(ids["concern"], None),
    "follow_up": lambda ws, ids: ws.concerns.set_follow_up(ids["concern"], date.today()),
    "link_risk": lambda ws, ids: ws.concerns.link_risk(ids["concern"], None),
    "access_log": lambda ws, ids: ws.concerns.access_log(ids["concern"]),
    "retention_rule": lambda ws, ids: ws.concerns.set_retention_rule(RetentionRule(25, 6)),
    "retention_report": lambda ws, ids: ws.concerns.retention_report(),
    "edit_lists": lambda ws, ids: ws.concerns.set_options("type", ["Islamist", "Other"]),
    "delete": lambda ws, ids: ws.concerns.delete_concern(ids["concern"], "Past retention"),
}
ALLOWED = {
    "staff": {"log", "list"},
    "manager": {
        "log",
        "list",
        "counts",
        "statistics",
        "reference",
        "retention_report",
        "edit_lists",
    },
    "lead": set(ACTIONS) - {"open_own_report"},
}


@pytest.mark.parametrize("role", ["staff", "manager", "lead"])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(roles: dict[str, Workspace], role: str, action: str) -> None:
    """Every role x every action of the concern service: allowed, or refused with a message.
    "other" is a concern the manager logged, so not the staff member's own."""
    concern_id = _logged(roles)
    lead = roles["lead"].concerns
    lead.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reviewing")
    ids = {
        "concern": concern_id,
        "other": roles["manager"].concerns.log_concern(sample_input()).ids[0],
        "referral": lead.add_referral(concern_id, _referral()).ids[0],
        "attachment": lead.add_attachment(concern_id, "a.txt", b"x").ids[0],
    }
    workspace = roles[role]
    if action in ALLOWED[role] or (role == "manager" and action == "open_own_report"):
        ACTIONS[action](workspace, ids)
    else:
        with pytest.raises(KnownError):
            ACTIONS[action](workspace, ids)


def test_a_reporter_opens_their_own_report_whatever_their_role(
    roles: dict[str, Workspace],
) -> None:
    for role in ("staff", "manager", "lead"):
        own = roles[role].concerns.log_concern(sample_input()).ids[0]
        assert roles[role].concerns.open_own_report(own).summary.reported_by_me


def test_staff_see_only_their_own_concerns_and_their_own_account(
    roles: dict[str, Workspace],
) -> None:
    own = _logged(roles)
    roles["manager"].concerns.log_concern(sample_input(account="Manager's own report."))
    staff_rows = roles["staff"].concerns.list_concerns()
    assert [row.id for row in staff_rows] == [own]
    assert staff_rows[0].person is None and staff_rows[0].reported_by_me
    mine = roles["staff"].concerns.open_own_report(own)
    assert mine.details is not None and mine.details.account == ACCOUNT
    assert mine.summary.status is ConcernStatus.REPORTED
    other = next(r.id for r in roles["manager"].concerns.list_concerns() if r.id != own)
    with pytest.raises(PermissionDenied):
        roles["staff"].concerns.open_own_report(other)
    # Found by reference only among what each may see.
    staff, manager = roles["staff"].concerns, roles["manager"].concerns
    assert staff.id_for_reference(staff_rows[0].reference.lower()) == own
    assert staff.id_for_reference(manager.reference_of(other)) is None
    assert manager.id_for_reference(manager.reference_of(other)) == other


def test_the_newest_concerns_and_the_count_keep_to_what_each_may_see(
    roles: dict[str, Workspace],
) -> None:
    own = _logged(roles)
    for n in range(3):
        roles["manager"].concerns.log_concern(sample_input(account=f"Report {n}."))
    for role in ("staff", "manager", "lead"):
        concerns = roles[role].concerns
        every = concerns.list_concerns()
        assert concerns.count_concerns() == len(every)
        newest = concerns.list_concerns(newest=2)
        assert newest == every[:2], role
    assert roles["staff"].concerns.count_concerns() == 1
    assert [s.id for s in roles["staff"].concerns.list_concerns(newest=2)] == [own]
    assert roles["manager"].concerns.count_concerns() == 4


# ---- workflow ----------------------------------------------------------------------------


def test_workflow_to_closure_with_rationale_at_every_step(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    lead = roles["lead"].concerns
    with pytest.raises(ValidationError, match="rationale is required"):
        lead.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "  ")
    with pytest.raises(ValidationError, match="cannot move"):
        lead.change_status(concern_id, ConcernStatus.CLOSED, "Skip ahead")
    lead.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reading the account today.")
    with pytest.raises(ValidationError, match="rationale"):
        lead.change_status(concern_id, ConcernStatus.NO_FURTHER_ACTION, "")
    lead.change_status(
        concern_id,
        ConcernStatus.NO_FURTHER_ACTION,
        "Spoke to Kyle and his tutor: a heated remark about a dispute, no ideology.",
    )
    lead.change_status(concern_id, ConcernStatus.MONITORING, "Tutor to watch for a month.")
    lead.change_status(concern_id, ConcernStatus.CLOSED, "Month passed without concern.")
    detail = lead.open_concern(concern_id)
    assert [s.to_status for s in detail.steps] == [
        ConcernStatus.UNDER_REVIEW,
        ConcernStatus.NO_FURTHER_ACTION,
        ConcernStatus.MONITORING,
        ConcernStatus.CLOSED,
    ]
    assert detail.steps[1].rationale.startswith("Spoke to Kyle")
    assert all(s.by_name == "Dana Okafor" for s in detail.steps)
    assert detail.summary.assigned_lead_name == "Dana Okafor"
    # The reporter sees where it stands, not the rationale.
    assert roles["staff"].concerns.open_own_report(concern_id).summary.status is (
        ConcernStatus.CLOSED
    )


def test_transitions_follow_the_workflow() -> None:
    assert allowed_next(ConcernStatus.REPORTED) == [ConcernStatus.UNDER_REVIEW]
    assert ConcernStatus.MONITORING in allowed_next(ConcernStatus.SUPPORT_PLAN)
    assert check_transition(ConcernStatus.CLOSED, ConcernStatus.UNDER_REVIEW) is None
    assert check_transition(ConcernStatus.REPORTED, ConcernStatus.CLOSED) is not None


# ---- chronology --------------------------------------------------------------------------


def test_chronology_is_append_only_and_corrections_point_back(
    roles: dict[str, Workspace],
) -> None:
    concern_id = _logged(roles)
    lead = roles["lead"].concerns
    lead.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reviewing")
    first = lead.add_entry(concern_id, EntryKind.CALL, "Called mum at 14:10; no answer.").ids[0]
    lead.add_entry(concern_id, EntryKind.NOTE, "It was 14:30, not 14:10.", corrects_entry_id=first)
    entries = lead.open_concern(concern_id).entries
    assert entries[0].body == "Called mum at 14:10; no answer."  # unchanged
    assert entries[1].kind is EntryKind.CORRECTION and entries[1].corrects_entry_id == first
    assert entries[0].corrected_by == (entries[1].id,)
    assert not hasattr(lead, "edit_entry")
    # Even a direct UPDATE on the file is refused by its trigger.
    engine = roles["lead"].database.engine
    with engine.begin() as connection, pytest.raises(IntegrityError, match="append-only"):
        connection.execute(
            text("UPDATE concern_entry SET kind = 'note' WHERE id = :id"), {"id": first}
        )
    with engine.begin() as connection, pytest.raises(IntegrityError, match="append-only"):
        connection.execute(text("UPDATE concern_step SET by_name = 'someone else'"))


def test_a_correction_must_be_in_the_same_chronology(roles: dict[str, Workspace]) -> None:
    a, b = _logged(roles), _logged(roles)
    lead = roles["lead"].concerns
    entry = lead.add_entry(a, EntryKind.NOTE, "Note on A").ids[0]
    with pytest.raises(ValidationError, match="not in this chronology"):
        lead.add_entry(b, EntryKind.NOTE, "Fix", corrects_entry_id=entry)
    with pytest.raises(ValidationError, match="Write the entry"):
        lead.add_entry(a, EntryKind.NOTE, "   ")


# ---- audit of access ---------------------------------------------------------------------


def test_opening_details_is_logged_and_audited(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    lead = roles["lead"]
    lead.concerns.open_concern(concern_id)
    lead.concerns.add_attachment(concern_id, "screenshot.png", b"\x89PNG fake")
    attachment = lead.concerns.open_concern(concern_id).attachments[0]
    assert lead.concerns.read_attachment(attachment.id) == ("screenshot.png", b"\x89PNG fake")
    log = lead.concerns.access_log(concern_id)
    assert [a.purpose for a in log][:3] == [
        "Opened an attachment (9 bytes)",
        "Opened the details",
        "Opened the details",
    ]
    assert all(a.user_name == "Dana Okafor" for a in log[:3])
    with lead.database.reader() as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "concern_access")
        ).all()
    assert len(audited) >= 3 and all(a.user_login in ("dana", "tom") for a in audited)
    # Nothing sealed appears in the audit log.
    with lead.database.reader() as session:
        changes = " ".join(session.scalars(select(AuditEntry.changes)))
    assert "Kyle" not in changes and "deserve" not in changes
    assert lead.database.audit_problems() == []


# ---- referrals ---------------------------------------------------------------------------


def test_referral_outcome_and_reviews_at_6_and_12_months(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    lead = roles["lead"].concerns
    referral_id = lead.add_referral(concern_id, _referral()).ids[0]
    assert lead.lead_counts().referrals_awaiting_outcome == 1
    with pytest.raises(ValidationError, match="date the outcome"):
        lead.record_referral_outcome(
            referral_id, ReferralOutcome.ADOPTED_BY_CHANNEL, outcome_on=None
        )
    ended = date.today() - timedelta(days=200)
    lead.record_referral_outcome(
        referral_id,
        ReferralOutcome.ADOPTED_BY_CHANNEL,
        outcome_on=date.today() - timedelta(days=5),
        support_ended_on=ended,
    )
    referral = lead.open_concern(concern_id).referrals[0]
    assert referral.reference_number == "PRV-55102"
    assert [(r.months, r.done_on) for r in referral.reviews] == [(6, None), (12, None)]
    assert referral.reviews[0].due_on < date.today()
    counts = lead.lead_counts()
    assert counts.referrals_awaiting_outcome == 0 and counts.referral_reviews_due == 1
    lead.record_referral_review(referral_id, 6, date.today())
    assert lead.lead_counts().referral_reviews_due == 0


# ---- attachments -------------------------------------------------------------------------


def test_attachments_have_a_size_limit(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        roles["lead"].concerns.add_attachment(
            concern_id, "video.mp4", b"\0" * (MAX_ATTACHMENT_BYTES + 1)
        )
    assert roles["lead"].concerns.open_concern(concern_id).attachments == ()


# ---- retention ---------------------------------------------------------------------------


def test_retention_dates_legal_hold_and_deletion(roles: dict[str, Workspace]) -> None:
    lead = roles["lead"].concerns
    with_birth = _logged(roles)
    # Born 14/03/2006: the end of the year of their 25th birthday (the exact date would give
    # the birthday away; the column is not sealed).
    assert lead.list_concerns()[0].review_by == date(2031, 12, 31)
    unknown = PersonDetails(SubjectKind.UNKNOWN, description="Older man at the gate")
    without = roles["staff"].concerns.log_concern(sample_input(person=unknown)).ids[0]
    summary = {s.id: s for s in lead.list_concerns()}
    assert summary[without].review_by is None  # open, no date of birth
    for step, why in [
        (ConcernStatus.UNDER_REVIEW, "Review"),
        (ConcernStatus.NO_FURTHER_ACTION, "Visitor; no link to any learner"),
        (ConcernStatus.CLOSED, "Closed"),
    ]:
        lead.change_status(without, step, why, on=date(2019, 1, 10))
    summary = {s.id: s for s in lead.list_concerns()}
    assert summary[without].review_by == date(2025, 1, 10)  # closed + 6 years
    assert [s.id for s in lead.retention_report()] == [without]

    lead.set_retention_rule(RetentionRule(years_after_birth=30, years_after_closure=7))
    summary = {s.id: s for s in lead.list_concerns()}
    assert summary[with_birth].review_by == date(2036, 12, 31)
    assert summary[without].review_by == date(2026, 1, 10)

    lead.set_legal_hold(without, True, "Solicitor's letter of 01/11/2026")
    assert lead.retention_report(date(2027, 1, 1)) == []
    with pytest.raises(ValidationError, match="legal hold"):
        lead.delete_concern(without, "Past retention")
    lead.set_legal_hold(without, False, "Case settled")
    lead.delete_concern(without, "Past retention; reviewed 25/11/2026 with Kyle's file")
    assert without not in {s.id for s in lead.list_concerns()}
    deletion = lead.access_log(without)[0]
    assert deletion.purpose == "Deleted at the end of its retention"
    assert deletion.note == "Past retention; reviewed 25/11/2026 with Kyle's file"
    with roles["lead"].database.reader() as session:
        from prevent_desktop.store.concern_models import Concern, ConcernEntry

        erased = session.get(Concern, without)
        assert erased is not None and erased.deleted and erased.details_sealed == b""
        bodies = session.scalars(
            select(ConcernEntry.body_sealed).where(ConcernEntry.concern_id == without)
        ).all()
        assert bodies and all(body == b"" for body in bodies)
        deletes = session.scalars(
            select(AuditEntry).where(AuditEntry.record_id == without, AuditEntry.action == "delete")
        ).all()
        assert len(deletes) == 1 and deletes[0].user_login == "dana"


# ---- grouping, statistics, lists ---------------------------------------------------------


@pytest.mark.parametrize("lookups", [0, 3, 500])
def test_the_same_person_is_found_however_the_concerns_are_read(
    roles: dict[str, Workspace], monkeypatch: pytest.MonkeyPatch, lookups: int
) -> None:
    """Found by id once the session knows who concerns are about, else in one pass over every
    concern, and in a pass too when the person has more concerns than are looked up by id:
    each way gives the same concerns, newest first, as the list shows them. A concern changed
    since the session learnt its person is read again (0: always a pass; 3: by id, with a
    pass for the first look; 500: always by id)."""
    monkeypatch.setattr(concern_reading, "SAME_PERSON_LOOKUPS", lookups)
    first = _logged(roles)
    kyle = PersonDetails(SubjectKind.APPRENTICE, "kyle whitmore", learner_reference="l-20417")
    manager = roles["manager"].concerns
    others = [manager.log_concern(sample_input(person=kyle)).ids[0] for _ in range(2)]
    roles["staff"].concerns.log_concern(
        sample_input(person=PersonDetails(SubjectKind.APPRENTICE, "Amira Khan"))
    )
    lead = roles["lead"].concerns
    before_any_list = lead.open_concern(first).same_person  # the session knows nobody yet
    listed = {s.id: s for s in lead.list_concerns()}
    expected = (listed[others[1]], listed[others[0]])
    assert before_any_list == expected
    assert lead.open_concern(first).same_person == expected  # everyone known now
    assert [s.id for s in lead.open_concern(others[0]).same_person] == [others[1], first]
    # Kyle's newer concern turns out to be about Amira: known before, but changed since.
    moved = lead.open_concern(others[1]).details
    amira = PersonDetails(SubjectKind.APPRENTICE, "Amira Khan")
    lead.amend_details(others[1], replace(moved, person=amira), "Wrong learner chosen")
    assert [s.id for s in lead.open_concern(first).same_person] == [others[0]]
    assert len(lead.open_concern(others[1]).same_person) == 1  # the staff member's Amira


def test_concerns_about_the_same_person_are_grouped(roles: dict[str, Workspace]) -> None:
    first = _logged(roles)
    second = (
        roles["manager"]
        .concerns.log_concern(
            sample_input(
                person=PersonDetails(
                    SubjectKind.APPRENTICE, "kyle whitmore", learner_reference="l-20417"
                )
            )
        )
        .ids[0]
    )
    roles["staff"].concerns.log_concern(
        sample_input(person=PersonDetails(SubjectKind.APPRENTICE, "Amira Khan"))
    )
    detail = roles["lead"].concerns.open_concern(first)
    assert [s.id for s in detail.same_person] == [second]

    # The lead's session remembers who each concern is about; an amendment is seen at once.
    lead = roles["lead"].concerns
    amira = PersonDetails(SubjectKind.APPRENTICE, "Amira Khan")
    moved = lead.open_concern(second).details
    lead.amend_details(second, replace(moved, person=amira), "Wrong learner chosen")
    assert lead.open_concern(first).same_person == ()
    listed = {s.id: s.person for s in lead.list_concerns()}
    assert listed[second] == amira.display()


def test_statistics_count_without_identities(roles: dict[str, Workspace]) -> None:
    _logged(roles)
    _logged(roles)
    other = roles["staff"].concerns.log_concern(sample_input(concern_type="Islamist")).ids[0]
    roles["lead"].concerns.change_status(other, ConcernStatus.UNDER_REVIEW, "Review")
    roles["lead"].concerns.add_referral(other, _referral())
    stats = roles["manager"].concerns.statistics(date.today() - timedelta(days=1), date.today())
    assert stats.total == 3
    assert stats.by_type == {"Extreme right-wing": 2, "Islamist": 1}
    assert stats.by_status == {"Reported": 2, "Under review": 1}
    assert stats.by_outcome == {"Awaiting outcome": 1}
    assert sum(stats.by_month.values()) == 3
    with pytest.raises(ValidationError, match="ends before"):
        roles["manager"].concerns.statistics(date.today(), date.today() - timedelta(days=1))


def test_lists_are_configurable_and_retired_labels_kept(roles: dict[str, Workspace]) -> None:
    manager = roles["manager"].concerns
    types = manager.options("type")
    assert types[0] == "Islamist" and "No ideology identified" in types
    assert "Fixation on mass violence" in manager.options("indicator")
    manager.set_options("type", ["Islamist", "Extreme right-wing", "Incel ideology"])
    assert manager.options("type") == ["Islamist", "Extreme right-wing", "Incel ideology"]
    assert "Conflicted" in manager.options("type", include_inactive=True)
    with pytest.raises(ValidationError, match="twice"):
        manager.set_options("type", ["Other", "other"])
    with pytest.raises(ValidationError, match="at least one"):
        manager.set_options("type", ["  "])


def test_bad_input_is_refused_with_nothing_written(roles: dict[str, Workspace]) -> None:
    staff = roles["staff"].concerns
    bad = sample_input(account="  ")
    with pytest.raises(ValidationError, match="Describe what you saw"):
        staff.log_concern(bad)
    future = sample_input()
    future = type(future)(
        datetime.now(UTC) + timedelta(days=1),
        future.concern_type,
        future.immediate_risk,
        future.details,
    )
    with pytest.raises(ValidationError, match="future"):
        staff.log_concern(future)
    nameless = sample_input(person=PersonDetails(SubjectKind.APPRENTICE, ""))
    with pytest.raises(ValidationError, match="apprentice's name"):
        staff.log_concern(nameless)
    assert staff.list_concerns() == []


def test_references_count_up_within_the_year(roles: dict[str, Workspace]) -> None:
    ids = [_logged(roles) for _ in range(3)]
    year = date.today().year
    refs = {s.id: s.reference for s in roles["lead"].concerns.list_concerns()}
    assert [refs[i] for i in ids] == [f"C-{year}-{n:04d}" for n in (1, 2, 3)]


def test_amending_details_keeps_the_reporters_copy(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    lead = roles["lead"].concerns
    amended = ConcernDetails(
        person=PersonDetails(SubjectKind.APPRENTICE, "Kyle Whitmore", learner_reference="L-20417"),
        account=ACCOUNT + " (He later apologised to the supervisor.)",
    )
    with pytest.raises(ValidationError, match="why"):
        lead.amend_details(concern_id, amended, "")
    lead.amend_details(concern_id, amended, "Learner record checked; DOB was wrong")
    detail = lead.open_concern(concern_id)
    assert detail.details.account.endswith("apologised to the supervisor.)")
    assert detail.entries[-1].kind is EntryKind.CORRECTION
    own = roles["staff"].concerns.open_own_report(concern_id).details
    assert own is not None and own.account == ACCOUNT and own.person == PERSON


def test_a_database_from_before_the_concern_log_gets_its_lists(created_db: Path) -> None:
    workspace = sign_in(created_db, "sam")
    assert workspace.concerns.options("type")
    workspace.close()


def test_demo_concerns_cover_every_state(data_dir: Path) -> None:
    from prevent_desktop.services.demo import build_demo

    passphrase = "river otter lantern 7"
    build_demo(data_dir / "demo.db", passphrase).close()
    lead, _kek = Workspace.sign_in(data_dir / "demo.db", "pshah", passphrase)
    try:
        concerns = lead.concerns.list_concerns()
        assert {c.status for c in concerns} == set(ConcernStatus)
        counts = lead.concerns.lead_counts()
        assert counts.awaiting_review and counts.referrals_awaiting_outcome
        assert counts.referral_reviews_due and counts.follow_ups_overdue
        assert lead.concerns.retention_report()
        keys = [c.person_key for c in concerns if c.person_key]
        assert len(keys) > len(set(keys))  # someone has more than one concern
        detail = lead.concerns.open_concern(
            next(c.id for c in concerns if c.status is ConcernStatus.REFERRED_PREVENT)
        )
        assert detail.referrals and detail.attachments
        assert any(e.corrects_entry_id for e in detail.entries)
        assert len({c.recorded_at.strftime("%Y-%m") for c in concerns}) >= 5
        assert lead.database.audit_problems() == []
    finally:
        lead.close()


def test_the_reference_is_for_the_reporter_and_the_list(roles: dict[str, Workspace]) -> None:
    concern_id = _logged(roles)
    reference = roles["staff"].concerns.reference_of(concern_id)
    assert reference.startswith("C-") and roles["manager"].concerns.reference_of(concern_id)
    other = roles["manager"].concerns.log_concern(sample_input()).ids[0]
    with pytest.raises(PermissionDenied):
        roles["staff"].concerns.reference_of(other)
