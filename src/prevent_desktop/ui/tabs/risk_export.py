"""Exporting the register: a PDF report, an Excel workbook or CSV (see export_button.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs import export_button
from prevent_desktop.ui.tabs.export_button import ExportFormat
from prevent_desktop.ui.worker import DatabaseWorker

_REGISTER = "Prevent risk register"
# The action plan is a different file from the register, so saving one never offers to
# replace the other.
FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat(
        "PDF report…",
        "PDF documents (*.pdf)",
        ".pdf",
        "prevent_desktop.reports.risk_register_pdf:write_risk_register_pdf",
        _REGISTER,
    ),
    "xlsx": ExportFormat(
        "Excel workbook…",
        "Excel workbooks (*.xlsx)",
        ".xlsx",
        "prevent_desktop.reports.risk_register_export:write_xlsx",
        _REGISTER,
    ),
    "csv": ExportFormat(
        "CSV (risks)…",
        "CSV files (*.csv)",
        ".csv",
        "prevent_desktop.reports.risk_register_export:write_csv",
        _REGISTER,
    ),
    "actions_csv": ExportFormat(
        "CSV (action plan)…",
        "CSV files (*.csv)",
        ".csv",
        "prevent_desktop.reports.risk_register_export:write_actions_csv",
        "Prevent action plan",
    ),
}


class ExportButton(export_button.ExportButton):
    def __init__(
        self, worker: DatabaseWorker, workspace: Workspace, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            worker,
            workspace,
            what="risk register",
            formats=FORMATS,
            tooltip="Save the register as a PDF report, an Excel workbook or CSV",
            parent=parent,
        )
