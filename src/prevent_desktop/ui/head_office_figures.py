"""What head office's view shows of one quarter: the organisation's figures, one row per site,
and the sites that have not sent a return for it.

Everything comes from reports/quarterly_aggregate (the same numbers the PDF and workbook
print) and is written in words: an overdue count reads "⚠ 3 overdue", never a colour alone.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.reports import quarterly_format as fmt
from prevent_desktop.services.head_office import SiteRow
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.sync_import_summary import local_time_text

ATTENTION_TINT = QColor("#fdf0d5")  # behind "⚠ n": the words carry it, the tint only helps
ATTENTION_TEXT = QColor("#1f1f1f")  # with the tint: a dark theme's pale text is unreadable on it
DAY_FORMAT = "%d/%m/%Y"


def attention(count: int) -> str:
    """A count of overdue things: "None" or "⚠ 3"."""
    return f"⚠ {count}" if count else "None"


def counts_text(counts: dict[str, int]) -> str:
    """ "Radicalisation: 2\nExtremist material: 1", or "None"."""
    lines = [f"{name}: {count}" for name, count in counts.items() if count]
    return "\n".join(lines) or "None"


def organisation_figures(position: dict[str, Any]) -> dict[str, str]:
    """The organisation's figures for the quarter, caption -> text, in the order shown."""
    training = position["training"]
    compliance = fmt.compliance(training)
    open_concerns = position["open_concerns"]
    referrals = position["referrals"]
    return {
        "Sites that sent a return": str(position["sites"]),
        "Training compliance": (
            "Nothing required" if compliance == "—" else f"{compliance} required courses in date"
        ),
        "Risks not closed": f"{position['risks']} ({position['red_risks']} red)",
        "Risk reviews overdue": attention(position["risk_reviews_overdue"]),
        "Actions overdue": attention(position["actions_overdue"]),
        "Incident plans overdue for review": attention(position["plans_review_overdue"]),
        "Drills in the quarter": str(position["drills"]),
        "Real incidents in the quarter": str(position["incidents"]),
        "Concerns recorded in the quarter": str(position["concerns_opened"]),
        "Concerns closed in the quarter": str(position["concerns_closed"]),
        "Concerns open at the end of the quarter": str(open_concerns["total"]),
        "Referrals made in the quarter": str(referrals["made"]),
        "Open concerns by type": counts_text(open_concerns["by_type"]),
        "Open concerns by status": counts_text(open_concerns["by_status"]),
        "Referrals by agency": counts_text(referrals["by_agency"]),
    }


# Which figures go in which of the panel's three columns.
_COLUMNS = (
    (
        "Sites that sent a return",
        "Training compliance",
        "Risks not closed",
        "Risk reviews overdue",
        "Actions overdue",
        "Incident plans overdue for review",
    ),
    (
        "Drills in the quarter",
        "Real incidents in the quarter",
        "Concerns recorded in the quarter",
        "Concerns closed in the quarter",
        "Concerns open at the end of the quarter",
        "Referrals made in the quarter",
    ),
    ("Open concerns by type", "Open concerns by status", "Referrals by agency"),
)


class OrganisationFigures(QGroupBox):
    """The organisation's figures, each a selectable label named for screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The organisation", parent)
        self.values: dict[str, QLabel] = {}
        row = QHBoxLayout(self)
        for captions in _COLUMNS:
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for caption in captions:
                value = QLabel(self)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setAccessibleName(caption)
                self.values[caption] = value
                form.addRow(f"{caption}:", value)
            row.addLayout(form, 1)

    def show_position(self, quarter: Quarter, position: dict[str, Any]) -> None:
        self.setTitle(f"The organisation, {quarter.label}")
        for caption, text in organisation_figures(position).items():
            self.values[caption].setText(text)

    def clear(self) -> None:
        self.setTitle("The organisation")
        for value in self.values.values():
            value.clear()

    def texts(self) -> dict[str, str]:
        return {caption: value.text() for caption, value in self.values.items()}


class SitePositionTableModel(RowTableModel):
    """One row per site's return (reports.quarterly_aggregate.site_position)."""

    (
        SITE,
        THREAT,
        TRAINING,
        RISKS,
        REVIEWS,
        ACTIONS,
        PLANS,
        DRILLS,
        CONCERNS,
        OPEN,
        REFERRALS,
        POLICY,
    ) = range(12)
    # Two lines each, so that twelve columns fit the window beside a site's full name.
    HEADERS = (
        "Site",
        "Threat\nlevel",
        "Training\nin date",
        "Risks\n(red)",
        "Reviews\noverdue",
        "Actions\noverdue",
        "Plans\noverdue",
        "Drills /\nincidents",
        "Concerns\nnew / closed",
        "Open\nconcerns",
        "Referrals\nmade",
        "Concern\nrecords",
    )
    _OVERDUE: ClassVar[dict[int, str]] = {
        REVIEWS: "risk_reviews_overdue",
        ACTIONS: "actions_overdue",
        PLANS: "plans_review_overdue",
    }
    _POLICY: ClassVar[dict[str, str]] = {
        "statistics": "Statistics only",
        "pseudonymised": "Pseudonymised",
        "full": "Full (names)",
    }

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: dict[str, Any] | None = self.row_item(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and row.get(self._OVERDUE.get(column, "")):
            return QBrush(ATTENTION_TINT)
        if role == Qt.ItemDataRole.ForegroundRole and row.get(self._OVERDUE.get(column, "")):
            return QBrush(ATTENTION_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (self.SITE, self.POLICY):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, row: dict[str, Any], column: int) -> str:
        if column in self._OVERDUE:
            return attention(int(row[self._OVERDUE[column]]))
        training = {
            "required": row["training_required"],
            "valid": row["training_valid"],
            "percent": row["training_percent"],
        }
        texts = {
            self.SITE: row["site"],
            self.THREAT: row["threat_level"],
            self.TRAINING: fmt.compliance(training),
            self.RISKS: f"{row['risks']} ({row['red_risks']})",
            self.DRILLS: f"{row['drills']} / {row['incidents']}",
            self.CONCERNS: f"{row['concerns_opened']} / {row['concerns_closed']}",
            self.OPEN: str(row["open_concerns"]),
            self.REFERRALS: str(row["referrals"]),
            self.POLICY: self._POLICY.get(row["concern_policy"], row["concern_policy"]),
        }
        return str(texts.get(column, ""))


def not_sent_lines(sites: list[SiteRow], quarter: Quarter) -> list[str]:
    """A line for each site head office knows that has no return for `quarter`."""
    lines = []
    for site in sites:
        if str(quarter) in site.quarters:
            continue
        name = f"{site.name} ({site.code})" if site.code else site.name
        latest = max(site.quarters, default="")
        try:
            last = Quarter.parse(latest).label
        except ValueError:
            last = latest
        received = local_time_text(site.last_received_at)
        lines.append(f"{name} — latest quarter sent: {last}; last return received {received}")
    return lines
