"""The top of a concern's detail dialog: its reference and where it stands, at a glance.

Every value is plain, selectable text: names and types are the users' own words, and a lead
copying a reference into an email should not have to retype it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from prevent_desktop.domain.concern import CALL_999_GUIDANCE
from prevent_desktop.services.concern_views import ConcernDetailView
from prevent_desktop.ui.styles import ERROR_STYLE, HOLD_STYLE
from prevent_desktop.ui.tabs.concern_format import NOT_SET, day, risk_text, when

# (key, label) in reading order, three to a row.
FIELDS = (
    ("status", "Status"),
    ("type", "Type"),
    ("risk", "Immediate risk"),
    ("lead", "Assigned lead"),
    ("observed", "Observed"),
    ("recorded", "Recorded"),
    ("reporter", "Reported by"),
    ("follow_up", "Next follow-up"),
    ("review_by", "Review by"),
    ("legal_hold", "Legal hold"),
    ("risk_link", "Linked risk"),
)
COLUMNS = 3


def _value_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class ConcernHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = _value_label(self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setText("Loading the concern…")
        self.hold_badge = QLabel("Legal hold", self)
        self.hold_badge.setStyleSheet(HOLD_STYLE)
        self.hold_badge.setVisible(False)
        self.danger_banner = QLabel(f"⚠ {CALL_999_GUIDANCE}", self)
        self.danger_banner.setStyleSheet(ERROR_STYLE)
        self.danger_banner.setWordWrap(True)
        self.danger_banner.setVisible(False)

        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        for position, (key, text) in enumerate(FIELDS):
            row, column = divmod(position, COLUMNS)
            name = QLabel(f"{text}:", self)
            name.setStyleSheet("color: palette(placeholder-text);")
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = _value_label(self)
            value.setText(NOT_SET)
            self.values[key] = value
            grid.addWidget(name, row, column * 2)
            grid.addWidget(value, row, column * 2 + 1)
        for column in range(COLUMNS):
            grid.setColumnStretch(column * 2 + 1, 1)

        title_row = QHBoxLayout()
        title_row.addWidget(self.title_label, 1)
        title_row.addWidget(self.hold_badge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(title_row)
        layout.addWidget(self.danger_banner)
        layout.addLayout(grid)

    def value(self, key: str) -> str:
        return self.values[key].text()

    def show_view(self, view: ConcernDetailView) -> None:
        summary = view.summary
        self.title_label.setText(f"{summary.reference} — {view.details.person.display()}")
        self.hold_badge.setVisible(summary.legal_hold)
        self.danger_banner.setVisible(summary.immediate_risk.call_999)
        follow_up = day(summary.next_follow_up_on)
        if summary.follow_up_overdue:
            follow_up = f"⚠ {follow_up} (overdue)"
        texts = {
            "status": f"{summary.status.label} (since {when(summary.status_changed_at)})",
            "type": summary.concern_type,
            "risk": risk_text(summary.immediate_risk),
            "lead": summary.assigned_lead_name or "Not assigned",
            "observed": when(summary.observed_at),
            "recorded": when(summary.recorded_at),
            "reporter": f"{summary.reported_by_name} ({summary.reported_by_role})",
            "follow_up": follow_up,
            "review_by": day(summary.review_by),
            "legal_hold": "Yes — cannot be deleted" if summary.legal_hold else "No",
            "risk_link": summary.risk_reference or "None",
        }
        for key, text in texts.items():
            self.values[key].setText(text)
