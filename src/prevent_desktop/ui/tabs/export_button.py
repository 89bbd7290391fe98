"""A tab's "Export ▾" button: a report in one of several formats, written on the worker.

These files are the only plaintext the app writes, so the save dialog says so in its title
and the message afterwards says it again: the person decides where an unencrypted copy goes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ExportFormat:
    menu_text: str
    file_filter: str
    suffix: str
    writer: str  # "module:function", imported when first used, on the worker: ReportLab and
    # openpyxl stay out of start-up
    file_stem: str  # the suggested name, before the date


def writer_for(spec: str) -> Writer:
    module, _colon, name = spec.partition(":")
    writer: Writer = getattr(importlib.import_module(module), name)
    return writer


class ExportButton(QToolButton):
    """Emits `exported(Path)` once a file is written."""

    exported = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        *,
        what: str,
        formats: dict[str, ExportFormat],
        tooltip: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self._what = what
        self._formats = formats
        self.dialog_title = f"Prevent Desktop — Export {what} (the file is NOT encrypted)"
        self.setText("E&xport")
        self.setToolTip(tooltip)
        self.setAccessibleName(f"Export the {what}")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.format_actions: dict[str, QAction] = {}
        for kind, export_format in formats.items():
            action = menu.addAction(export_format.menu_text)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose_and_export(k))
            self.format_actions[kind] = action
        self.setMenu(menu)

    def choose_file(self, kind: str) -> Path | None:
        export_format = self._formats[kind]
        suffix = export_format.suffix
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        suggested = Path(documents) / f"{export_format.file_stem} {date.today():%Y-%m-%d}{suffix}"
        while True:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.dialog_title, str(suggested), export_format.file_filter
            )
            if not chosen:
                return None
            path = Path(chosen)
            if path.suffix.lower() == suffix:
                return path  # the dialog itself asked before replacing this name
            # The dialog checked the name as typed; the suffix makes it another file, which
            # may exist: ask as the dialog would have, and offer the dialog again if not.
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
        workspace, spec = self._workspace, self._formats[kind].writer
        self._worker.submit(
            lambda _task: writer_for(spec)(workspace, path),
            lambda _none: self._done(path),
            lambda error: report_failure(error, self.window()),
            progress=f"Exporting the {self._what}…",
            parent_widget=self,
        )

    def _done(self, path: Path) -> None:
        self.exported.emit(path)
        show_message(
            f"The {self._what} was saved to {path}. This file is not encrypted: keep it "
            "somewhere safe and delete it when it is no longer needed.",
            self.window(),
            title="Prevent Desktop — Exported",
            icon=QMessageBox.Icon.Information,
        )
