"""The quarterly export wizard's "Where to save" page: the bundle for head office and the
optional PDF and workbook of what it holds, then the export itself on the worker when the
page is committed (Export).

The copies are suggested in Documents even when the bundle goes onto a USB stick: they are
not encrypted, so they should not travel with it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from prevent_desktop.errors import KnownError
from prevent_desktop.services.quarterly_export import HeadOfficeChanged, QuarterlyResult
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.quarterly_export_pages import WARNING_STYLE, ExportSetup, note_label
from prevent_desktop.ui.styles import ERROR_STYLE
from prevent_desktop.ui.worker import report_failure

if TYPE_CHECKING:
    from prevent_desktop.ui.quarterly_export_wizard import QuarterlyExportWizard


def documents_folder() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


class PathRow(QWidget):
    """A file name to save to, typed or chosen with the file dialog (which asks itself before
    replacing a file; `confirmed` remembers that, so the page does not ask again)."""

    def __init__(
        self, parent: QWidget, browse_text: str, name: str, suffix: str, file_filter: str
    ) -> None:
        super().__init__(parent)
        self.suffix, self.file_filter, self.name = suffix, file_filter, name
        self.confirmed: Path | None = None
        self._suggested = ""
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(f"Where to save the {name}")
        self.browse_button = QPushButton(browse_text, self)
        self.browse_button.setAccessibleName(f"Choose where to save the {name}")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self.browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return (
            path if path.suffix.lower() == self.suffix else path.with_name(path.name + self.suffix)
        )

    def suggest(self, path: Path) -> None:
        """Put `path` in unless the person has typed or chosen a name of their own."""
        if self.edit.text() in ("", self._suggested):
            self.edit.setText(str(path))
        self._suggested = str(path)

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self.window(),
            f"Prevent Desktop — Save the {self.name}",
            self.edit.text().strip(),
            self.file_filter,
        )
        if not chosen:
            return
        self.edit.setText(chosen)
        path = self.path()
        # A name typed without the suffix is another file, which the dialog did not check.
        self.confirmed = path if Path(chosen) == path else None


class DestinationPage(QWizardPage):
    def __init__(self, wizard: QuarterlyExportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.busy = False
        self._written = False
        self.setTitle("Where to save")
        self.setSubTitle(
            "Save the bundle where you can copy it for head office, on a USB stick for instance."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Export")
        self.bundle_row = PathRow(
            self, "Brow&se…", "bundle", ".pdbundle", "Prevent bundles (*.pdbundle)"
        )
        bundle_label = QLabel("Bundle &file:", self)
        bundle_label.setBuddy(self.bundle_row.edit)
        self.pdf_check = QCheckBox("Also save a &PDF report of what is sent", self)
        self.pdf_row = PathRow(self, "Bro&wse…", "PDF report", ".pdf", "PDF files (*.pdf)")
        self.xlsx_check = QCheckBox("Also save an Excel wor&kbook of what is sent", self)
        self.xlsx_row = PathRow(
            self, "B&rowse…", "Excel workbook", ".xlsx", "Excel workbooks (*.xlsx)"
        )
        form = QFormLayout()
        form.addRow(bundle_label, self.bundle_row)
        form.addRow("", note_label("Encrypted: only head office can open it.", self))
        self.plain_note = note_label("", self, WARNING_STYLE)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(8)
        self.busy_label = QLabel("Making the return and writing the files…", self)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_bar)
        busy_row.addWidget(self.busy_label, 1)
        self.error_label = note_label("", self, ERROR_STYLE)
        self.error_label.setObjectName("exportError")

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.pdf_check)
        layout.addWidget(self.pdf_row)
        layout.addWidget(self.xlsx_check)
        layout.addWidget(self.xlsx_row)
        layout.addWidget(self.plain_note)
        layout.addStretch(1)
        layout.addLayout(busy_row)
        layout.addWidget(self.error_label)
        for check, row in ((self.pdf_check, self.pdf_row), (self.xlsx_check, self.xlsx_row)):
            row.setEnabled(False)
            check.toggled.connect(row.setEnabled)
            check.toggled.connect(self._changed)
        for row in (self.bundle_row, self.pdf_row, self.xlsx_row):
            row.edit.textChanged.connect(self._changed)
        self._set_busy(False)
        self.error_label.hide()

    def setup_loaded(self, setup: ExportSetup) -> None:
        names = " They hold the names of the people concerns are about." * (
            setup.effective_policy == "full"
        )
        self.plain_note.setText(
            "⚠ The PDF and the workbook are NOT encrypted: they are the site's own copy of "
            f"what is sent.{names} Keep them on this computer, not with the bundle, and "
            "delete them when they are no longer needed."
        )

    def initializePage(self) -> None:
        setup = self._wizard.setup
        code = (setup.site_code if setup else "") or "site"
        stem = f"{code}-{self._wizard.quarter()}-return"
        folder = documents_folder()
        self.bundle_row.suggest(folder / f"{stem}.pdbundle")
        self.pdf_row.suggest(folder / f"{stem}.pdf")
        self.xlsx_row.suggest(folder / f"{stem}.xlsx")

    def _changed(self) -> None:
        self.error_label.hide()
        self.completeChanged.emit()

    def targets(self) -> tuple[Path | None, Path | None, Path | None]:
        return (
            self.bundle_row.path(),
            self.pdf_row.path() if self.pdf_check.isChecked() else None,
            self.xlsx_row.path() if self.xlsx_check.isChecked() else None,
        )

    def isComplete(self) -> bool:
        if self.busy or self._wizard.setup is None:
            return False
        bundle, pdf, xlsx = self.targets()
        return (
            bundle is not None
            and (pdf is not None or not self.pdf_check.isChecked())
            and (xlsx is not None or not self.xlsx_check.isChecked())
        )

    def validatePage(self) -> bool:
        if self._written:
            return True
        if self.busy or not self.isComplete():
            return False
        bundle, pdf, xlsx = self.targets()
        assert bundle is not None
        chosen = [path for path in (bundle, pdf, xlsx) if path is not None]
        problem = self._problem(chosen)
        if problem:
            self._show_error(problem)
            return False
        if not self._replacing_confirmed(chosen):
            return False
        self._export(bundle, pdf, xlsx)
        return False  # the worker's answer moves the wizard on

    def _problem(self, paths: list[Path]) -> str:
        if len(set(paths)) < len(paths):
            return "Give each file its own name."
        for path in paths:
            if not path.parent.is_dir():
                return f"The folder {path.parent} does not exist. Choose another."
            if path.is_dir():
                return f"{path} is a folder. Give a file name."
        return ""

    def _replacing_confirmed(self, paths: list[Path]) -> bool:
        confirmed = {row.confirmed for row in (self.bundle_row, self.pdf_row, self.xlsx_row)}
        existing = [path for path in paths if path.exists() and path not in confirmed]
        if not existing:
            return True
        names = "<br>".join(html.escape(str(path)) for path in existing)
        return confirmation.ask(
            self,
            "Replace files",
            f"<p>These files already exist:</p><p>{names}</p><p>Replace them?</p>",
            "&Replace",
            "The files are replaced only once the new return is ready.",
        )

    def _export(
        self, bundle: Path, pdf: Path | None, xlsx: Path | None, confirmed: bool = False
    ) -> None:
        self._set_busy(True)
        quarterly, quarter = self._wizard.workspace.quarterly, self._wizard.quarter()
        self._wizard.worker.submit(
            lambda _task: quarterly.export(
                bundle, quarter, pdf=pdf, xlsx=xlsx, confirm_changes=confirmed
            ),
            lambda result: self._done(result, pdf, xlsx),
            lambda error: self._failed(error, (bundle, pdf, xlsx)),
            parent_widget=self,
        )

    def _done(self, result: QuarterlyResult, pdf: Path | None, xlsx: Path | None) -> None:
        self._written = True
        self._set_busy(False)
        self._wizard.finish_export(result, pdf, xlsx)
        self._wizard.next()

    def _failed(self, error: BaseException, files: tuple[Path, Path | None, Path | None]) -> None:
        self._set_busy(False)
        if isinstance(error, HeadOfficeChanged):
            if confirmation.ask(
                self,
                "Head office details changed",
                error.message,
                "&Send anyway",
                "Someone changed these on this or another laptop of the site. If head office "
                "did not ask for it, cancel and tell your manager.",
            ):
                self._export(*files, confirmed=True)
            return
        if isinstance(error, KnownError):
            self._show_error(error.message)
        else:
            report_failure(error, self)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(f"⚠ {message}")
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        for widget in (self.bundle_row, self.pdf_check, self.xlsx_check):
            widget.setEnabled(not busy)
        self.pdf_row.setEnabled(not busy and self.pdf_check.isChecked())
        self.xlsx_row.setEnabled(not busy and self.xlsx_check.isChecked())
        wizard = self.wizard()
        if wizard is not None:
            for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
                wizard.button(button).setEnabled(not busy)
        self.completeChanged.emit()
