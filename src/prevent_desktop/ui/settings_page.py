"""What every page of the Settings dialog shares: the values it shows, the writes it asks for,
and a message line under each field.

A page never writes. It shows the values the dialog read on the worker, and on Save says what
the user changed as `PendingWrite`s (each one service call that returns a ChangeSet), or that
something typed is wrong, with the reason under that field; the dialog then runs the writes in
one task on the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from prevent_desktop.domain.concern import RetentionRule
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.form_message import FormMessage
from prevent_desktop.ui.styles import NOTE_STYLE


@dataclass(frozen=True)
class SettingsValues:
    """Every setting the dialog shows, as stored when it opened (read on the worker)."""

    name: str
    logo: bytes | None
    auto_lock_minutes: int
    due_soon_days: int
    retention: RetentionRule
    head_office_key: str | None
    concern_policy: str


def read_values(workspace: Workspace) -> SettingsValues:
    """Runs on the worker: a handful of single-row reads."""
    site = workspace.site
    return SettingsValues(
        name=site.site().name,
        logo=site.report_logo(),
        auto_lock_minutes=site.auto_lock_minutes(),
        due_soon_days=workspace.training.due_soon_days(),
        retention=workspace.concerns.retention_rule(),
        head_office_key=workspace.quarterly.head_office_key(),
        concern_policy=workspace.quarterly.concern_policy(),
    )


@dataclass(frozen=True)
class Confirmation:
    """A question to ask before anything is saved (declined: nothing is)."""

    title: str
    text: str
    action: str


@dataclass(frozen=True)
class PendingWrite:
    """One change to save: `write` runs on the worker; `saved` runs on the UI thread after it
    succeeded (the page takes the new value as its stored one); a refusal goes to `message`."""

    write: Callable[[Workspace], ChangeSet]
    saved: Callable[[], None]
    message: FormMessage
    confirm: Confirmation | None = None


class Invalid(Exception):
    """Something typed on a page cannot be saved; its field already shows why."""

    def __init__(self, field: QWidget) -> None:
        super().__init__("invalid input")
        self.field = field


class SettingsPage(QWidget):
    """A page: a title for the list, a layout to fill, and the two methods the dialog calls."""

    title = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self._messages: list[FormMessage] = []

    def show_values(self, values: SettingsValues) -> None:
        raise NotImplementedError

    def pending_writes(self) -> list[PendingWrite]:
        """What changed, or Invalid (with the reason shown by the field)."""
        raise NotImplementedError

    def set_editable(self, editable: bool) -> None:
        """Managers change settings; anyone else sees them read-only."""
        raise NotImplementedError

    def note(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setStyleSheet(NOTE_STYLE)
        return label

    def field_message(self) -> tuple[QLabel, FormMessage]:
        """A message line for one field, hidden until there is something to say."""
        label = QLabel(self)
        label.setWordWrap(True)
        message = FormMessage(label)
        self._messages.append(message)
        return label, message

    @staticmethod
    def cell(main: QWidget | QLayout, *below: QWidget) -> QVBoxLayout:
        """A form's field with its message and notes under it: hidden ones take no room."""
        column = QVBoxLayout()
        column.setSpacing(4)
        if isinstance(main, QLayout):
            column.addLayout(main)
        else:
            column.addWidget(main)
        for widget in below:
            column.addWidget(widget)
        return column

    def owns(self, message: FormMessage) -> bool:
        return message in self._messages

    def clear_messages(self) -> None:
        for message in self._messages:
            message.clear()
