"""What the concern detail dialog's small forms share: a heading naming the concern, a form,
the message line for the service's refusals, and Cancel beside a button that says what it
does. The write runs on the worker through SavingDialog; the form stays open, with what was
typed, when the service refuses.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.keyboard import buttons_in_shown_order, set_tab_order
from prevent_desktop.ui.scrolling import fit_to_screen, scroll_area
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.tabs.saving_dialog import SavingDialog
from prevent_desktop.ui.worker import DatabaseWorker


def text_box(parent: QWidget, placeholder: str, lines: int = 4) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    # Lines wrap at the box's width, so a sideways scroll bar only ever shows by mistake (Qt
    # lays out text set before the first resize at a tiny width).
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def note_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


class ConcernFormDialog(SavingDialog):
    """Subclasses add rows to `self.form` and implement `save()` with `submit_write`."""

    def __init__(
        self,
        worker: DatabaseWorker,
        workspace: Workspace,
        concern_id: str,
        reference: str,
        title: str,
        save_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._workspace = workspace
        self._concern_id = concern_id
        self.setWindowTitle(f"Prevent Desktop — {title} — {reference}")
        self.heading = QLabel(f"{title} for {reference}", self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.form = QFormLayout()
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message = FormMessage(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        # Not the box's accepted(): the dialog closes only once the service has saved.
        self.save_button.clicked.connect(self._save_clicked)
        self.buttons.rejected.connect(self.reject)
        # The heading, form and notes scroll on a small screen (200% on a laptop); the
        # message line and the buttons stay in view below them.
        self.scroll_area, scrolled = scroll_area(self)
        self.body = QVBoxLayout(scrolled)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.heading)
        self.body.addLayout(self.form)
        self._outer = QVBoxLayout(self)
        self._outer.addWidget(self.scroll_area, 1)
        self._outer.addWidget(self.message_label)

    def add_note(self, text: str, *, above_form: bool = False) -> QLabel:
        """A line of guidance just above the message line (or the form, for something to
        read before filling it in)."""
        label = note_label(text, self)
        # Below the form is the end of the scrolled part: the message line is outside it.
        at = self.body.indexOf(self.heading) + 1 if above_form else -1
        self.body.insertWidget(at, label)
        return label

    def finish_layout(self, width: int = 560, height: int | None = None) -> None:
        """Subclasses call this last: it adds the buttons and sizes the dialog."""
        # A widget joins the end of its window's Tab order when it is parented: parent the
        # buttons again, now that the subclass's fields exist, so that Tab reaches them
        # last and the dialog opens with the focus in its first field, not on Cancel.
        self.buttons.setParent(None)
        self._outer.addWidget(self.buttons)
        set_tab_order(*buttons_in_shown_order(self.buttons))
        wanted = QSize(width, height if height is not None else self.sizeHint().height())
        fit_to_screen(self, wanted)

    def _save_clicked(self) -> None:
        self.message.clear()
        self.save()

    def save(self) -> None:
        raise NotImplementedError
