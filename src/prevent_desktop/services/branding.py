"""The organisation's name and logo as every PDF shows them, and the checks a logo must pass.

A logo is kept as a site setting (base64 text), so it travels to the site's other laptops with
the other settings. It is checked when it is chosen, not when a report is printed: only a PNG
or JPEG that really decodes, of at most 512 KB and of sensible dimensions, is accepted. The
decoding is ReportLab's (the report library, through Pillow, which it already needs), so a
file that passes here is one the reports can draw.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from prevent_desktop.errors import ValidationError
from prevent_desktop.store.models import REPORT_LOGO_SETTING

logger = logging.getLogger(__name__)

LOGO_SETTING = REPORT_LOGO_SETTING
MAX_LOGO_BYTES = 512 * 1024
# Printed at most about 20 mm high: a few hundred pixels is plenty; 2000 keeps every PDF small.
LOGO_SIDES = (16, 2000)
MAX_LOGO_ASPECT = 8  # wider (or taller) than 8:1 cannot be read at the size it is printed
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
SITE_NAME_LIMIT = 200  # the site table's column


@dataclass(frozen=True)
class Branding:
    """What the first page of every PDF carries at its top right: the organisation's name
    and, when one is set, its logo (the PNG or JPEG file's bytes)."""

    name: str
    logo: bytes | None = None


def logo_kind(data: bytes) -> str | None:
    """ "PNG" or "JPEG" by the file's first bytes (never by its name), else None."""
    if data.startswith(PNG_MAGIC):
        return "PNG"
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    return None


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1_048_576:.1f} MB"


def checked_logo(data: bytes, name: str = "The file") -> bytes:
    """`data` when it is a usable logo, else a ValidationError that says what is wrong with
    it (`name` says which file, e.g. "logo.png")."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            f"{name} is {size_text(len(data))}; a logo may be {size_text(MAX_LOGO_BYTES)} at "
            "most. Save a smaller copy (a few hundred pixels across is plenty) and choose that."
        )
    kind = logo_kind(data)
    if kind is None:
        raise ValidationError(
            f"{name} is not a PNG or JPEG picture (whatever its name says). Choose the logo "
            "as a .png or .jpg file."
        )
    # Imported here: every workspace loads this module, and only a chosen logo needs ReportLab.
    from reportlab.lib.utils import ImageReader

    damaged = (
        f"{name} looks like a {kind} picture but cannot be read: it may be damaged or cut "
        "short. Save the logo again and choose the new copy."
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns about a "decompression bomb": refuse it like any bad file.
            warnings.simplefilter("error")
            reader = ImageReader(io.BytesIO(data))
            width, height = reader.getSize()
            _check_dimensions(int(width), int(height), name)
            reader.getRGBData()  # decodes every pixel: a file cut short fails here
    except ValidationError:
        raise
    except Exception:  # Pillow and ReportLab raise many kinds for a bad picture
        raise ValidationError(damaged) from None
    return data


def _check_dimensions(width: int, height: int, name: str) -> None:
    low, high = LOGO_SIDES
    if min(width, height) < low or max(width, height) > high:
        raise ValidationError(
            f"{name} is {width} × {height} pixels; a logo must be {low} to {high} pixels "
            "on each side. Save a copy at a size in between and choose that."
        )
    if max(width, height) > MAX_LOGO_ASPECT * min(width, height):
        raise ValidationError(
            f"{name} is {width} × {height} pixels: too long and thin to read at the size "
            "a report prints it. Choose a logo closer to square or a normal banner shape."
        )


def read_logo_file(path: Path) -> bytes:
    """The logo in the file at `path`, checked (a ValidationError says what is wrong). The
    size is looked at first, so a large file chosen by mistake is never read in."""
    name = path.name or "The file"
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise ValidationError(
                f"{name} is {size_text(size)}; a logo may be {size_text(MAX_LOGO_BYTES)} at "
                "most. Save a smaller copy (a few hundred pixels across is plenty) and "
                "choose that."
            )
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            f"{name} could not be read ({error.strerror or error}). Check the file and try again."
        ) from None
    return checked_logo(data, name)


def encode_logo(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_logo(value: str | None) -> bytes | None:
    """The logo stored as `value`, or None when there is none or it is not a picture (a
    setting damaged on the way would otherwise stop every report being printed)."""
    if not value:
        return None
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        logger.warning("The stored report logo is not valid base64; reports go without it.")
        return None
    if logo_kind(data) is None:
        logger.warning("The stored report logo is not a PNG or JPEG; reports go without it.")
        return None
    return data


def checked_site_name(name: str) -> str:
    """The organisation's name as it will be stored: spaces tidied, not empty, not too long."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Give the organisation's name: every report shows it.")
    if len(cleaned) > SITE_NAME_LIMIT:
        raise ValidationError(
            f"The name is {len(cleaned)} characters long; {SITE_NAME_LIMIT} at most."
        )
    return cleaned
