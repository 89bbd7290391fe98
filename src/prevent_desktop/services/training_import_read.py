"""Reading a spreadsheet someone made elsewhere (CSV or XLSX) into a plain table.

The file is whatever a school or college office exported: Excel's "CSV UTF-8" (with a byte
order mark), a European Excel's semicolons, an old cp1252 file with a £ or an é, blank rows
between sections. Every data row keeps the line (CSV) or row (XLSX) it came from, so that a
problem can be pointed at where the person will look for it.

Values stay as they came: text from a CSV; text, numbers and dates from an XLSX. What they
mean is decided later, per field (training_import_fields).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from prevent_desktop.errors import KnownError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 256
SUFFIXES = (".csv", ".xlsx")
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003)

Value = str | int | float | date | None


class UnreadableFile(KnownError):
    """The file cannot be imported at all (as opposed to some of its rows)."""


@dataclass(frozen=True)
class SourceRow:
    line: int  # the CSV line or XLSX row it starts on, counting from 1 as editors do
    values: tuple[Value, ...]

    def value(self, column: int | None) -> Value:
        if column is None or column >= len(self.values):
            return None
        return self.values[column]


@dataclass(frozen=True)
class Table:
    name: str  # the file's name, for messages
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[SourceRow, ...]
    line_word: str = "Line"  # "Row" for a workbook: what Excel shows down the side
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    details: str = ""  # how it was read ("UTF-8, semicolons"), for the preview
    blank_rows: int = 0


def read_table(path: Path, sheet: str | None = None) -> Table:
    """Read a .csv or .xlsx file: the first non-blank row is the header. Blank rows are
    skipped but every row keeps its true line number. Raises UnreadableFile with a message
    saying what is wrong and what to do."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            f"'{path.name}' is not a CSV or Excel (.xlsx) file. Save the list as CSV or .xlsx "
            "and choose that file."
        )
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableFile(f"Cannot open '{path.name}': {error.strerror or error}.") from error
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"'{path.name}' is {size / 1_048_576:.1f} MB; an import can be at most "
            f"{MAX_FILE_BYTES // 1_048_576} MB. Split the list into smaller files."
        )
    if size == 0:
        raise UnreadableFile(f"'{path.name}' is empty.")
    if suffix == ".csv":
        return _read_csv(path)
    return _read_xlsx(path, sheet)


# ---- CSV ---------------------------------------------------------------------------------


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding. UTF-8 (with or without a BOM) first; a file
    that is not valid UTF-8 is taken as Windows' cp1252, which is what Excel writes for
    "CSV (Comma delimited)" on a UK machine."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return content.decode("utf-16"), "UTF-16"
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows (cp1252)"
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            "The file is not text that can be read (neither UTF-8 nor Windows cp1252). Save it "
            'again from Excel as "CSV UTF-8".'
        ) from error


def guess_separator(first_line: str) -> str:
    """The separator that splits the header into the most columns. Counting parsed fields
    (not characters) ignores a comma inside a quoted header; csv.Sniffer was less reliable
    on one-column and two-row files."""

    def width(separator: str) -> int:
        try:
            return len(next(csv.reader([first_line], delimiter=separator), []))
        except csv.Error:
            return 0

    best = max(SEPARATORS, key=width)
    return best if width(best) > 1 else ","


def _read_csv(path: Path) -> Table:
    content = path.read_bytes()
    text, encoding = decode(content)
    if "\x00" in text:
        raise UnreadableFile(f"'{path.name}' is not a text file, so it cannot be a CSV.")
    if not text.strip():
        raise UnreadableFile(f"'{path.name}' is empty.")
    first = next(line for line in text.splitlines() if line.strip())
    separator = guess_separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: list[tuple[int, list[Any]]] = []
    next_line = 1
    try:
        for record in reader:
            # A quoted field may span lines: the record starts where the previous one ended.
            records.append((next_line, record))
            next_line = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableFile(
            f"Line {next_line} of '{path.name}' cannot be read as CSV ({error}). Check its "
            "quotation marks."
        ) from error
    details = f"{encoding}, {SEPARATOR_NAMES[separator]}"
    return _table(path.name, records, "Line", details)


