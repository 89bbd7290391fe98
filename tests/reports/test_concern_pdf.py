"""The concern printouts read back: case summary, redacted copy, referral pack, statistics."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
)
from prevent_desktop.errors import KnownError, PermissionDenied, UsageError
from prevent_desktop.reports.concern_page import find_concern_id
from prevent_desktop.reports.concern_pdf import write_case_summary
from prevent_desktop.reports.concern_referral_pack import SECTIONS, write_referral_pack
from prevent_desktop.reports.concern_statistics import (
    current_quarter,
    write_concern_statistics,
    write_concern_statistics_pdf,
)
from prevent_desktop.services.concern_views import ReferralInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.sealing import SafeguardingLocked
from tests.unit.concern_support import PERSON, sample_input, sign_in

SUBJECT = "Łukasz Şahin"
OTHERS = "Zofia Nowak and Ömer Yılmaz"
ACCOUNT = (
    'At break Łukasz said "they will get what is coming" and showed Zofia Nowak a video. '
    "Tom Reed heard it too."
)
RATIONALE = "Grievance narrative and a threat; discussed with the Prevent coordinator."
ENTRY = "Phoned the employer's HR contact about attendance."
CORRECTION = "The call was on Tuesday, not Monday."
REFERENCE_NUMBER = "PRV-88412"


@dataclass(frozen=True)
class Case:
    path: Path
    concern_id: str
    reference: str


@pytest.fixture
def case(workspace: Workspace) -> Iterator[Case]:
    """Logged by tom, worked by dana: a decision, two entries and a correction, a referral
    with its outcome and end of support, an attachment."""
    path = workspace.database.path
    staff = sign_in(path, "tom")
    data = sample_input(person=replace(PERSON, name=SUBJECT), account=ACCOUNT)
    data = replace(data, details=replace(data.details, others_present=OTHERS))
    concern_id = staff.concerns.log_concern(data).ids[0]
    staff.close()

    lead = sign_in(path, "dana")
    concerns = lead.concerns
    concerns.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Reviewing today.")
    concerns.change_status(concern_id, ConcernStatus.REFERRED_PREVENT, RATIONALE)
    first = concerns.add_entry(
        concern_id, EntryKind.CALL, ENTRY, occurred_at=datetime.now(UTC) - timedelta(hours=1)
    ).ids[0]
    concerns.add_entry(concern_id, EntryKind.NOTE, CORRECTION, corrects_entry_id=first)
    referral_id = concerns.add_referral(
        concern_id,
        ReferralInput(
            ReferralAgency.PREVENT_POLICE,
            date.today() - timedelta(days=60),
            ReferralMethod.ONLINE_FORM,
            reference_number=REFERENCE_NUMBER,
        ),
    ).ids[0]
    concerns.record_referral_outcome(
        referral_id,
        ReferralOutcome.ADOPTED_BY_CHANNEL,
        outcome_on=date.today() - timedelta(days=40),
        support_ended_on=date.today() - timedelta(days=10),
    )
    concerns.add_attachment(concern_id, "Statement Zofia Nowak.pdf", b"%PDF-1.4 fake" * 200)
    reference = concerns.list_concerns()[0].reference
    lead.close()
    yield Case(path, concern_id, reference)


@pytest.fixture
def lead(case: Case) -> Iterator[Workspace]:
    workspace = sign_in(case.path, "dana")
    yield workspace
    workspace.close()


def _text(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(path)
    return reader, " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def _purposes(workspace: Workspace, concern_id: str) -> list[str]:
    return [access.purpose for access in workspace.concerns.access_log(concern_id)]


def test_case_summary_holds_the_whole_record(lead: Workspace, case: Case, tmp_path: Path) -> None:
    out = tmp_path / "case.pdf"
    write_case_summary(lead, case.concern_id, out)

    reader, text = _text(out)
    for expected in (
        "Prevent concern: case summary",
        case.reference,
        "Leeds Training Centre (LTC)",
        "Referred to Prevent / police",
        "Extreme right-wing",
        "Medium",
        SUBJECT,
        "L-20417",
        "Northway Logistics",
        "Canteen, ground floor",
        '"they will get what is coming"',
        OTHERS,
        "Grievance or injustice narrative",
        "Tom Reed (Staff)",  # the reporter
        "Dana Okafor",  # the lead who decided
        RATIONALE,
        "Under review → Referred to Prevent / police",
        ENTRY,
        "CORRECTION",
        "Corrects entry 1.",
        "CORRECTED later: see entry 2.",
        "Counter-terrorism police (Prevent)",
        REFERENCE_NUMBER,
        "Adopted by Channel",
        "6-month review due",
        "12-month review due",
        "Statement Zofia Nowak.pdf",
        "3 KB",
        "Access log",
        "Printed the case summary",
        "Page 1 of",
        "NOT encrypted — keep securely",
        "by Dana Okafor",
    ):
        assert expected in text, expected
    assert "[redacted]" not in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    box = reader.pages[0].mediabox
    assert box.height > box.width  # portrait A4
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []
    # Dates are dd/mm/yyyy HH:mm in local time.
    assert datetime.now().astimezone().strftime("%d/%m/%Y") in text


def test_printing_is_in_the_access_log(lead: Workspace, case: Case, tmp_path: Path) -> None:
    write_case_summary(lead, case.concern_id, tmp_path / "a.pdf")
    write_case_summary(lead, case.concern_id, tmp_path / "b.pdf", redact_third_parties=True)
    write_referral_pack(lead, case.concern_id, tmp_path / "c.pdf")
    purposes = _purposes(lead, case.concern_id)
    assert purposes.count("Printed the case summary") == 1
    assert purposes.count("Printed the case summary (redacted)") == 1
    assert purposes.count("Printed the referral pack") == 1


def test_redacted_copy_keeps_only_the_subjects_name(
    lead: Workspace, case: Case, tmp_path: Path
) -> None:
    out = tmp_path / "redacted.pdf"
    write_case_summary(lead, case.concern_id, out, redact_third_parties=True)

    reader, text = _text(out)
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert "REDACTED COPY" in first_page and "'Others present'" in first_page
    assert "check every line by hand" in first_page and "before sharing" in first_page
    assert SUBJECT in text and "[redacted]" in text
    for name in ("Zofia Nowak", "Ömer Yılmaz", "Tom Reed", "Dana Okafor", "Sam Patel"):
        assert name not in text, name
    # Names given under "others present" and staff names are caught in the account too.
    assert "showed [redacted] a video" in text and "[redacted] heard it too" in text
    assert "Staff" in text and "Safeguarding lead" in text  # roles stand in for names
    assert "Printed the case summary (redacted)" in text


def test_referral_pack_follows_the_forms_sections(
    lead: Workspace, case: Case, tmp_path: Path
) -> None:
    out = tmp_path / "pack.pdf"
    write_referral_pack(lead, case.concern_id, out)

    _reader, text = _text(out)
    positions = [text.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)
    ends = [*positions[1:], len(text)]
    person, concerns, needs, other = (text[a:b] for a, b in zip(positions, ends, strict=True))
    assert SUBJECT in person and "L-20417" in person and "14/03/2006" in person
    for expected in (ACCOUNT, "Extreme right-wing", "Canteen, ground floor", "Tom Reed (Staff)"):
        assert expected in concerns, expected
    assert "Threats of violence" in concerns and OTHERS in concerns
    assert "no field for this" in needs
    assert "Counter-terrorism police (Prevent)" in other and REFERENCE_NUMBER in other
    assert "Adopted by Channel" in other
    assert "Leeds Training Centre" in other and "Dana Okafor" in other
    assert "NOT encrypted — keep securely" in text


@pytest.mark.parametrize("login", ["sam", "tom"])
def test_only_a_lead_may_print(case: Case, tmp_path: Path, login: str) -> None:
    workspace = sign_in(case.path, login)
    try:
        for write in (write_case_summary, write_referral_pack):
            out = tmp_path / f"{login}.pdf"
            with pytest.raises(PermissionDenied):
                write(workspace, case.concern_id, out)
            assert not out.exists()
    finally:
        workspace.close()


def test_a_lead_without_the_key_is_refused(case: Case, tmp_path: Path) -> None:
    from prevent_desktop.domain.roles import Role

    manager = sign_in(case.path, "sam")
    manager.users.add_user(
        login="eve",
        display_name="Eve Marsh",
        role=Role.SAFEGUARDING_LEAD,
        is_safeguarding_lead=True,
        passphrase="amber meadow falcon 88",
    )
    manager.close()
    eve, _ = Workspace.sign_in(case.path, "eve", "amber meadow falcon 88")
    try:
        with pytest.raises(SafeguardingLocked):
            write_case_summary(eve, case.concern_id, tmp_path / "eve.pdf")
        assert not (tmp_path / "eve.pdf").exists()
    finally:
        eve.close()


def test_a_failed_write_leaves_nothing_and_says_so_in_the_log(
    lead: Workspace, case: Case, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    target = folder / "case.pdf"
    target.mkdir(parents=True)  # a folder where the file should go: the rename fails
    with pytest.raises(KnownError, match=r"case\.pdf"):
        write_case_summary(lead, case.concern_id, target)
    assert [p.name for p in folder.iterdir()] == ["case.pdf"]
    assert "Printed the case summary: not saved, the write failed" in _purposes(
        lead, case.concern_id
    )


def test_markup_in_the_account_is_printed_not_obeyed(workspace: Workspace, tmp_path: Path) -> None:
    path = workspace.database.path
    account = "He wrote <b>kill</b> & <unclosed on the board"
    lead = sign_in(path, "dana")
    try:
        concern_id = lead.concerns.log_concern(sample_input(account=account)).ids[0]
        out = tmp_path / "case.pdf"
        write_case_summary(lead, concern_id, out)
        assert account in _text(out)[1]
    finally:
        lead.close()


def test_references_are_found_or_refused(lead: Workspace, case: Case) -> None:
    assert find_concern_id(lead, case.reference.lower()) == case.concern_id
    with pytest.raises(UsageError, match="C-1999-0042"):
        find_concern_id(lead, "C-1999-0042")
    with pytest.raises(UsageError, match="look like"):
        find_concern_id(lead, "nonsense")


def test_statistics_have_counts_and_no_identities(
    workspace: Workspace, case: Case, tmp_path: Path
) -> None:
    start, end = current_quarter()
    out = tmp_path / "stats.csv"
    write_concern_statistics(workspace, out)  # a manager may
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Section", "Item", "Count"]
    assert ["Total", "Concerns recorded", "1"] in rows
    assert ["By type", "Extreme right-wing", "1"] in rows
    assert ["By status now", "Referred to Prevent / police", "1"] in rows
    assert ["Referral outcomes", "Adopted by Channel", "1"] in rows
    months = [row[1] for row in rows if row[0] == "By month recorded"]
    assert months[0] == f"{start:%Y-%m}" and months[-1] == f"{end:%Y-%m}"
    assert ["Period", f"{start:%d/%m/%Y} to {end:%d/%m/%Y}", ""] in rows
    text = raw.decode("utf-8-sig")
    for secret in (SUBJECT, "Tom Reed", "Dana Okafor", case.reference, "canteen"):
        assert secret not in text

    pdf = tmp_path / "stats.pdf"
    write_concern_statistics_pdf(
        workspace, pdf, start=date.today() - timedelta(days=400), end=date.today()
    )
    _reader, pdf_text = _text(pdf)
    assert "Prevent concerns: statistics" in pdf_text and "Extreme right-wing" in pdf_text
    assert SUBJECT not in pdf_text and case.reference not in pdf_text


def test_staff_get_no_statistics(case: Case, tmp_path: Path) -> None:
    staff = sign_in(case.path, "tom")
    try:
        with pytest.raises(PermissionDenied):
            write_concern_statistics(staff, tmp_path / "stats.csv")
        assert not (tmp_path / "stats.csv").exists()
    finally:
        staff.close()


def test_very_long_account_and_entry_run_across_pages(workspace: Workspace, tmp_path: Path) -> None:
    path = workspace.database.path
    account = "\n".join(f"Line {n} of what was said in the workshop." for n in range(400))
    lead = sign_in(path, "dana")
    try:
        concern_id = lead.concerns.log_concern(sample_input(account=account)).ids[0]
        body = "\n".join(f"Call note {n}: spoke with the employer." for n in range(300))
        lead.concerns.add_entry(concern_id, EntryKind.CALL, body)
        for write, name in ((write_case_summary, "case.pdf"), (write_referral_pack, "pack.pdf")):
            write(lead, concern_id, tmp_path / name)
            reader, text = _text(tmp_path / name)
            assert len(reader.pages) > 3
            assert "Line 399 of what was said" in text and "Call note 299:" in text
    finally:
        lead.close()
