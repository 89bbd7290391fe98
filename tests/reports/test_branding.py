"""Every PDF carries the organisation's name, and its logo when one is set, on page 1."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from prevent_desktop.domain.incident import LogKind
from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.reports.catalogue import ReportOptions
from prevent_desktop.reports.concern_pdf import write_case_summary
from prevent_desktop.reports.concern_referral_pack import write_referral_pack
from prevent_desktop.reports.concern_statistics import write_concern_statistics_pdf
from prevent_desktop.reports.incident_checklist_pdf import (
    write_bomb_threat_form,
    write_incident_checklist,
    write_incident_log,
)
from prevent_desktop.reports.pdf_page import build_pdf, make_styles, para
from prevent_desktop.reports.quarterly_pdf import write_quarterly_pdf
from prevent_desktop.reports.risk_register_pdf import write_risk_register_pdf
from prevent_desktop.reports.training_matrix_pdf import write_training_matrix_pdf
from prevent_desktop.services.branding import LOGO_SETTING, Branding
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import Setting
from tests.unit.concern_support import sample_input, sign_in

ORGANISATION = "Northfield Skills Group"
BOMB = "Bomb threat received by phone"


def logo_png(size: tuple[int, int] = (360, 120)) -> bytes:
    """A small two-colour mark on a transparent background."""
    picture = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    width, height = size
    draw.ellipse((0, 0, height - 1, height - 1), fill=(31, 78, 121, 255))
    draw.rectangle((height + 10, height // 3, width - 1, 2 * height // 3), fill=(230, 120, 30, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def first_page(path: Path) -> tuple[str, int, int]:
    """Page 1's text (spaces squashed), how many images it draws, and the page count."""
    reader = pypdf.PdfReader(path)
    return (
        " ".join(reader.pages[0].extract_text().split()),
        image_count(reader.pages[0]),
        len(reader.pages),
    )


def image_count(page: pypdf.PageObject) -> int:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return 0
    return sum(
        1 for ref in xobjects.get_object().values() if ref.get_object().get("/Subtype") == "/Image"
    )


Writer = Callable[[Workspace, Path], None]


def _concern_pdf(write: Callable[[Workspace, str, Path], None]) -> Writer:
    def run(workspace: Workspace, out: Path) -> None:
        path = workspace.database.path
        tom = sign_in(path, "tom")
        concern_id = tom.concerns.log_concern(sample_input()).ids[0]
        tom.close()
        dana = sign_in(path, "dana")
        try:
            write(dana, concern_id, out)
        finally:
            dana.close()

    return run


def _incident_log(workspace: Workspace, out: Path) -> None:
    incidents = workspace.incidents
    plan = incidents.plan_by_title(BOMB)
    log_id = incidents.start(plan.id, LogKind.DRILL, at=datetime(2026, 5, 4, 9, tzinfo=UTC)).ids[0]
    write_incident_log(workspace, out, ReportOptions(log_id=log_id))


def _quarterly(workspace: Workspace, out: Path) -> None:
    payload = workspace.quarterly.build(Quarter.containing(date.today()))[0]
    write_quarterly_pdf(
        [payload], out, title="Quarterly Prevent return", branding=workspace.site.branding()
    )


WRITERS: dict[str, Writer] = {
    "risk-register": write_risk_register_pdf,
    "training-matrix": write_training_matrix_pdf,
    "incident-checklist": lambda ws, out: write_incident_checklist(
        ws, out, ReportOptions(plan=BOMB)
    ),
    "incident-pack": lambda ws, out: write_incident_checklist(ws, out, ReportOptions(all=True)),
    "bomb-threat-form": write_bomb_threat_form,
    "incident-log": _incident_log,
    "concern-statistics": write_concern_statistics_pdf,
    "case-summary": _concern_pdf(write_case_summary),
    "referral-pack": _concern_pdf(write_referral_pack),
    "quarterly": _quarterly,
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_page_one_carries_the_name_and_the_logo(
    workspace: Workspace, tmp_path: Path, kind: str
) -> None:
    workspace.site.rename_site(ORGANISATION)
    plain = tmp_path / "plain.pdf"
    WRITERS[kind](workspace, plain)
    text, images, pages = first_page(plain)
    assert ORGANISATION in text
    assert images == 0

    workspace.site.set_report_logo(logo_png(), "logo.png")
    branded = tmp_path / "branded.pdf"
    WRITERS[kind](workspace, branded)
    text, images, branded_pages = first_page(branded)
    assert ORGANISATION in text
    assert images == 1
    if kind == "bomb-threat-form":
        assert branded_pages == pages == 1  # still one sheet to keep by the phone
    reader = pypdf.PdfReader(branded)
    assert all(image_count(page) == 0 for page in reader.pages[1:])


def test_a_jpeg_logo_and_a_long_name_fit_the_header(workspace: Workspace, tmp_path: Path) -> None:
    picture = Image.new("RGB", (200, 200), (31, 78, 121))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    long_name = "The Northfield and District Apprenticeship, Skills and Training Partnership " * 2
    workspace.site.rename_site(long_name)
    workspace.site.set_report_logo(buffer.getvalue(), "logo.jpg")
    out = tmp_path / "register.pdf"
    write_risk_register_pdf(workspace, out)
    text, images, _pages = first_page(out)
    assert images == 1
    assert "The Northfield and District" in text


def test_a_damaged_stored_logo_is_left_out_and_the_report_still_prints(
    workspace: Workspace, tmp_path: Path
) -> None:
    # As if a bundle had brought a logo this laptop never checked: reports must not stop.
    workspace.site.set_report_logo(logo_png(), "logo.png")
    with workspace.database.writer(user_id=None, login="test") as session:
        setting = session.scalar(select(Setting).where(Setting.key == LOGO_SETTING))
        assert setting is not None
        setting.value = "iVBORw0KGgo" + "A" * 40  # a PNG's first bytes, then nothing usable
    out = tmp_path / "form.pdf"
    write_bomb_threat_form(workspace, out)
    _text, images, pages = first_page(out)
    assert images == 0 and pages == 1


def test_build_pdf_still_takes_its_old_arguments(tmp_path: Path) -> None:
    # Callers written before branding (or that have none to give) are unchanged.
    out = tmp_path / "old.pdf"
    styles = make_styles()
    build_pdf(str(out), [para("Hello", styles.body)], title="T", author="A", header="H", footer="F")
    assert first_page(out)[:2] == ("Hello F Page 1 of 1", 0)
    branded = tmp_path / "new.pdf"
    build_pdf(
        str(branded),
        [para("Hello", styles.body)],
        title="T",
        author="A",
        header="H",
        footer="F",
        branding=Branding(ORGANISATION, logo_png()),
    )
    text, images, _pages = first_page(branded)
    assert ORGANISATION in text and images == 1


def test_a_name_without_spaces_is_cut_to_the_header_box() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from prevent_desktop.reports.fonts import BOLD_FONT, register_fonts
    from prevent_desktop.reports.pdf_page import _fitted

    register_fonts()
    lines = _fitted("N" * 200, BOLD_FONT, 8.5, 150)
    assert lines and lines[-1].endswith("…")
    assert all(stringWidth(line, BOLD_FONT, 8.5) <= 150 for line in lines)
