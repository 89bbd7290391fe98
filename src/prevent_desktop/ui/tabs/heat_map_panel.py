"""The heat map with its Inherent/Residual switch and the cell filter it drives."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.services.risk_views import RiskView
from prevent_desktop.ui.heat_map import HeatMap
from prevent_desktop.ui.tabs.risk_filters import HeatCell, heat_counts


class HeatMapPanel(QGroupBox):
    """Emits `cell_changed(HeatCell | None)` when the table should show one cell, or all."""

    cell_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Heat map (risks not closed)", parent)
        self.residual_radio = QRadioButton("&Residual", self)
        self.inherent_radio = QRadioButton("I&nherent", self)
        self.residual_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.residual_radio)
        group.addButton(self.inherent_radio)
        self.heat_map = HeatMap(self)
        self.cell_label = QLabel(self)
        self.cell_label.setWordWrap(True)
        # Always room for two lines, so choosing a cell never squeezes the map above it.
        self.cell_label.setMinimumHeight(self.cell_label.fontMetrics().lineSpacing() * 2 + 4)
        self.clear_button = QPushButton("Clear cell filter", self)
        self.clear_button.setEnabled(False)

        switch = QHBoxLayout()
        switch.addWidget(QLabel("Scores:", self))
        switch.addWidget(self.residual_radio)
        switch.addWidget(self.inherent_radio)
        switch.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(switch)
        layout.addWidget(self.heat_map)
        layout.addWidget(self.cell_label)
        layout.addWidget(self.clear_button)
        layout.addStretch(1)

        self._risks: list[RiskView] = []
        self._thresholds = RagThresholds()
        self.residual_radio.toggled.connect(self._switched)
        self.heat_map.cell_activated.connect(self._chosen)
        self.heat_map.cleared.connect(self.clear_cell)
        self.clear_button.clicked.connect(self.clear_cell)
        self._show_cell(None)

    @property
    def residual(self) -> bool:
        return self.residual_radio.isChecked()

    def show_risks(self, risks: list[RiskView], thresholds: RagThresholds) -> None:
        self._risks = risks
        self._thresholds = thresholds
        self.heat_map.set_counts(heat_counts(risks, self.residual), thresholds)

    def clear_cell(self) -> None:
        if self.heat_map.selected is not None:
            self.heat_map.set_selected(None)
        self._show_cell(None)
        self.cell_changed.emit(None)

    def _switched(self) -> None:
        # A cell of the other map means something else: drop the filter rather than guess.
        self.heat_map.set_counts(heat_counts(self._risks, self.residual), self._thresholds)
        self.clear_cell()

    def _chosen(self, likelihood: int, impact: int) -> None:
        cell = HeatCell(likelihood, impact, self.residual)
        self._show_cell(cell)
        self.cell_changed.emit(cell)

    def _show_cell(self, cell: HeatCell | None) -> None:
        self.clear_button.setEnabled(cell is not None)
        if cell is None:
            self.cell_label.setText("Click a cell to show only its risks.")
        else:
            which = "residual" if cell.residual else "inherent"
            score = cell.likelihood * cell.impact
            self.cell_label.setText(
                f"Showing {which} likelihood {cell.likelihood} × impact {cell.impact} "
                f"= {score} ({self._thresholds.rag(score).label})."
            )
