"""`prevent-desktop report training-matrix` end to end: real process, real files read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdf


def _report(run, db: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("report", "training-matrix", "--db", str(db), "--out", str(out), *extra)


def test_pdf(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "matrix.pdf"
    result = _report(run, demo_db, out)
    assert result.code == 0, result.err
    assert str(out) in result.out and "NOT encrypted" in result.out
    reader = pypdf.PdfReader(out)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in ("Training matrix", "Legend", "Compliance", "Łukasz Şahin", "✓", "Page 1 of"):
        assert expected in text, expected
    assert "by Alex Morgan" in text


def test_xlsx_by_a_staff_member(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Training is not confidential: any signed-in user may print the matrix.
    out = tmp_path / "matrix.XLSX"  # the suffix is matched whatever its case
    result = _report(run, demo_db, out, "--user", "jbrown")
    assert result.code == 0, result.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["Matrix", "Compliance", "Due"]
    names = [cell.value for cell in book["Matrix"]["A"][1:]]
    assert "Łukasz Şahin" in names and "Rebecca Stone" not in names  # the leaver is not listed


def test_bad_suffix_and_options_are_usage_errors(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "matrix.csv"
    result = _report(run, demo_db, out)
    assert result.code == 2
    assert ".pdf" in result.err and ".xlsx" in result.err and "Traceback" not in result.err
    assert not out.exists()
    pdf = tmp_path / "matrix.pdf"
    result = _report(run, demo_db, pdf, "--ref", "C-2025-0001")
    assert result.code == 2 and not pdf.exists()


def test_wrong_passphrase_writes_nothing(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "matrix.pdf"
    result = run(
        "report", "training-matrix", "--db", str(demo_db), "--out", str(out), passphrase="nope nope"
    )
    assert result.code == 3 and not out.exists()
