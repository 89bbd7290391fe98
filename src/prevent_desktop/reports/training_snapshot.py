"""What the training matrix reports print, read once: the PDF and the workbook say the same.

Each cell is written as its status symbol and a date, so the printout reads without colour;
the fills are light tints that only help. Shared by the PDF and XLSX writers (and free of
ReportLab and openpyxl, so either can import it cheaply).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from prevent_desktop.domain.training import CellStatus, Compliance
from prevent_desktop.services.site import SiteView
from prevent_desktop.services.training_views import Cell, DueItem, MatrixView

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

TITLE = "Training matrix"

# Light tints (RGB hex): black text and symbols stay readable on each, in colour and on a
# black-and-white printer. A cell that needs nothing is left white.
FILL_HEX: dict[CellStatus, str | None] = {
    CellStatus.VALID: "D4ECD2",
    CellStatus.DUE_SOON: "FCE3A4",
    CellStatus.EXPIRED: "F5BABA",
    CellStatus.MISSING: "E9D2F0",
    CellStatus.NOT_REQUIRED: None,
}


def meaning(status: CellStatus, due_soon_days: int) -> str:
    """What a status means, for the legend."""
    return {
        CellStatus.VALID: "Done and in date. The date is when it expires ('no expiry': never).",
        CellStatus.DUE_SOON: f"In date, but expires within {due_soon_days} days.",
        CellStatus.EXPIRED: "Expired on the date shown: needs doing again.",
        CellStatus.MISSING: "Required for the person's job role and never done.",
        CellStatus.NOT_REQUIRED: "Not required for the job role, and not done.",
    }[status]


def cell_text(cell: Cell, *, full_year: bool = False) -> str:
    """The symbol and the expiry date, "! Missing", or "–" (not required)."""
    symbol = cell.status.symbol
    if cell.status is CellStatus.MISSING:
        return f"{symbol} Missing"
    if cell.status is CellStatus.NOT_REQUIRED:
        return symbol
    if cell.expires_on is None:
        return f"{symbol} no expiry"
    return f"{symbol} {cell.expires_on.strftime('%d/%m/%Y' if full_year else '%d/%m/%y')}"


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def when(item: DueItem, today: date) -> str:
    days = (item.expires_on - today).days
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    if days == 0:
        return "today"
    return f"{-days} day{'s' if days != -1 else ''} ago"


@dataclass(frozen=True)
class Breakdown:
    """One line of the compliance summary: the figure and its required cells by status."""

    name: str
    compliance: Compliance
    due_soon: int
    expired: int
    missing: int


@dataclass(frozen=True)
class MatrixReport:
    matrix: MatrixView
    site: SiteView
    printed_at: datetime  # local time
    printed_by: str

    @property
    def site_text(self) -> str:
        return f"{self.site.name} ({self.site.code})" if self.site.code else self.site.name

    @property
    def due_soon_days(self) -> int:
        return self.matrix.due_soon_days

    def due(self) -> list[DueItem]:
        return self.matrix.due_within(self.matrix.due_soon_days)

    def by_course(self) -> list[Breakdown]:
        figures = self.matrix.by_course()
        cells = self.matrix.cells
        return [
            _breakdown(course.name, figures[course.id], [row[column] for row in cells])
            for column, course in enumerate(self.matrix.courses)
        ]

    def by_role(self) -> list[Breakdown]:
        rows: dict[str, list[Cell]] = {}
        for person, row in zip(self.matrix.staff, self.matrix.cells, strict=True):
            rows.setdefault(person.job_role, []).extend(row)
        return [
            _breakdown(role, figure, rows.get(role, []))
            for role, figure in self.matrix.by_role().items()
        ]


def _breakdown(name: str, compliance: Compliance, cells: list[Cell]) -> Breakdown:
    required = [cell.status for cell in cells if cell.required]
    return Breakdown(
        name,
        compliance,
        required.count(CellStatus.DUE_SOON),
        required.count(CellStatus.EXPIRED),
        required.count(CellStatus.MISSING),
    )


def take_matrix_report(workspace: Workspace, today: date | None = None) -> MatrixReport:
    return MatrixReport(
        matrix=workspace.training.matrix(today or date.today()),
        site=workspace.site.site(),
        printed_at=datetime.now().astimezone(),
        printed_by=workspace.actor.display_name,
    )
