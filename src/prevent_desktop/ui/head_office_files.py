"""Head office's files: importing a site's return (with the site laptop's fingerprint confirmed
the first time), and saving the quarter's consolidated PDF report or Excel workbook.

The flows only: which file, which question next, what to say afterwards. The service checks
each bundle in full and the permission again, on the worker.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.services.head_office import ReceivedSummary
from prevent_desktop.services.quarterly_export import write_copies
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.bundle_import import AlreadyApplied, UnknownDevice
from prevent_desktop.sync.device import DeviceCard
from prevent_desktop.ui import confirmation, pdf_printing
from prevent_desktop.ui.bug_dialog import show_message
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

TITLE = "Prevent Desktop"
BUNDLE_FILTER = "Prevent bundles (*.pdbundle)"
REPORTS = {
    # kind: (suffix, file filter, what it is called)
    "pdf": (".pdf", "PDF files (*.pdf)", "quarterly report"),
    "xlsx": (".xlsx", "Excel workbooks (*.xlsx)", "quarterly workbook"),
}


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def write_report(
    workspace: Workspace, kind: str, quarter: Quarter, organisation: str, path: Path
) -> None:
    """Runs on the worker: every site's return for `quarter`, the organisation first."""
    write_copies(
        workspace.head_office.returns(quarter),
        pdf=path if kind == "pdf" else None,
        xlsx=path if kind == "xlsx" else None,
        consolidated=True,
        organisation=organisation,
        branding=workspace.site.branding(),
    )


class ReturnFiles(QObject):
    """`imported(Quarter)` after a return was stored; `status_message(str)` for the status
    bar. Dialogs and questions are parented to `widget`'s window."""

    imported = Signal(object)
    status_message = Signal(str)

    def __init__(self, worker: DatabaseWorker, workspace: Workspace, widget: QWidget) -> None:
        super().__init__(widget)
        self._worker = worker
        self._workspace = workspace
        self._widget = widget

    def _window(self) -> QWidget:
        return self._widget.window()

    # ---- importing -----------------------------------------------------------------------

    def choose_and_import(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self._window(),
            f"{TITLE} — Import a site's quarterly return",
            str(documents_folder()),
            BUNDLE_FILTER,
        )
        if chosen:
            self.import_from(Path(chosen))

    def import_from(self, path: Path, *, trust: bool = False) -> None:
        head_office = self._workspace.head_office
        self.status_message.emit(f"Checking and importing {path.name}…")
        self._worker.submit(
            lambda _task: head_office.import_return(path, trust=trust),
            self._imported,
            lambda error: self._import_failed(error, path),
            parent_widget=self._widget,
        )

    def _import_failed(self, error: BaseException, path: Path) -> None:
        if isinstance(error, UnknownDevice):
            if self._fingerprint_confirmed(error.card):
                self.import_from(path, trust=True)
            else:
                self.status_message.emit(
                    "Nothing was imported: the site laptop's fingerprint was not confirmed."
                )
            return
        self.status_message.emit(f"{path.name} was not imported.")
        if isinstance(error, AlreadyApplied):
            show_message(
                error.message,
                self._window(),
                title=f"{TITLE} — Already imported",
                icon=QMessageBox.Icon.Information,
            )
            return
        report_failure(error, self._window())

    def _fingerprint_confirmed(self, card: DeviceCard) -> bool:
        return confirmation.ask(
            self._window(),
            "Confirm the site's laptop",
            "<p>This return comes from a laptop head office has not accepted before:</p>"
            f"<p><b>{html.escape(card.label)}</b><br>fingerprint "
            "<span style='font-family: monospace; font-size: 14pt;'>"
            f"{html.escape(card.fingerprint)}</span></p>"
            "<p>Does this match the fingerprint shown on that laptop (Sync ▸ This laptop's "
            "keys)? Ask the site to read it to you over the phone.</p>",
            "&Yes, it matches: import",
            "Compare every group. If they differ, cancel: the return may not come from the "
            "site. Nothing has been imported yet.",
        )

    def _imported(self, summary: ReceivedSummary) -> None:
        quarter = summary.quarter.label
        self.status_message.emit(f"Imported {summary.site_name}'s return for {quarter}.")
        self.imported.emit(summary.quarter)
        lines = [f"{summary.site_name}'s return for {quarter} was imported."]
        if summary.replaced:
            lines.append("It replaces the return received from the site for that quarter before.")
        if summary.newly_trusted:
            lines.append(
                f"The laptop “{summary.origin.label}” is now accepted: its next returns import "
                "without this question."
            )
        show_message(
            " ".join(lines),
            self._window(),
            title=f"{TITLE} — Return imported",
            icon=QMessageBox.Icon.Information,
        )

    # ---- reports -------------------------------------------------------------------------

    def choose_file(self, kind: str, quarter: Quarter, organisation: str) -> Path | None:
        suffix, file_filter, what = REPORTS[kind]
        safe = "".join("-" if char in '/\\:*?"<>|' else char for char in organisation)
        suggested = documents_folder() / f"{safe} {quarter} {what}{suffix}"
        while True:
            chosen, _filter = QFileDialog.getSaveFileName(
                self._window(),
                f"{TITLE} — Save the {what} (the file is NOT encrypted)",
                str(suggested),
                file_filter,
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() == suffix:
                return path  # the dialog itself asked before replacing this name
            # The suffix makes it another file, which the dialog did not check: ask as it would.
            path = path.with_name(path.name + suffix)
            if not path.exists() or confirmation.ask(
                self._window(),
                "Replace file",
                f"{path.name} already exists. Replace it?",
                "&Replace",
                f"In {path.parent}. The new file will not be encrypted.",
            ):
                return path
            suggested = path

    def choose_and_save(self, kind: str, quarter: Quarter, organisation: str) -> None:
        path = self.choose_file(kind, quarter, organisation)
        if path is not None:
            self.save(kind, quarter, organisation, path)

    def save(self, kind: str, quarter: Quarter, organisation: str, path: Path) -> None:
        workspace = self._workspace
        what = REPORTS[kind][2]
        self.status_message.emit(f"Saving the {what}…")
        self._worker.submit(
            lambda _task: write_report(workspace, kind, quarter, organisation, path),
            lambda _none: self._saved(kind, path),
            lambda error: report_failure(error, self._window()),
            parent_widget=self._widget,
        )

    def _saved(self, kind: str, path: Path) -> None:
        what = REPORTS[kind][2]
        self.status_message.emit(f"The {what} was saved to {path}.")
        if kind == "pdf":
            pdf_printing.offer_saved(self._window(), path, what)
            return
        show_message(
            f"The {what} was saved to {path}. This file is not encrypted: keep it somewhere "
            "safe and delete it when it is no longer needed.",
            self._window(),
            title=f"{TITLE} — Saved",
            icon=QMessageBox.Icon.Information,
        )
