"""The Settings dialog's General page: the organisation's name, the logo reports print, and
how long the application waits before it locks itself.

A chosen logo file is read and checked on the worker (a PNG or JPEG of at most 512 KB that
really decodes); a refused file leaves the logo shown, and the one stored, as they were. The
new logo, or its removal, is saved with everything else when the user presses Save.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.errors import ValidationError
from prevent_desktop.services.branding import (
    MAX_LOGO_BYTES,
    checked_site_name,
    read_logo_file,
    size_text,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.auto_lock_field import AUTO_LOCK_NOTE, minutes_spin
from prevent_desktop.ui.settings_page import Invalid, PendingWrite, SettingsPage, SettingsValues
from prevent_desktop.ui.worker import DatabaseWorker

PREVIEW_SIZE = (260, 96)
NO_LOGO = "No logo: reports show the name only."


class GeneralPage(SettingsPage):
    title = "General"

    def __init__(self, worker: DatabaseWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._stored_name = ""
        self._stored_logo: bytes | None = None
        self._logo: bytes | None = None
        self._logo_name = ""
        self._stored_minutes = 0

        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Organisation name")
        self.name_edit.setAccessibleDescription("Shown in the window title and on every report")
        name_label = QLabel("Organisation &name:", self)
        name_label.setBuddy(self.name_edit)
        name_error, self.name_message = self.field_message()
        self.name_edit.textEdited.connect(lambda _text: self.name_message.clear())

        self.logo_preview = QLabel(NO_LOGO, self)
        self.logo_preview.setFixedSize(*PREVIEW_SIZE)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setWordWrap(True)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo_preview.setAccessibleName("Report logo")
        self.choose_logo_button = QPushButton("C&hoose logo…", self)
        self.choose_logo_button.setAccessibleName("Choose a logo for the reports")
        self.choose_logo_button.setAutoDefault(False)
        self.choose_logo_button.clicked.connect(lambda _checked=False: self.choose_logo())
        self.remove_logo_button = QPushButton("&Remove logo", self)
        self.remove_logo_button.setAccessibleName("Remove the logo from the reports")
        self.remove_logo_button.setAutoDefault(False)
        self.remove_logo_button.clicked.connect(lambda _checked=False: self.remove_logo())
        logo_error, self.logo_message = self.field_message()
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        logo_label = QLabel("Report logo:", self)
        logo_label.setBuddy(self.choose_logo_button)

        self.minutes = minutes_spin(self)
        self.minutes.setMaximumWidth(160)
        minutes_label = QLabel("&Lock after:", self)
        minutes_label.setBuddy(self.minutes)
        minutes_error, self.minutes_message = self.field_message()

        name_note = self.note(
            "Shown in the window title and at the top of the first page of every report."
        )
        logo_note = self.note(
            f"A PNG or JPEG picture of at most {size_text(MAX_LOGO_BYTES)}. Reports print it "
            "at the top right of their first page, beside the name."
        )
        form = QFormLayout()
        form.setVerticalSpacing(14)
        form.addRow(name_label, self.cell(self.name_edit, name_error, name_note))
        form.addRow(logo_label, self.cell(logo_row, logo_error, logo_note))
        form.addRow(
            minutes_label, self.cell(self.minutes, minutes_error, self.note(AUTO_LOCK_NOTE))
        )
        self.layout_.addLayout(form)
        self.layout_.addStretch(1)

    # ---- values --------------------------------------------------------------------------

    def show_values(self, values: SettingsValues) -> None:
        self._stored_name = values.name
        self.name_edit.setText(values.name)
        self._stored_logo = self._logo = values.logo
        self._show_logo()
        self._stored_minutes = values.auto_lock_minutes
        self.minutes.setValue(values.auto_lock_minutes)

    def set_editable(self, editable: bool) -> None:
        self.name_edit.setReadOnly(not editable)
        self.minutes.setEnabled(editable)
        self.choose_logo_button.setVisible(editable)
        self.remove_logo_button.setVisible(editable)

    def logo(self) -> bytes | None:
        """The logo as it will be saved (None: none)."""
        return self._logo

    def pending_writes(self) -> list[PendingWrite]:
        try:
            name = checked_site_name(self.name_edit.text())
        except ValidationError as error:
            self.name_message.error(error.message)
            raise Invalid(self.name_edit) from None
        writes: list[PendingWrite] = []
        if name != self._stored_name:
            writes.append(
                PendingWrite(
                    lambda ws: ws.site.rename_site(name),
                    lambda: setattr(self, "_stored_name", name),
                    self.name_message,
                )
            )
        if self._logo != self._stored_logo:
            writes.append(self._logo_write(self._logo, self._logo_name or "The logo"))
        minutes = self.minutes.value()
        if minutes != self._stored_minutes:
            writes.append(
                PendingWrite(
                    lambda ws: ws.site.set_auto_lock_minutes(minutes),
                    lambda: setattr(self, "_stored_minutes", minutes),
                    self.minutes_message,
                )
            )
        return writes

    def _logo_write(self, logo: bytes | None, name: str) -> PendingWrite:
        def write(ws: Workspace) -> ChangeSet:
            if logo is None:
                return ws.site.clear_report_logo()
            return ws.site.set_report_logo(logo, name)

        return PendingWrite(write, lambda: setattr(self, "_stored_logo", logo), self.logo_message)

    # ---- the logo ------------------------------------------------------------------------

    def choose_logo(self) -> None:
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            "Prevent Desktop — Choose the logo for reports",
            pictures,
            "Pictures (*.png *.jpg *.jpeg);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        self.logo_message.clear()
        self.choose_logo_button.setEnabled(False)
        self._worker.submit(
            lambda _task: read_logo_file(path),
            lambda data: self._logo_chosen(path.name, data),
            self.logo_message.failure_handler(
                self, after=lambda: self.choose_logo_button.setEnabled(True)
            ),
            parent_widget=self,
        )

    def _logo_chosen(self, name: str, data: bytes) -> None:
        self.choose_logo_button.setEnabled(True)
        self._logo, self._logo_name = data, name
        self._show_logo()
        self.logo_message.note(f"{name} ({size_text(len(data))}): saved when you press Save.")

    def remove_logo(self) -> None:
        self.logo_message.clear()
        self._logo, self._logo_name = None, ""
        self._show_logo()
        if self._stored_logo is not None:
            self.logo_message.note("The logo will be removed when you press Save.")
        self.choose_logo_button.setFocus()

    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self._logo is not None and pixmap.loadFromData(self._logo):
            width, height = PREVIEW_SIZE
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    width - 8,
                    height - 8,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.logo_preview.setAccessibleDescription("A logo is set")
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(NO_LOGO)
            self.logo_preview.setAccessibleDescription(NO_LOGO)
        self.remove_logo_button.setEnabled(self._logo is not None)
