"""UK dates (dd/mm/yyyy) in everything a person reads: the helpers the reports write dates
with, and a scan of the report and window code for ISO dates in user-visible text.

Qt-free (the window side is tests/gui/test_accessibility.py). File names keep ISO dates
(yyyy-mm-dd sorts in date order in a folder); those uses are listed below, each with why.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from prevent_desktop.domain.training import CellStatus
from prevent_desktop.domain.uk_date import uk_date, uk_date_time
from prevent_desktop.reports import (
    concern_page,
    quarterly_format,
    register_snapshot,
    spreadsheet,
    training_snapshot,
)
from prevent_desktop.services.training_views import Cell

SOURCE = Path(__file__).resolve().parents[2] / "src" / "prevent_desktop"
UK_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
UK_DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")

# ISO dates that are not read as dates: suggested file names (they sort by date in a folder).
FILE_NAMES = {
    "ui/main_window.py": "the backup's suggested file name",
    "ui/sync_dialogs.py": "the bundle's suggested file name",
    "ui/tabs/export_button.py": "an export's suggested file name",
    "ui/tabs/incident_print.py": "a checklist PDF's suggested file name",
    "ui/tabs/strategy.py": "the evidence pack's suggested file name",
}


def test_the_date_helpers_write_day_month_year() -> None:
    day = date(2025, 3, 14)
    moment = datetime(2025, 3, 14, 9, 5)
    assert uk_date(day) == "14/03/2025"
    assert uk_date_time(moment) == "14/03/2025 09:05"
    assert register_snapshot.uk_date(day) == "14/03/2025"
    assert concern_page.uk_day(day) == "14/03/2025"
    assert UK_DATE_TIME.match(concern_page.uk_datetime(datetime(2025, 3, 14, 9, 5, tzinfo=UTC)))
    assert quarterly_format.day("2025-03-14") == "14/03/2025"
    assert UK_DATE_TIME.match(quarterly_format.moment("2025-03-14T09:05:00+00:00"))
    assert training_snapshot.day(day) == "14/03/2025"
    # Spreadsheets: a real date cell shown as DD/MM/YYYY; CSV (plain text) as dd/mm/yyyy.
    assert spreadsheet.DATE_FORMAT == "DD/MM/YYYY"
    assert spreadsheet._csv_value(day) == "14/03/2025"


def test_a_training_matrix_cell_prints_its_expiry_day_first() -> None:
    cell = Cell(CellStatus.VALID, True, date(2024, 3, 14), date(2026, 3, 14))
    assert training_snapshot.cell_text(cell, full_year=True).endswith("14/03/2026")
    # The printed grid's narrow cells use a two-digit year: still day, month, year.
    assert training_snapshot.cell_text(cell).endswith("14/03/26")


ISO_IN_TEXT = re.compile(r"isoformat\(\)|%Y-%m-%d|:%Y-%m-%d|\.strftime\(\"%B|%b %Y")


def test_no_report_or_window_writes_an_iso_date_for_people_to_read() -> None:
    found = []
    for folder in ("reports", "ui"):
        for path in sorted((SOURCE / folder).rglob("*.py")):
            relative = path.relative_to(SOURCE).as_posix()
            if relative.startswith("ui/forms/") or relative in FILE_NAMES:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ISO_IN_TEXT.search(line) and "fromisoformat" not in line:
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
