"""`prevent-desktop report risk-register` end to end: real process, real files read back."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pypdf
import pytest

STARTER_RISKS = 10


@pytest.fixture
def site_db(run, data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    db = data_dir / "site.db"
    result = run("init", "--db", str(db), "--site", "Hull Skills Hub", "--user", "kim")
    assert result.code == 0, result.err
    return db


def _report(run, db: Path, out: Path):  # type: ignore[no-untyped-def]
    return run("report", "risk-register", "--db", str(db), "--out", str(out))


def test_pdf(run, site_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.pdf"
    result = _report(run, site_db, out)
    assert result.code == 0, result.err
    assert str(out) in result.out and "NOT encrypted" in result.out
    reader = pypdf.PdfReader(out)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Hull Skills Hub" in text and "Substantial" in text and "R-010" in text
    assert "Page 1 of" in text and "Printed on" in text and "by kim" in text


def test_xlsx(run, site_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.XLSX"  # the suffix is matched whatever its case
    result = _report(run, site_db, out)
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Register", "Action plan"]
    assert book["Register"].max_row == 1 + STARTER_RISKS


def test_csv(run, site_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.csv"
    result = _report(run, site_db, out)
    assert result.code == 0, result.err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Reference" and len(rows) == 1 + STARTER_RISKS


def test_unknown_suffix_is_a_usage_error(run, site_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.docx"
    result = _report(run, site_db, out)
    assert result.code == 2
    assert ".pdf" in result.err and ".xlsx" in result.err and ".csv" in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


def test_wrong_passphrase_writes_nothing(run, site_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "register.pdf"
    result = run(
        "report", "risk-register", "--db", str(site_db), "--out", str(out), passphrase="nope nope"
    )
    assert result.code == 3 and not out.exists()


def test_action_plan_csv(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db = data_dir / "demo.db"
    assert run("demo", "--db", str(db)).code == 0
    out = data_dir / "actions.csv"
    result = run("report", "action-plan", "--db", str(db), "--out", str(out))
    assert result.code == 0, result.err
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + 8  # the demo's eight actions
    assert any("invacuation drill" in row for row in rows)
