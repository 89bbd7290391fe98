"""The risk register PDF read back: what an inspector would look for is in the text."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from prevent_desktop.errors import KnownError
from prevent_desktop.reports.risk_register_pdf import write_risk_register_pdf
from prevent_desktop.services.workspace import Workspace
from tests.reports.conftest import Added, add_risk


def _text(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(path)
    # Wrapped cells break lines mid-phrase; compare on single spaces.
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def test_pdf_holds_the_register(workspace: Workspace, register: Added, tmp_path: Path) -> None:
    out = tmp_path / "register.pdf"
    write_risk_register_pdf(workspace, out)

    reader, text = _text(out)
    for expected in (
        "Prevent risk register",
        "Leeds Training Centre",
        "Substantial",
        register.title,
        register.action,
        "Briefing notes, signed register",
        "OVERDUE",
        "Booking process tightened.",
        "Page 1 of",
        "Printed on",
        "by Sam Patel",
        "CONFIDENTIAL: not encrypted",
    ):
        assert expected in text, expected
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    assert [p for p in os.listdir(tmp_path) if p.endswith(".tmp")] == []


def test_markup_in_user_text_is_printed_not_obeyed(workspace: Workspace, tmp_path: Path) -> None:
    add_risk(workspace, "Speakers & <b>events</b> <unclosed")
    out = tmp_path / "register.pdf"
    write_risk_register_pdf(workspace, out)
    _reader, text = _text(out)
    assert "Speakers & <b>events</b> <unclosed" in text


def test_very_long_controls_split_across_pages(workspace: Workspace, tmp_path: Path) -> None:
    risk_id = add_risk(workspace)
    risk = workspace.risks.get_risk(risk_id)
    long_controls = "\n".join(f"• Control number {n} with some words" for n in range(400))
    workspace.risks.update_risk(risk_id, replace(risk.as_input(), controls=long_controls))
    out = tmp_path / "register.pdf"
    write_risk_register_pdf(workspace, out)
    assert "Control number 399" in _text(out)[1]


def test_write_failure_is_a_known_error_and_leaves_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    # A folder where the file should go makes the final rename fail, even for root.
    folder = tmp_path / "out"
    target = folder / "register.pdf"
    target.mkdir(parents=True)
    with pytest.raises(KnownError, match=r"register\.pdf"):
        write_risk_register_pdf(workspace, target)
    assert [p.name for p in folder.iterdir()] == ["register.pdf"]
    with pytest.raises(KnownError):
        write_risk_register_pdf(workspace, tmp_path / "missing" / "register.pdf")


def test_existing_file_is_replaced_whole(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "register.pdf"
    out.write_bytes(b"old")
    write_risk_register_pdf(workspace, out)
    assert out.read_bytes().startswith(b"%PDF")


def test_names_in_any_european_script_print(workspace: Workspace, tmp_path: Path) -> None:
    title = "Łukasz Şahin and Zoë Øster report Ώρα/Время concerns"
    add_risk(workspace, title)
    out = tmp_path / "unicode.pdf"
    write_risk_register_pdf(workspace, out)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    for word in ("Łukasz", "Şahin", "Zoë", "Øster", "Ώρα", "Время"):
        assert word in text
    fonts = {
        str(font["/BaseFont"])
        for page in pypdf.PdfReader(out).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts)
