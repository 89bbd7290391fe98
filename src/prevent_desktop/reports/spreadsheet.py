"""Tables of plain values written as XLSX sheets or CSV, safe to open in Excel.

Text that starts like a formula (= + - @, or a tab or carriage return that Excel skips before
one) gets a leading apostrophe, so a risk titled "=HYPERLINK(...)" stays text in every cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from prevent_desktop.reports.register_snapshot import uk_date

Item = TypeVar("Item")
Value = str | int | date | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Column(Generic[Item]):
    header: str
    width: float  # in Excel's character widths
    value: Callable[[Item], Value]
    wrap: bool = False


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def add_sheet(
    workbook: Any, title: str, columns: Sequence[Column[Item]], items: Iterable[Item]
) -> None:
    """A sheet with a bold, frozen, filterable header row and one row per item."""
    sheet = workbook.create_sheet(title)
    # Headings can be typed text too (a course's name): the same care as the cells.
    _append_as_text(sheet, 1, [_xlsx_value(column.header) for column in columns])
    for row, item in enumerate(items, start=2):
        _append_as_text(sheet, row, [_xlsx_value(column.value(item)) for column in columns])
    heading_fill = PatternFill("solid", start_color="DDE2EA")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = heading_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _append_as_text(sheet: Any, row: int, values: list[Value]) -> None:
    """Append row `row` (counted by the caller: asking the sheet for its last row costs a
    scan of the whole sheet each time)."""
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            # Stored as text whatever it starts with: "=HYPERLINK(...)" typed as a title is
            # never a formula, and "- item" or "+44 ..." keep their first character.
            sheet.cell(row=row, column=column).data_type = "s"


def _xlsx_value(value: Value) -> Value:
    if isinstance(value, str):
        # openpyxl refuses control characters a pasted text may carry; drop them, not the file.
        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime):
        return value.date()
    return value


def csv_bytes(columns: Sequence[Column[Item]], items: Iterable[Item]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads the file as the local code page
    and mangles names and the pound sign."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    for item in items:
        writer.writerow([_csv_value(column.value(item)) for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(value)
