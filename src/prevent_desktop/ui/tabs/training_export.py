"""Exporting the training matrix: a landscape PDF or an Excel workbook (see
export_button.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.export_button import ExportButton, ExportFormat
from prevent_desktop.ui.worker import DatabaseWorker

_STEM = "Prevent training matrix"
FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat(
        "PDF report…",
        "PDF documents (*.pdf)",
        ".pdf",
        "prevent_desktop.reports.training_matrix_pdf:write_training_matrix_pdf",
        _STEM,
    ),
    "xlsx": ExportFormat(
        "Excel workbook…",
        "Excel workbooks (*.xlsx)",
        ".xlsx",
        "prevent_desktop.reports.training_matrix_xlsx:write_training_matrix_xlsx",
        _STEM,
    ),
}


class TrainingExportButton(ExportButton):
    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            worker,
            workspace,
            what="training matrix",
            formats=FORMATS,
            tooltip="Save the matrix as a PDF report or an Excel workbook",
            parent=parent,
        )
