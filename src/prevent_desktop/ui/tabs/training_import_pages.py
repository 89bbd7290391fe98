"""The pages of the training import dialog: choose a file, match its columns, preview.

Each page only shows and collects; the dialog (training_import_dialog) moves between them and
does the reading, checking and writing on the database worker.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.training_import import (
    FIELDS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportKind,
    ImportPlan,
    Mapping,
    Table,
)
from prevent_desktop.services.training_import_fields import text_of
from prevent_desktop.ui.row_table_model import Index, RowTableModel
from prevent_desktop.ui.styles import NOTE_STYLE

PREVIEW_ROWS = 500  # enough to see that the columns are right; the problem list has them all
PROBLEM_TINT = QColor("#fdecea")


def column_name(index: int) -> str:
    """Excel's letters (A, B, ... Z, AA), which is what people see above their columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class SourcePage(QWidget):
    """What the file holds (staff or completed training) and which file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        kinds = QGroupBox("What does the file list?")
        kinds_layout = QVBoxLayout(kinds)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[ImportKind, QRadioButton] = {}
        for kind, text in (
            (
                ImportKind.COMPLETIONS,
                "&Completed training: staff name, course, completion date, certificate "
                "reference, evidence note",
            ),
            (ImportKind.STAFF, "&Staff: name, job role, start date, email, leaving date"),
        ):
            button = QRadioButton(text)
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds_layout.addWidget(button)
        self.kind_buttons[ImportKind.COMPLETIONS].setChecked(True)
        layout.addWidget(kinds)

        file_row = QHBoxLayout()
        file_label = QLabel("&File:")
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A .csv or .xlsx file with a header row")
        file_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.clicked.connect(self._browse)
        file_row.addWidget(file_label)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        layout.addLayout(file_row)
        layout.addWidget(
            _note(
                "CSV (comma, semicolon or tab separated) or an Excel workbook (.xlsx), with the "
                "column names in the first row. Dates as dd/mm/yyyy or yyyy-mm-dd. Names must "
                "match the matrix exactly (case and spaces aside): nothing is guessed. At most "
                f"{MAX_ROWS:,} rows and {MAX_FILE_BYTES // 1_048_576} MB. Nothing is saved until "
                "you have seen the preview."
            )
        )
        layout.addStretch(1)

    @property
    def kind(self) -> ImportKind:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Prevent Desktop — Choose a file to import",
            self.path_edit.text(),
            "Spreadsheets (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx)",
        )
        if chosen:
            self.path_edit.setText(chosen)


class MappingPage(QWidget):
    """One combo per field, prefilled by guess_mapping; a sample value beside each."""

    sheet_chosen = Signal(str)

    NOT_IN_FILE = "(not in the file)"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        layout.addWidget(self.file_label)
        sheet_row = QHBoxLayout()
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_combo = QComboBox()
        self.sheet_label.setBuddy(self.sheet_combo)
        self.sheet_combo.activated.connect(
            lambda index: self.sheet_chosen.emit(self.sheet_combo.itemText(index))
        )
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        layout.addLayout(sheet_row)
        layout.addWidget(
            _note("Choose the file's column for each item. Items marked * are needed.")
        )
        self.grid = QGridLayout()
        self.grid.setColumnStretch(2, 1)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.combos: dict[str, QComboBox] = {}
        self._samples: dict[str, QLabel] = {}
        self._table: Table | None = None

    def show_table(self, kind: ImportKind, table: Table, mapping: Mapping) -> None:
        self._table = table
        blank = f" ({table.blank_rows} blank skipped)" if table.blank_rows else ""
        self.file_label.setText(
            f"<b>{escape(table.name)}</b> — {escape(table.details)}: "
            f"{len(table.rows):,} rows under the header on {table.line_word.lower()} "
            f"{table.header_line}{blank}."
        )
        several = len(table.sheets) > 1
        self.sheet_label.setVisible(several)
        self.sheet_combo.setVisible(several)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(table.sheets))
        self.sheet_combo.setCurrentText(table.sheet)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.combos, self._samples = {}, {}
        for row, spec in enumerate(FIELDS[kind]):
            label = QLabel(f"{spec.label}{' *' if spec.required else ''}:")
            combo = QComboBox()
            combo.setObjectName(f"mapping_{spec.key}")
            combo.addItem(self.NOT_IN_FILE, None)
            for index, header in enumerate(table.headers):
                combo.addItem(f"{column_name(index)}: {header or '(no name)'}", index)
            column = mapping.get(spec.key)
            combo.setCurrentIndex(0 if column is None else column + 1)
            label.setBuddy(combo)
            sample = _note("")
            combo.currentIndexChanged.connect(lambda _i, key=spec.key: self._show_sample(key))
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(combo, row, 1)
            self.grid.addWidget(sample, row, 2)
            self.combos[spec.key], self._samples[spec.key] = combo, sample
            self._show_sample(spec.key)

    def mapping(self) -> Mapping:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def _show_sample(self, key: str) -> None:
        column = self.combos[key].currentData()
        if self._table is None or column is None:
            self._samples[key].setText("")
            return
        first = text_of(self._table.rows[0].value(column))
        self._samples[key].setText(f"e.g. {first[:60]}" if first else "(first row empty)")


class PreviewTableModel(RowTableModel):
    """The first rows as they will be imported: line, each field, and the row's problems."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.HEADERS = ()

    def show_plan(self, plan: ImportPlan) -> None:
        # The columns change with the kind of import, so inside the reset, not before it.
        self.beginResetModel()
        self.HEADERS = (plan.line_word, *(spec.label for spec in FIELDS[plan.kind]), "Problems")
        self._rows = list(plan.rows[:PREVIEW_ROWS])
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_item(index)
        if row is None:
            return None
        column = index.column()
        last = len(self.HEADERS) - 1
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return str(row.line) if row.ok else f"⚠ {row.line}"
            if column == last:
                return "; ".join(row.problems) if row.problems else "✓ OK"
            return row.shown[column - 1]
        if role == Qt.ItemDataRole.BackgroundRole and not row.ok:
            return QBrush(PROBLEM_TINT)
        if role == Qt.ItemDataRole.ForegroundRole and not row.ok:
            return QBrush(QColor("#5a120d"))  # dark on the tint, in a dark theme too
        return None


class PreviewPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.model = PreviewTableModel(self)
        self.table_view = QTableView()
        self.table_view.setModel(self.model)
        # One line per row, however long its problems: the full text is in the tooltip and
        # in the list below, and even rows keep 500 of them easy to scan.
        self.table_view.setWordWrap(False)
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table_view, 3)
        self.problems_label = QLabel()
        layout.addWidget(self.problems_label)
        self.problems_edit = QPlainTextEdit()
        self.problems_edit.setReadOnly(True)  # read-only but selectable: people copy it out
        self.problems_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.problems_edit, 2)

    def show_plan(self, plan: ImportPlan) -> None:
        self.model.show_plan(plan)
        header = self.table_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.model.HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        total, valid = len(plan.rows), len(plan.valid_rows)
        errors = plan.errors()
        shown = f" The first {PREVIEW_ROWS} are shown." if total > PREVIEW_ROWS else ""
        if errors:
            bad = total - valid
            self.summary_label.setText(
                f"<b>{total:,} rows read: {valid:,} ready, {bad:,} with problems.</b> Nothing "
                "is imported while rows have problems unless you choose to import only the "
                f"valid ones.{shown}"
            )
            self.problems_label.setText(
                f"⚠ {len(errors):,} problem{'s' if len(errors) != 1 else ''} on {bad:,} "
                f"row{'s' if bad != 1 else ''}:"
            )
        else:
            self.summary_label.setText(f"<b>{total:,} rows read, all ready to import.</b>{shown}")
        self.problems_label.setVisible(bool(errors))
        self.problems_edit.setVisible(bool(errors))
        self.problems_edit.setPlainText("\n".join(errors))
