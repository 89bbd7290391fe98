"""Helpers for the concern detail dialog's tests: concerns logged by staff, the lead who holds
the safeguarding key, and the dialog shown and loaded."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from prevent_desktop.services.concern_views import PersonDetails
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.concern_detail import ConcernDetailDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.unit.concern_support import PERSON, sample_input, sign_in

LOAD_TIMEOUT = 10_000


def log_as(workspace: Workspace, login: str, person: PersonDetails = PERSON) -> str:
    """A concern logged by `login` in a session of their own, closed again."""
    reporter = sign_in(workspace.database.path, login)
    try:
        return reporter.concerns.log_concern(sample_input(person)).ids[0]
    finally:
        reporter.close()


def show_detail(
    qtbot: QtBot, worker: DatabaseWorker, lead: Workspace, concern_id: str
) -> ConcernDetailDialog:
    dialog = ConcernDetailDialog(worker, lead, concern_id)
    qtbot.addWidget(dialog)
    dialog.show()  # as the concern log opens it: not modal
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=LOAD_TIMEOUT)
    return dialog


def save_form(qtbot: QtBot, detail: ConcernDetailDialog, form: QDialog) -> None:
    """Click the form's save button and wait for the detail dialog to reload."""
    with qtbot.waitSignal(detail.loaded, timeout=LOAD_TIMEOUT):
        form.save_button.click()  # type: ignore[attr-defined]


def refused(qtbot: QtBot, form: QDialog, words: str) -> str:
    """Click save, expect the service's refusal in the form; return the message."""
    form.save_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: words in form.message.text(), timeout=LOAD_TIMEOUT)  # type: ignore[attr-defined]
    assert form.isVisible() and form.isEnabled()
    return form.message.text()  # type: ignore[attr-defined, no-any-return]


def timeline_texts(detail: ConcernDetailDialog) -> list[tuple[str, str]]:
    return [(item.what, item.details) for item in detail.timeline.model.items()]
