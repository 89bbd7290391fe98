"""`prevent-desktop report concern | referral-pack | concern-statistics` end to end."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pypdf
import pytest

from prevent_desktop.domain.concern import ConcernStatus
from tests.conftest import LEAD_PASSPHRASE, STAFF_PASSPHRASE, add_dana_and_tom
from tests.unit.concern_support import PERSON, sample_input, sign_in

SUBJECT = "Łukasz Şahin"
OTHERS = "Zofia Nowak and Ömer Yılmaz"
RATIONALE = "Threat made in front of others; referring today."


@dataclass(frozen=True)
class Site:
    db: Path
    concern_id: str
    reference: str


@pytest.fixture
def site(created_db: Path) -> Site:
    """sam (manager), dana (lead) and tom (staff); one concern logged by tom, referred by dana.
    Every session is closed again, so the command has the database to itself."""
    manager = sign_in(created_db, "sam")
    add_dana_and_tom(manager)
    manager.close()
    staff = sign_in(created_db, "tom")
    data = sample_input(person=replace(PERSON, name=SUBJECT))
    data = replace(data, details=replace(data.details, others_present=OTHERS))
    concern_id = staff.concerns.log_concern(data).ids[0]
    staff.close()
    lead = sign_in(created_db, "dana")
    lead.concerns.change_status(concern_id, ConcernStatus.UNDER_REVIEW, "Looking at it now.")
    lead.concerns.change_status(concern_id, ConcernStatus.REFERRED_PREVENT, RATIONALE)
    reference = lead.concerns.list_concerns()[0].reference
    lead.close()
    return Site(created_db, concern_id, reference)


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _as_lead(run, site: Site, *args: str):  # type: ignore[no-untyped-def]
    return run("report", *args, "--db", str(site.db), "--user", "dana", passphrase=LEAD_PASSPHRASE)


def _purposes(site: Site) -> list[str]:
    lead = sign_in(site.db, "dana")
    try:
        return [access.purpose for access in lead.concerns.access_log(site.concern_id)]
    finally:
        lead.close()


def test_lead_writes_a_case_summary(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "case.pdf"
    result = _as_lead(run, site, "concern", "--ref", site.reference, "--out", str(out))
    assert result.code == 0, result.err
    assert site.reference in result.out and "NOT encrypted" in result.out
    text = _pdf_text(out)
    for expected in (site.reference, SUBJECT, OTHERS, RATIONALE, "canteen", "Tom Reed"):
        assert expected in text, expected
    assert "Printed the case summary" in _purposes(site)


def test_redacted_case_summary(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "redacted.pdf"
    ref = site.reference.lower()  # typed in lower case, still found
    result = _as_lead(run, site, "concern", "--ref", ref, "--redact", "--out", str(out))
    assert result.code == 0, result.err
    text = _pdf_text(out)
    assert SUBJECT in text and "[redacted]" in text and "REDACTED COPY" in text
    for name in ("Zofia Nowak", "Ömer Yılmaz", "Tom Reed", "Dana Okafor"):
        assert name not in text, name
    assert "Printed the case summary (redacted)" in _purposes(site)


def test_lead_writes_a_referral_pack(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pack.pdf"
    result = _as_lead(run, site, "referral-pack", "--ref", site.reference, "--out", str(out))
    assert result.code == 0, result.err
    text = _pdf_text(out)
    sections = ["1. The person's details", "2. Describe the concerns", "3. Complex needs"]
    sections.append("4. Other information")
    positions = [text.find(section) for section in sections]
    assert min(positions) >= 0 and positions == sorted(positions)
    assert SUBJECT in text and "Leeds Training Centre" in text
    assert "Printed the referral pack" in _purposes(site)


@pytest.mark.parametrize("kind", ["concern", "referral-pack"])
def test_a_manager_is_refused_and_nothing_is_written(
    run, site: Site, tmp_path: Path, kind: str
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "case.pdf"
    result = run("report", kind, "--ref", site.reference, "--db", str(site.db), "--out", str(out))
    assert result.code == 2
    assert "Sam Patel (Manager) may not read a concern's details" in result.err
    assert "Traceback" not in result.err
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == []


def test_unknown_reference_is_a_usage_error(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "case.pdf"
    result = _as_lead(run, site, "concern", "--ref", "C-1999-0042", "--out", str(out))
    assert result.code == 2
    assert "There is no concern C-1999-0042" in result.err
    assert not out.exists()
    assert not any("Printed" in purpose for purpose in _purposes(site))


def test_bad_options_are_refused_before_the_passphrase(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.pdf"
    db = ("--db", str(site.db))
    cases = [
        (("concern", "--ref", "C-25-1", "--out", str(out)), "not a concern reference"),
        (("concern", "--out", str(out)), "--ref"),
        (("referral-pack", "--out", str(out)), "--ref"),
        (("risk-register", "--redact", "--out", str(out)), "--redact"),
        (("referral-pack", "--ref", site.reference, "--redact", "--out", str(out)), "--redact"),
        (("risk-register", "--ref", site.reference, "--out", str(out)), "leave out --ref"),
        (("concern", "--ref", site.reference, "--out", str(tmp_path / "x.csv")), ".pdf"),
        (
            ("concern-statistics", "--from", "01/05/2025", "--to", "01/04/2025", "--out", "s.csv"),
            "ends",
        ),
    ]
    for args, message in cases:
        # No passphrase is given: had the command asked for one, the error would say so.
        result = run("report", *args, *db, passphrase=None)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)
        assert "passphrase" not in result.err.lower(), args
    assert not out.exists()
    result = run("report", "concern-statistics", "--from", "31/02/2025", "--out", "s.csv", *db)
    assert result.code == 2 and "is not a date" in result.err


def test_a_manager_writes_the_statistics(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "stats.csv"
    result = run("report", "concern-statistics", "--db", str(site.db), "--out", str(out))
    assert result.code == 0, result.err
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert ["Total", "Concerns recorded", "1"] in rows
    assert ["By type", "Extreme right-wing", "1"] in rows
    quarter_start = date(date.today().year, 3 * ((date.today().month - 1) // 3) + 1, 1)
    period = f"{quarter_start:%d/%m/%Y} to {date.today():%d/%m/%Y}"
    assert ["Period", period, ""] in rows
    text = out.read_text(encoding="utf-8-sig")
    assert SUBJECT not in text and site.reference not in text and "Tom Reed" not in text

    # Both date forms; a period with nothing in it still has its rows.
    out = tmp_path / "old.pdf"
    result = run(
        "report",
        "concern-statistics",
        "--from",
        "01/01/2020",
        "--to",
        "2020-03-31",
        "--db",
        str(site.db),
        "--out",
        str(out),
    )
    assert result.code == 0, result.err
    text = _pdf_text(out)
    assert "01/01/2020 to 31/03/2020" in text and "2020-03" in text


def test_staff_get_no_statistics(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "stats.csv"
    result = run(
        "report",
        "concern-statistics",
        "--db",
        str(site.db),
        "--user",
        "tom",
        "--out",
        str(out),
        passphrase=STAFF_PASSPHRASE,
    )
    assert result.code == 2 and "may not see concern statistics" in result.err
    assert not out.exists()


def test_the_risk_register_still_writes(run, site: Site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.pdf"
    result = run("report", "risk-register", "--db", str(site.db), "--out", str(out))
    assert result.code == 0, result.err
    assert "Prevent risk register" in _pdf_text(out)


def test_safeguarding_recovery_key_from_the_command_line(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    assert run("demo", "--db", str(db)).code == 0
    manager = run("safeguarding-recovery-key", "--db", str(db))
    assert manager.code == 2 and "safeguarding lead" in manager.err
    lead = run("safeguarding-recovery-key", "--db", str(db), "--user", "pshah")
    assert lead.code == 0, lead.err
    key = lead.out.strip()
    assert len(key.replace("-", "")) == 64
    key_file = data_dir / "sg.txt"
    key_file.write_text("0000-0000\n")
    wrong = run(
        "restore-safeguarding",
        "--db",
        str(db),
        "--user",
        "pshah",
        "--safeguarding-key-file",
        str(key_file),
    )
    assert wrong.code == 3 and "recovery key" in wrong.err
    key_file.write_text(key + "\n")
    staff = run(
        "restore-safeguarding",
        "--db",
        str(db),
        "--user",
        "jbrown",
        "--safeguarding-key-file",
        str(key_file),
    )
    assert staff.code == 2
    again = run(
        "restore-safeguarding",
        "--db",
        str(db),
        "--user",
        "pshah",
        "--safeguarding-key-file",
        str(key_file),
    )
    assert again.code == 0 and "restored" in again.out
