"""The organisation's name and the report logo: who may change them, what a logo must be, and
that a logo travels to the site's other laptops."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.branding import (
    LOGO_SETTING,
    MAX_LOGO_BYTES,
    checked_logo,
    read_logo_file,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry, Setting
from tests.conftest import STAFF_PASSPHRASE
from tests.unit.sync_support import Fleet


def picture(size: tuple[int, int] = (240, 80), kind: str = "PNG", *, noise: bool = False) -> bytes:
    """A picture file; with `noise`, one that hardly compresses (a big file for its size)."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (31, 78, 121))
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def sign_in_as_tom(workspace: Workspace) -> Workspace:
    tom, _kek = Workspace.sign_in(workspace.database.path, "tom", STAFF_PASSPHRASE)
    return tom


# ---- the organisation's name ---------------------------------------------------------------


def test_a_manager_renames_the_organisation(workspace: Workspace) -> None:
    change = workspace.site.rename_site("  Northfield   Skills\tGroup ")
    assert (change.record_type, change.ids) == ("site", (workspace.database.site_id,))
    site = workspace.site.site()
    assert site.name == "Northfield Skills Group"
    assert site.code == "LTC"  # the code stays: bundles and references carry it
    assert workspace.site.branding().name == "Northfield Skills Group"


@pytest.mark.parametrize(
    ("name", "message"), [("   ", "Give the organisation's name"), ("x" * 201, "200 at most")]
)
def test_an_empty_or_overlong_name_is_refused(
    workspace: Workspace, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        workspace.site.rename_site(name)
    assert workspace.site.site().name == "Leeds Training Centre"


def test_staff_may_not_rename_the_site_or_change_the_logo(workspace: Workspace) -> None:
    tom = sign_in_as_tom(workspace)
    try:
        with pytest.raises(PermissionDenied):
            tom.site.rename_site("Tom's Academy")
        with pytest.raises(PermissionDenied):
            tom.site.set_report_logo(picture())
        with pytest.raises(PermissionDenied):
            tom.site.clear_report_logo()
        assert tom.site.branding().name == "Leeds Training Centre"  # anyone may read it
    finally:
        tom.close()


# ---- the logo ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_png_or_jpeg_logo_is_kept_and_removed(workspace: Workspace, kind: str) -> None:
    logo = picture(kind=kind)
    change = workspace.site.set_report_logo(logo, f"logo.{kind.lower()}")
    assert change.record_type == "setting" and change.ids
    assert workspace.site.report_logo() == logo
    assert workspace.site.branding().logo == logo
    workspace.site.clear_report_logo()
    assert workspace.site.report_logo() is None
    assert workspace.site.branding().logo is None
    workspace.site.set_report_logo(logo)  # set again after a removal
    assert workspace.site.report_logo() == logo


def test_the_audit_log_notes_a_logo_change_without_copying_it(workspace: Workspace) -> None:
    workspace.site.set_report_logo(picture(noise=True))
    workspace.site.clear_report_logo()
    workspace.site.set_auto_lock_minutes(7)  # any other setting is audited in full
    with workspace.database.reader() as session:
        setting_id = session.scalar(select(Setting.id).where(Setting.key == LOGO_SETTING))
        logo_entries = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.record_id == setting_id)
        ).all()
        last = session.scalars(select(AuditEntry.changes).order_by(AuditEntry.seq.desc())).first()
    assert len(logo_entries) == 2
    for changes in logo_entries:
        assert json.loads(changes)["value"] in ("(recorded)", "(changed)")
        assert len(changes) < 1000
    assert last is not None and json.loads(last)["value"][1] == "7"


def _refused(workspace: Workspace, path: Path, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        workspace.site.set_report_logo(read_logo_file(path), path.name)
    assert path.name in refused.value.message


@pytest.fixture
def with_logo(workspace: Workspace) -> bytes:
    logo = picture()
    workspace.site.set_report_logo(logo)
    return logo


def test_a_text_file_named_png_is_refused_and_the_logo_stays(
    workspace: Workspace, with_logo: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "logo.png"
    path.write_text("This is not a picture, whatever its name says.\n" * 20)
    _refused(workspace, path, "is not a PNG or JPEG picture")
    with pytest.raises(ValidationError, match="not a PNG or JPEG"):
        workspace.site.set_report_logo(path.read_bytes(), "logo.png")
    assert workspace.site.report_logo() == with_logo


def test_a_2_mb_png_is_refused_before_it_is_read(
    workspace: Workspace, with_logo: bytes, tmp_path: Path
) -> None:
    big = picture((840, 840), noise=True)
    assert len(big) > 2_000_000
    path = tmp_path / "huge.png"
    path.write_bytes(big)
    _refused(workspace, path, r"is 2\.0 MB; a logo may be 512 KB at most")
    with pytest.raises(ValidationError, match="512 KB at most"):
        workspace.site.set_report_logo(big, "huge.png")  # the service checks it too
    assert workspace.site.report_logo() == with_logo


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_picture_is_refused(
    workspace: Workspace, with_logo: bytes, tmp_path: Path, kind: str
) -> None:
    whole = picture((200, 200), kind, noise=True)
    path = tmp_path / f"cut.{kind.lower()}"
    path.write_bytes(whole[: len(whole) // 2])
    _refused(workspace, path, f"looks like a {kind} picture but cannot be read")
    assert workspace.site.report_logo() == with_logo


@pytest.mark.parametrize(
    ("size", "message"),
    [((8, 8), "8 × 8 pixels; a logo must be 16 to 2000"), ((1800, 120), "too long and thin")],
)
def test_a_picture_of_silly_dimensions_is_refused(
    size: tuple[int, int], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=message):
        checked_logo(picture(size), "odd.png")


def test_a_missing_file_says_it_could_not_be_read(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"gone\.png could not be read"):
        read_logo_file(tmp_path / "gone.png")


def test_the_limit_is_512_kb(workspace: Workspace) -> None:
    logo = picture((400, 400), noise=True)
    assert 400_000 < len(logo) <= MAX_LOGO_BYTES
    workspace.site.set_report_logo(logo)  # near the limit: accepted
    assert workspace.site.report_logo() == logo


# ---- sync ----------------------------------------------------------------------------------


def test_the_name_and_logo_travel_to_the_sites_other_laptops(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path / "site")
    try:
        a = fleet.first()
        b = fleet.join()
        fleet.send(1, 0, trust=True)
        # Bigger than another laptop takes in one audit entry: the entry must not carry it.
        logo = picture((200, 200), noise=True)
        assert len(logo) > 100_000
        a.site.set_report_logo(logo, "logo.png")
        a.site.rename_site("Northfield Skills Group")
        fleet.send(0, 1)
        assert b.site.branding().name == "Northfield Skills Group"
        assert b.site.report_logo() == logo
        b.site.clear_report_logo()
        fleet.send(1, 0)
        assert a.site.report_logo() is None
    finally:
        fleet.close()
