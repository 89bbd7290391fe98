"""Saving an incident plan's checklists, the bomb-threat form or a log as PDF, on the worker.

Checklists hold nothing confidential, but a log may name people, and every PDF the app writes
is plaintext: the save dialog and the message afterwards say so, as ExportButton does. The
report module is imported on the worker when first used, so ReportLab stays out of start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.pdf_printing import offer_saved
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

REPORTS = "prevent_desktop.reports.incident_checklist_pdf"
PDF_FILTER = "PDF document (*.pdf)"


def report_options(**fields: Any) -> Any:
    """The catalogue's ReportOptions with the incident fields (plan, all, log_id)."""
    from prevent_desktop.reports.catalogue import ReportOptions

    return ReportOptions(**fields)


def choose_pdf(parent: QWidget, what: str, stem: str) -> Path | None:
    """Where to save; None if cancelled. The title says the file is not encrypted."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = Path(documents) / f"{stem} {date.today():%Y-%m-%d}.pdf"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        f"Prevent Desktop — Save {what} (the file is NOT encrypted)",
        str(suggested),
        PDF_FILTER,
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def save_pdf(
    parent: QWidget,
    worker: DatabaseWorker,
    workspace: Workspace,
    *,
    what: str,
    stem: str,
    function: str,
    options: Callable[[], Any] | None,
    done: Callable[[Path], None] | None = None,
) -> None:
    """Ask where, then run `REPORTS.function(workspace, path, options())` on the worker."""
    path = choose_pdf(parent, what, stem)
    if path is None:
        return

    def write(_task: object) -> None:
        writer = getattr(importlib.import_module(REPORTS), function)
        writer(workspace, path, options() if options is not None else None)

    def saved(_none: object) -> None:
        if done is not None:
            done(path)
        # A checklist is printed to be kept by the phone: offer that straight away.
        offer_saved(parent.window(), path, what)

    worker.submit(
        write,
        saved,
        lambda error: report_failure(error, parent.window()),
        progress=f"Saving the {what}…",
        parent_widget=parent,
    )
