"""The action plan of the risk selected in the register: a table and its buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.risk_views import ActionView, RiskView
from prevent_desktop.ui.tabs.risk_table_model import ActionTableModel


class ActionPlanPanel(QGroupBox):
    """Asks the tab to add, edit or delete (the tab owns the dialogs and the worker)."""

    add_requested = Signal()
    edit_requested = Signal(object)  # ActionView
    delete_requested = Signal(object)  # ActionView

    def __init__(self, can_edit: bool, parent: QWidget | None = None) -> None:
        super().__init__("Action plan", parent)
        self.model = ActionTableModel(self)
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.view.setObjectName("actionTable")
        self.view.setAccessibleName("Action plan")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ActionTableModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing to contents would squash the columns of an empty plan.
        for column, width in (
            (ActionTableModel.OWNER, 150),
            (ActionTableModel.DUE, 160),
            (ActionTableModel.STATUS, 100),
            (ActionTableModel.COMPLETED, 100),
            (ActionTableModel.EVIDENCE, 240),
        ):
            header.resizeSection(column, width)
        # Alt+A is the Account menu; the register's own buttons hold most other letters, so
        # "Delete action…" is reached with Tab (or the Delete key in the table).
        self.add_button = QPushButton("Add act&ion…", self)
        self.edit_button = QPushButton("Edit a&ction…", self)
        self.delete_button = QPushButton("Delete action…", self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            button.setVisible(can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._can_edit = can_edit
        self._risk: RiskView | None = None

        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        if can_edit:
            self.view.doubleClicked.connect(lambda _index: self._edit())
            delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
            delete.setContext(Qt.ShortcutContext.WidgetShortcut)
            delete.activated.connect(self._delete)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.show_risk(None)

    def show_risk(self, risk: RiskView | None) -> None:
        self._risk = risk
        if risk is None:
            self.setTitle("Action plan (select a risk)")
            self.view.setAccessibleName("Action plan (no risk selected)")
            self.model.clear()
        else:
            self.setTitle(f"Action plan for {risk.reference} {risk.title}")
            self.view.setAccessibleName(f"Action plan for {risk.reference}")
            self.model.set_actions(list(risk.actions))
        self._update_buttons()

    def selected_action(self) -> ActionView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.action(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self._risk is not None)
        chosen = self.selected_action() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _edit(self) -> None:
        action = self.selected_action()
        if action is not None and self._can_edit:
            self.edit_requested.emit(action)

    def _delete(self) -> None:
        action = self.selected_action()
        if action is not None:
            self.delete_requested.emit(action)