# ---- XLSX --------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    with path.open("rb") as handle:
        start = handle.read(8)
    if start == _OLE_SIGNATURE:
        raise UnreadableFile(
            f"'{path.name}' is an old Excel 97-2003 workbook renamed .xlsx. Open it in Excel "
            "and save it as an Excel Workbook (.xlsx) or as CSV."
        )
    if not zipfile.is_zipfile(path):
        raise UnreadableFile(
            f"'{path.name}' is not a real .xlsx workbook (it is damaged, or another kind of "
            "file renamed). Open it in Excel and save it again, or save it as CSV."
        )
    import openpyxl  # here, not at the top: only imports need it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableFile(
            f"'{path.name}' is damaged and cannot be read as a workbook ({type(error).__name__})."
            " Open it in Excel and save it again, or save it as CSV."
        ) from error
    try:
        names = tuple(ws.title for ws in workbook.worksheets)
        if not names:
            raise UnreadableFile(f"'{path.name}' has no worksheets.")
        if sheet is not None and sheet not in names:
            raise UnreadableFile(f"'{path.name}' has no sheet called '{sheet}'.")
        # Without a choice, the first sheet that holds a list: workbooks often open with a
        # cover or "read me" sheet, and the person can still pick another one.
        first_problem: UnreadableFile | None = None
        for name in (sheet,) if sheet is not None else names:
            try:
                table = _table(path.name, _sheet_records(workbook[name]), "Row", f"sheet '{name}'")
            except UnreadableFile as problem:
                first_problem = first_problem or problem
                continue
            return replace(table, sheet=name, sheets=names)
        assert first_problem is not None
        raise first_problem
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(
            f"'{path.name}' is damaged and cannot be read ({type(error).__name__}). Open it in "
            "Excel and save it again, or save it as CSV."
        ) from error
    finally:
        workbook.close()


def _sheet_records(worksheet: Any) -> list[tuple[int, list[Any]]]:
    # The declared size is sometimes wrong (some tools write A1:A1); read what is there.
    worksheet.reset_dimensions()
    records: list[tuple[int, list[Any]]] = []
    kept = 0
    for line, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        values = [_cell_value(cell) for cell in cells[:MAX_COLUMNS]]
        records.append((line, values))
        kept += not _is_blank(values)
        if kept > MAX_ROWS + 1:  # stop reading early; _table says why
            break
    return records


def _cell_value(cell: Any) -> Value:
    if isinstance(cell, datetime):
        return cell.date()  # a completion is a day; a time typed with it means nothing here
    if isinstance(cell, date | str | int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else cell
    if cell is None:
        return None
    if isinstance(cell, time):
        return cell.strftime("%H:%M")
    return str(cell)  # TRUE/FALSE, error values such as #N/A


# ---- both --------------------------------------------------------------------------------


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _table(name: str, records: list[tuple[int, list[Any]]], word: str, details: str) -> Table:
    header_at = next((i for i, (_line, values) in enumerate(records) if not _is_blank(values)), -1)
    if header_at < 0:
        raise UnreadableFile(f"'{name}' is empty.")
    header_line, header_values = records[header_at]
    headers = [" ".join(str(v).split()) if v is not None else "" for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(
            f"'{name}' has {len(headers)} columns; an import can have at most {MAX_COLUMNS}."
        )
    if all(not h for h in headers):
        raise UnreadableFile(f"'{name}' has no header row.")
    rows: list[SourceRow] = []
    blank = 0
    for line, values in records[header_at + 1 :]:
        if _is_blank(values):
            blank += 1
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(
                f"'{name}' has more than {MAX_ROWS:,} rows; an import can have at most "
                f"{MAX_ROWS:,}. Split the list into smaller files."
            )
        cells = [v.strip() if isinstance(v, str) else v for v in values[: len(headers)]]
        cells += [None] * (len(headers) - len(cells))
        rows.append(SourceRow(line, tuple(cells)))
    if not rows:
        raise UnreadableFile(
            f"'{name}' has a header row ({word.lower()} {header_line}) but no rows under it."
        )
    return Table(name, tuple(headers), header_line, tuple(rows), word, "", (), details, blank)
