"""Sync ▸ Quarterly export to head office: the wizard that makes the site's quarterly return.

Pages: the quarter (quarterly_export_pages), what head office will receive (same module),
where the bundle and the optional PDF and workbook go, then the export itself, run on the
worker when that page is committed, and a summary of what was written. The service checks
the permission and the key again; the wizard only explains them first.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.errors import KnownError
from prevent_desktop.services.quarterly_export import POLICIES, QuarterlyResult
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import pdf_printing
from prevent_desktop.ui.bug_dialog import show_known_error, show_message
from prevent_desktop.ui.quarterly_export_files import DestinationPage
from prevent_desktop.ui.quarterly_export_pages import (
    WARNING_STYLE,
    ContentPage,
    ExportSetup,
    QuarterPage,
    load_setup,
    note_label,
)
from prevent_desktop.ui.worker import DatabaseWorker

TITLE = "Prevent Desktop — Quarterly export to head office"


class DonePage(QWizardPage):
    """What was written, and the PDF to open or print when there is one."""

    def __init__(self, wizard: QuarterlyExportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Return exported")
        self.setSubTitle("The quarterly return is ready for head office.")
        self.summary_label = note_label("", self, "")
        self.summary_label.setObjectName("summaryLabel")
        self.note_label = note_label("", self, WARNING_STYLE)
        self.next_label = note_label(
            "Next: copy the bundle for head office (a USB stick will do). Head office imports "
            "it with Import a return…",
            self,
        )
        self.open_button = QPushButton("&Open the PDF", self)
        self.print_button = QPushButton("&Print the PDF…", self)
        for button in (self.open_button, self.print_button):
            button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.note_label)
        layout.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.next_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self._wizard.outcome
        if result is None:
            return
        files = [
            f"<li>The bundle, encrypted for head office: {html.escape(str(result.bundle.path))}"
            "</li>"
        ]
        pdf, xlsx = self._wizard.pdf_path, self._wizard.xlsx_path
        if pdf is not None:
            files.append(f"<li>PDF report (not encrypted): {html.escape(str(pdf))}</li>")
        if xlsx is not None:
            files.append(f"<li>Excel workbook (not encrypted): {html.escape(str(xlsx))}</li>")
        self.summary_label.setText(
            f"<p>Bundle number {result.bundle.sequence}, the return for "
            f"<b>{html.escape(result.quarter.label)}</b>, was saved.</p>"
            f"<p>Concern records sent: <b>{html.escape(POLICIES.get(result.policy, result.policy))}"
            "</b>.</p>"
            f"<p>Files written:</p><ul>{''.join(files)}</ul>"
        )
        self.note_label.setText(f"⚠ {result.note}")
        self.note_label.setVisible(bool(result.note))
        self.open_button.setVisible(pdf is not None)
        self.print_button.setVisible(pdf is not None)

    def open_pdf(self) -> None:
        path = self._wizard.pdf_path
        if path is not None and not pdf_printing.open_in_viewer(path):
            show_message(
                "No PDF viewer opened it. Use Print the PDF… instead, or open the file "
                f"yourself: {path}",
                self._wizard,
                title="Prevent Desktop — Open the PDF",
                icon=QMessageBox.Icon.Information,
            )

    def print_pdf(self) -> None:
        path = self._wizard.pdf_path
        if path is None:
            return
        try:
            pdf_printing.print_with_dialog(path, self._wizard)
        except KnownError as error:
            show_known_error(error, self._wizard)


class QuarterlyExportWizard(QWizard):
    """Emits `changed(ChangeSet)` when a manager saves head office's key from it, and
    `exported(QuarterlyResult)` once the return is written."""

    changed = Signal(object)
    exported = Signal(object)

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.workspace = workspace
        self.setup: ExportSetup | None = None
        self.outcome: QuarterlyResult | None = None  # not `result`: QDialog.result()
        self.pdf_path: Path | None = None
        self.xlsx_path: Path | None = None
        self.setObjectName("quarterlyExportWizard")
        self.setWindowTitle(TITLE)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(720, 560)
        self.quarter_page = QuarterPage(today or date.today(), self)
        self.content_page = ContentPage(self)
        self.destination_page = DestinationPage(self)
        self.done_page = DonePage(self)
        for page in (self.quarter_page, self.content_page, self.destination_page, self.done_page):
            self.addPage(page)
        worker.submit(lambda _task: load_setup(workspace), self._loaded, parent_widget=self)

    def quarter(self) -> Quarter:
        return self.quarter_page.quarter()

    def _loaded(self, setup: ExportSetup) -> None:
        self.setup = setup
        self.content_page.setup_loaded(setup)
        self.destination_page.setup_loaded(setup)

    def finish_export(self, result: QuarterlyResult, pdf: Path | None, xlsx: Path | None) -> None:
        """Called by the destination page once the worker has written everything."""
        self.outcome, self.pdf_path, self.xlsx_path = result, pdf, xlsx
        self.exported.emit(result)

    @property
    def busy(self) -> bool:
        return self.destination_page.busy

    def reject(self) -> None:
        if self.busy:
            return  # the files are being written; closing now would leave the user unsure
        super().reject()
