"""Importing staff or completed training from a CSV or Excel file, step by step:
choose the file → match its columns → preview with every problem by line → import → summary.

Reading, checking and writing all run on the database worker: a 50,000-row workbook takes a
moment to read and the checks read the matrix. Nothing is written before the preview, and
with problems in the file only an explicit "Import only the N valid rows" writes anything.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.errors import KnownError
from prevent_desktop.services.training_import import (
    ImportKind,
    ImportPlan,
    ImportResult,
    Table,
    apply,
    guess_mapping,
    known_data,
    mapping_problems,
    read_table,
    validate,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.scrolling import fit_to_screen
from prevent_desktop.ui.tabs.training_import_pages import MappingPage, PreviewPage, SourcePage
from prevent_desktop.ui.worker import DatabaseWorker, is_cancellation, report_failure

SOURCE, MAPPING, PREVIEW, RESULT = range(4)
STEP_TITLES = {
    SOURCE: "Step 1 of 4 — Choose the file",
    MAPPING: "Step 2 of 4 — Match the columns",
    PREVIEW: "Step 3 of 4 — Check the preview",
    RESULT: "Step 4 of 4 — Done",
}


class TrainingImportDialog(QDialog):
    """Emits `changed(ChangeSet)` after an import wrote anything, for the main window to
    broadcast ("training_record" or "staff_member")."""

    changed = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Prevent Desktop — Import training records")
        fit_to_screen(self, QSize(860, 600))
        self._worker = worker
        self._workspace = workspace
        self._table: Table | None = None
        self._kind = ImportKind.COMPLETIONS
        self._path: Path | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.busy = False

        layout = QVBoxLayout(self)
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-size: 13pt; font-weight: 600;")
        layout.addWidget(self.step_label)
        self.stack = QStackedWidget()
        self.source_page = SourcePage()
        self.mapping_page = MappingPage()
        self.preview_page = PreviewPage()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("font-size: 12pt;")
        result_page = QWidget()
        result_layout = QVBoxLayout(result_page)
        result_layout.addWidget(self.result_label)
        result_layout.addStretch(1)
        for page in (self.source_page, self.mapping_page, self.preview_page, result_page):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        message_label = QLabel()
        message_label.setWordWrap(True)
        layout.addWidget(message_label)
        self.message = FormMessage(message_label)

        buttons = QHBoxLayout()
        self.back_button = QPushButton("< &Back")
        self.next_button = QPushButton("&Next >")
        self.import_all_button = QPushButton()
        self.import_valid_button = QPushButton()
        self.close_button = QPushButton("Cancel")
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (
            self.import_valid_button,
            self.import_all_button,
            self.next_button,
            self.close_button,
        ):
            buttons.addWidget(button)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self._back)
        self.next_button.clicked.connect(self._next)
        self.import_all_button.clicked.connect(lambda: self._import(only_valid=False))
        self.import_valid_button.clicked.connect(lambda: self._import(only_valid=True))
        self.close_button.clicked.connect(self.reject)
        self.mapping_page.sheet_chosen.connect(self._read_sheet)
        self._go(SOURCE)

    # ---- moving between steps ------------------------------------------------------------

    def _go(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        self.step_label.setText(STEP_TITLES[page])
        self.message.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        plan = self.plan
        self.back_button.setVisible(page in (MAPPING, PREVIEW))
        self.next_button.setVisible(page in (SOURCE, MAPPING))
        on_preview = page == PREVIEW and plan is not None
        valid = len(plan.valid_rows) if plan is not None else 0
        self.import_all_button.setVisible(on_preview)
        self.import_valid_button.setVisible(
            on_preview and plan is not None and plan.has_errors and valid > 0
        )
        if plan is not None:
            total = len(plan.rows)
            self.import_all_button.setText(f"&Import all {total:,} row{'s' * (total != 1)}")
            self.import_valid_button.setText(
                f"Import &only the {valid:,} valid row{'s' * (valid != 1)}"
            )
            self.import_all_button.setEnabled(not plan.has_errors and not self.busy)
            self.import_all_button.setToolTip(
                "Correct the problems listed first, or import only the valid rows"
                if plan.has_errors
                else ""
            )
        self.import_valid_button.setEnabled(not self.busy)
        self.close_button.setText("Close" if page == RESULT else "Cancel")
        self.close_button.setDefault(page == RESULT)
        for button in (self.back_button, self.next_button):
            button.setEnabled(not self.busy)
        self.next_button.setDefault(page in (SOURCE, MAPPING))

    def _back(self) -> None:
        self._go(self.stack.currentIndex() - 1)

    def _next(self) -> None:
        if self.stack.currentIndex() == SOURCE:
            self._read_file()
        elif self.stack.currentIndex() == MAPPING:
            self._check()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        if busy:
            self.message.note(text)
        else:
            self.message.clear()
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if is_cancellation(error):
            return
        if isinstance(error, KnownError):
            self.message.error(error.message)
        else:
            report_failure(error, self)

    # ---- step 1 → 2: read the file --------------------------------------------------------

    def _read_file(self) -> None:
        text = self.source_page.path_edit.text().strip()
        if not text:
            self.message.error("Choose the file to import.")
            return
        self._kind = self.source_page.kind
        self._path = Path(text)
        self._read(self._path, None)

    def _read_sheet(self, sheet: str) -> None:
        if self._path is not None and self._table is not None and sheet != self._table.sheet:
            self._read(self._path, sheet)

    def _read(self, path: Path, sheet: str | None) -> None:
        self._set_busy(True, f"Reading {path.name}…")
        self._worker.submit(
            lambda _task: read_table(path, sheet),
            self._show_table,
            self._failed,
            parent_widget=self,
        )

    def _show_table(self, table: Table) -> None:
        self._set_busy(False)
        self._table = table
        self.mapping_page.show_table(self._kind, table, guess_mapping(self._kind, table.headers))
        self._go(MAPPING)

    # ---- step 2 → 3: check every row ------------------------------------------------------

    def _check(self) -> None:
        table = self._table
        if table is None:
            return
        kind, mapping = self._kind, self.mapping_page.mapping()
        problems = mapping_problems(kind, mapping, len(table.headers))
        if problems:
            self.message.error(" ".join(problems))
            return
        workspace = self._workspace
        self._set_busy(True, f"Checking {len(table.rows):,} rows…")
        self._worker.submit(
            lambda _task: validate(kind, table, mapping, known_data(workspace)),
            self._show_plan,
            self._failed,
            parent_widget=self,
        )

    def _show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.preview_page.show_plan(plan)
        self._set_busy(False)
        self._go(PREVIEW)

    # ---- step 3 → 4: write ----------------------------------------------------------------

    def _import(self, *, only_valid: bool) -> None:
        plan = self.plan
        if plan is None:
            return
        workspace = self._workspace
        count = len(plan.valid_rows) if only_valid else len(plan.rows)
        self._set_busy(True, f"Importing {count:,} rows…")
        self._worker.submit(
            lambda _task: apply(workspace, plan, only_valid=only_valid),
            self._imported,
            self._import_failed,
            parent_widget=self,
        )

    def _imported(self, result: ImportResult) -> None:
        self.import_result = result
        self._set_busy(False)
        self.changed.emit(result.change)
        self.result_label.setText(f"✓ {result.text()}")
        self._go(RESULT)

    def _import_failed(self, error: BaseException) -> None:
        # An import is one transaction: a failure wrote nothing, and says why.
        self._failed(error)
