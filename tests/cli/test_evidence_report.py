"""`prevent-desktop report evidence` end to end: the manager's signed pack, and a refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf


def _report(run, db: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("report", "evidence", "--db", str(db), "--out", str(out), *extra)


def test_the_manager_writes_a_signed_pack(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "evidence.pdf"
    result = _report(run, demo_db, out)
    assert result.code == 0, result.err
    assert str(out) in result.out and "NOT encrypted" in result.out
    reader = pypdf.PdfReader(out)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Riverside Apprenticeship Centre" in text
    assert "Training development for delivery teams" in text
    assert "commitments have evidence" in text and "Concern handling" in text
    assert f"Signed off by Alex Morgan, Manager, on {date.today():%d/%m/%Y}" in text


def test_staff_are_refused(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "evidence.pdf"
    result = _report(run, demo_db, out, "--user", "jbrown")
    assert result.code == 2
    assert "Jordan Brown (Staff) may not sign off the evidence pack" in result.err
    assert "Traceback" not in result.err and not out.exists()


def test_the_pack_is_a_pdf_and_takes_no_options(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = _report(run, demo_db, tmp_path / "evidence.xlsx")
    assert result.code == 2 and ".pdf" in result.err
    result = _report(run, demo_db, tmp_path / "evidence.pdf", "--quarter", "2026Q1")
    assert result.code == 2 and "--quarter applies to the quarterly report only" in result.err
