"""A risk's review history: the table model, and the read-only "Reviews" box of the editor.

Reviews are the evidence that the register is kept up to date, so whoever may read a risk
(staff included) sees who last reviewed it, when, and what each review found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QTableView, QVBoxLayout, QWidget

from prevent_desktop.services.risk_views import ReviewView, RiskView
from prevent_desktop.ui.row_table_model import Index, RowTableModel, plain_tooltip


def local_date(moment: datetime) -> str:
    """An aware timestamp as the reader's local calendar date, dd/mm/yyyy."""
    return moment.astimezone().strftime("%d/%m/%Y")


def last_reviewed_text(risk: RiskView) -> str:
    if risk.last_reviewed_at is None:
        return "Never reviewed"
    by = f" by {risk.last_reviewed_by}" if risk.last_reviewed_by else ""
    return f"Last reviewed: {local_date(risk.last_reviewed_at)}{by}"


class ReviewTableModel(RowTableModel):
    WHEN, WHO, INHERENT, RESIDUAL, COMMENT = range(5)
    HEADERS = ("Reviewed", "By", "Inherent", "Residual", "Comment")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        review: ReviewView | None = self.row_item(index)
        if review is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return review.reviewed_at.astimezone().strftime("%d/%m/%Y %H:%M")
            if column == self.WHO:
                return review.reviewer_name
            if column == self.INHERENT:
                return f"{review.inherent_before} → {review.inherent_after}"
            if column == self.RESIDUAL:
                return f"{review.residual_before} → {review.residual_after}"
            if column == self.COMMENT:
                return review.comment
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COMMENT and review.comment:
            return plain_tooltip(review.comment)
        return None


def review_table(model: ReviewTableModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    # Fixed widths: sizing to contents would squash the columns of an empty history.
    for column, width in enumerate((130, 120, 80, 80)):
        header.resizeSection(column, width)
    return view


class ReviewsBox(QGroupBox):
    """ "Last reviewed …" and the history, newest first. Read-only: reviews are recorded
    through their own dialog, never edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Reviews", parent)
        self.last_reviewed_label = QLabel("Loading the review history…", self)
        self.last_reviewed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.model = ReviewTableModel(self)
        self.view = review_table(self.model, self)
        self.view.setAccessibleName("Review history")
        self.view.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.last_reviewed_label)
        layout.addWidget(self.view)

    def show_risk(self, risk: RiskView) -> None:
        self.last_reviewed_label.setText(last_reviewed_text(risk))
        self.model.set_rows(list(risk.reviews))
