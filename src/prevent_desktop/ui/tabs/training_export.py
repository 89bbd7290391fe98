"""Exporting the training matrix: a landscape PDF or an Excel workbook, written on the worker.

As with the risk register's export, these files are the only plaintext the app writes: the
save dialog's title says the file is not encrypted and the message afterwards says it again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton, QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.bug_dialog import show_message
from prevent_desktop.ui.confirmation import ask
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

Writer = Callable[[Workspace, Path], None]

# kind -> (menu text, file filter, suffix, "module:function"). Imported on first use, on the
# worker: ReportLab and openpyxl stay out of start-up.
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "pdf": (
        "PDF report…",
        "PDF documents (*.pdf)",
        ".pdf",
        "prevent_desktop.reports.training_matrix_pdf:write_training_matrix_pdf",
    ),
    "xlsx": (
        "Excel workbook…",
        "Excel workbooks (*.xlsx)",
        ".xlsx",
        "prevent_desktop.reports.training_matrix_xlsx:write_training_matrix_xlsx",
    ),
}
FILE_STEM = "Prevent training matrix"
DIALOG_TITLE = "Prevent Desktop — Export training matrix (the file is NOT encrypted)"


def writer_for(kind: str) -> Writer:
    module, _colon, name = FORMATS[kind][3].partition(":")
    writer: Writer = getattr(importlib.import_module(module), name)
    return writer


class TrainingExportButton(QToolButton):
    """ "Export ▾". Emits `exported(Path)` once a file is written."""

    exported = Signal(object)

    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self.setText("E&xport")
        self.setToolTip("Save the matrix as a PDF report or an Excel workbook")
        self.setAccessibleName("Export the training matrix")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.format_actions: dict[str, QAction] = {}
        for kind, (text, *_rest) in FORMATS.items():
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose_and_export(k))
            self.format_actions[kind] = action
        self.setMenu(menu)

    def choose_file(self, kind: str) -> Path | None:
        _text, file_filter, suffix, _writer = FORMATS[kind]
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        suggested = Path(documents) / f"{FILE_STEM} {date.today():%Y-%m-%d}{suffix}"
        while True:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, DIALOG_TITLE, str(suggested), file_filter
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() == suffix:
                return path  # the dialog itself asked before replacing this name
            # Adding the suffix names another file the dialog never checked: ask as it would.
            path = path.with_name(path.name + suffix)
            if not path.exists() or ask(
                self,
                "Replace file",
                f"{path.name} already exists. Replace it?",
                "Replace",
                f"In {path.parent}. The new file will not be encrypted.",
            ):
                return path
            suggested = path

    def choose_and_export(self, kind: str) -> None:
        path = self.choose_file(kind)
        if path is not None:
            self.export_to(kind, path)

    def export_to(self, kind: str, path: Path) -> None:
        workspace = self._workspace
        self._worker.submit(
            lambda _task: writer_for(kind)(workspace, path),
            lambda _none: self._done(path),
            lambda error: report_failure(error, self.window()),
            progress="Exporting the training matrix…",
            parent_widget=self,
        )

    def _done(self, path: Path) -> None:
        self.exported.emit(path)
        show_message(
            f"The training matrix was saved to {path}. This file is not encrypted: keep it "
            "somewhere safe and delete it when it is no longer needed.",
            self.window(),
            title="Prevent Desktop — Exported",
            icon=QMessageBox.Icon.Information,
        )
