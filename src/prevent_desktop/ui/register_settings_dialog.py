"""The risk register's configurable parts: its categories and the RAG thresholds.

Managers and safeguarding leads add categories (they edit the register); the thresholds are
a site setting, so only managers change them. The services enforce both; this dialog only
hides what the signed-in user may not do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.risk import RagThresholds
from prevent_desktop.domain.roles import Permission
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_views import CategoryView
from prevent_desktop.services.risks import RiskService
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.worker import DatabaseWorker


class RegisterSettingsDialog(QDialog):
    """Emits `changed(ChangeSet)` after each save, so the register tab reloads."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Risk register settings")
        self._worker = worker
        self._risks = workspace.risks
        actor = workspace.actor

        self.category_list = QListWidget(self)
        self.category_list.setAccessibleName("Risk categories")
        self.new_category = QLineEdit(self)
        self.new_category.setPlaceholderText("New category, e.g. Apprentice accommodation")
        self.add_category_button = QPushButton("&Add category", self)
        self.add_category_button.clicked.connect(self._add_category)
        self.rename_category_button = QPushButton("&Rename…", self)
        self.rename_category_button.clicked.connect(self._rename_category)
        self.remove_category_button = QPushButton("Re&move", self)
        self.remove_category_button.clicked.connect(self._remove_category)
        self._categories: list[CategoryView] = []
        self.new_category.returnPressed.connect(self._add_category)
        category_error = QLabel(self)
        category_error.setWordWrap(True)
        self._category_message = FormMessage(category_error)
        categories = QGroupBox("Categories", self)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_category, 1)
        add_row.addWidget(self.add_category_button)
        list_buttons = QHBoxLayout()
        list_buttons.addStretch(1)
        list_buttons.addWidget(self.rename_category_button)
        list_buttons.addWidget(self.remove_category_button)
        box = QVBoxLayout(categories)
        box.addWidget(self.category_list)
        box.addLayout(list_buttons)
        box.addLayout(add_row)
        box.addWidget(category_error)
        can_edit = actor.can(Permission.EDIT_REGISTER)
        editing: tuple[QWidget, ...] = (
            self.new_category,
            self.add_category_button,
            self.rename_category_button,
            self.remove_category_button,
        )
        for widget in editing:
            widget.setVisible(can_edit)

        self.amber_from = QSpinBox(self)
        self.red_from = QSpinBox(self)
        for spin, name in ((self.amber_from, "Amber from score"), (self.red_from, "Red from")):
            spin.setRange(2, 25)
            spin.setAccessibleName(name)
            spin.valueChanged.connect(self._preview)
        self.legend = QLabel(self)
        self.save_thresholds_button = QPushButton("&Save thresholds", self)
        self.save_thresholds_button.clicked.connect(self._save_thresholds)
        threshold_error = QLabel(self)
        threshold_error.setWordWrap(True)
        self._threshold_message = FormMessage(threshold_error)
        thresholds = QGroupBox("RAG bands of the residual score (likelihood × impact)", self)
        form = QFormLayout(thresholds)
        form.addRow("Amber from score:", self.amber_from)
        form.addRow("Red from score:", self.red_from)
        form.addRow("Bands:", self.legend)
        form.addRow(threshold_error)
        form.addRow(self.save_thresholds_button)
        can_set = actor.can(Permission.CHANGE_SETTINGS)
        for spin in (self.amber_from, self.red_from):
            spin.setEnabled(can_set)
        self.save_thresholds_button.setVisible(can_set)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(categories)
        layout.addWidget(thresholds)
        layout.addWidget(close)
        self.resize(520, 560)
        self._load()

    def _load(self) -> None:
        risks = self._risks
        self._worker.submit(
            lambda _ctx: (risks.categories(), risks.rag_thresholds()),
            self._loaded,
            parent_widget=self,
        )

    def _loaded(self, loaded: tuple[list[CategoryView], RagThresholds]) -> None:
        categories, thresholds = loaded
        self._categories = categories
        self.category_list.clear()
        self.category_list.addItems([category.name for category in categories])
        self.amber_from.setValue(thresholds.amber_from)
        self.red_from.setValue(thresholds.red_from)
        self._preview()

    def _preview(self) -> None:
        try:
            bands = RagThresholds(self.amber_from.value(), self.red_from.value()).legend()
        except ValueError:
            self.legend.setText("⚠ Amber must start below red (both from 2 to 25).")
            self.save_thresholds_button.setEnabled(False)
            return
        self.legend.setText("   ".join(f"{rag.label} {low}–{high}" for rag, low, high in bands))
        self.save_thresholds_button.setEnabled(True)

    def _add_category(self) -> None:
        self._category_message.clear()
        name = self.new_category.text()
        risks = self._risks
        self._worker.submit(
            lambda _ctx: risks.add_category(name),
            self._category_added,
            self._category_message.failure_handler(self),
            parent_widget=self,
        )

    def _category_added(self, change: ChangeSet) -> None:
        self.new_category.clear()
        self._category_changed(change)

    def _category_changed(self, change: ChangeSet) -> None:
        self.changed.emit(change)
        self._load()

    def selected_category(self) -> CategoryView | None:
        row = self.category_list.currentRow()
        return self._categories[row] if 0 <= row < len(self._categories) else None

    def _rename_category(self, new_name: str | None = None) -> None:
        category = self.selected_category()
        if category is None:
            self._category_message.error("Choose a category in the list first.")
            return
        if new_name is None:
            new_name, accepted = QInputDialog.getText(
                self, "Prevent Desktop — Rename category", "New name:", text=category.name
            )
            if not accepted:
                return
        self._category_write(lambda risks: risks.rename_category(category.id, new_name))

    def _remove_category(self) -> None:
        category = self.selected_category()
        if category is None:
            self._category_message.error("Choose a category in the list first.")
            return
        self._category_write(lambda risks: risks.remove_category(category.id))

    def _category_write(self, write: Callable[[RiskService], ChangeSet]) -> None:
        self._category_message.clear()
        risks = self._risks
        self._worker.submit(
            lambda _ctx: write(risks),
            self._category_changed,
            self._category_message.failure_handler(self),
            parent_widget=self,
        )

    def _save_thresholds(self) -> None:
        self._threshold_message.clear()
        amber, red = self.amber_from.value(), self.red_from.value()
        risks = self._risks
        self._worker.submit(
            lambda _ctx: risks.set_rag_thresholds(amber, red),
            self._thresholds_saved,
            self._threshold_message.failure_handler(self),
            parent_widget=self,
        )

    def _thresholds_saved(self, change: ChangeSet) -> None:
        self._threshold_message.note("Saved: the register now uses these bands.")
        self.changed.emit(change)
