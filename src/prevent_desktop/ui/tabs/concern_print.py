"""Printing a concern: the case summary and the referral pack, as PDFs the lead saves.

The PDFs are plaintext (the only plaintext the app writes), so the save dialog's title says
so. The writers live in reports/concern_pdf.py and are imported on the worker when first
used: ReportLab stays out of start-up and off the UI thread.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from prevent_desktop.services.workspace import Workspace

# kind -> (what it is called, file name stem after the reference, module, writer function).
# Imported on first use: ReportLab is slow to load and most sessions never print.
KINDS = {
    "case_summary": (
        "case summary",
        "case-summary",
        "prevent_desktop.reports.concern_pdf",
        "write_case_summary",
    ),
    "referral_pack": (
        "referral pack",
        "referral-pack",
        "prevent_desktop.reports.concern_referral_pack",
        "write_referral_pack",
    ),
}


def dialog_title(kind: str) -> str:
    return f"Prevent Desktop — Save the {KINDS[kind][0]} PDF (the file is NOT encrypted)"


def choose_pdf(parent: QWidget, kind: str, reference: str) -> Path | None:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = Path(documents) / f"{reference}-{KINDS[kind][1]}.pdf"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, dialog_title(kind), str(suggested), "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def _writer(kind: str) -> Callable[..., None]:
    _what, _stem, module, name = KINDS[kind]
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def write_pdf(
    workspace: Workspace, concern_id: str, kind: str, destination: Path, *, redact: bool = False
) -> Callable[[object], Path]:
    """The worker task that writes the PDF (the writer logs the printing as an access)."""

    def task(_task: object) -> Path:
        writer = _writer(kind)
        if kind == "case_summary":
            writer(workspace, concern_id, destination, redact_third_parties=redact)
        else:
            writer(workspace, concern_id, destination)
        return destination

    return task
