"""The PDF fonts: DejaVu Sans, shipped in resources/fonts, so that every name prints.

ReportLab's built-in Helvetica covers only Western European letters: "Łukasz" or "Şahin" would
print as black boxes on a record an inspector reads. DejaVu covers Latin, Greek, Cyrillic and
more. Registered once per process, on first use.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from prevent_desktop.resources_access import resource

BODY_FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    for name, filename in ((BODY_FONT, "DejaVuSans.ttf"), (BOLD_FONT, "DejaVuSans-Bold.ttf")):
        with as_file(resource(f"fonts/{filename}")) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> inside a Paragraph picks the bold face; there is no italic face, so italic maps to
    # the upright ones rather than failing.
    addMapping(BODY_FONT, 0, 0, BODY_FONT)
    addMapping(BODY_FONT, 1, 0, BOLD_FONT)
    addMapping(BODY_FONT, 0, 1, BODY_FONT)
    addMapping(BODY_FONT, 1, 1, BOLD_FONT)
