"""Helpers for the Training matrix tab's tests: the tab on its own, loaded, with its writes
broadcast back to it as the main window would, and a small site with every cell status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from prevent_desktop.domain.risk import add_months
from prevent_desktop.services.training_views import CompletionInput, StaffInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab
from prevent_desktop.ui.worker import DatabaseWorker

PREVENT = "Prevent awareness"  # 24 months, required for everyone
BRITISH_VALUES = "British values"  # 36 months, tutors and assessors only
ACT = "ACT awareness (counter-terrorism)"  # never expires


def show_matrix(qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace) -> TrainingMatrixTab:
    tab = TrainingMatrixTab(worker, workspace)
    # The main window's broadcast, in miniature: a write made here reloads this tab.
    tab.changed.connect(tab.on_changed)
    qtbot.addWidget(tab)
    tab.resize(1500, 800)
    tab.show()
    qtbot.waitExposed(tab)
    reload(qtbot, tab)
    return tab


def reload(qtbot: QtBot, tab: TrainingMatrixTab) -> None:
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.refresh()


def course_id(workspace: Workspace, name: str) -> str:
    return next(c.id for c in workspace.training.courses() if c.name == name)


def add_person(workspace: Workspace, name: str, role: str, left_on: date | None = None) -> str:
    change = workspace.training.add_staff(StaffInput(name, role, date(2020, 9, 1), left_on=left_on))
    return change.ids[0]


def complete(workspace: Workspace, staff_id: str, course: str, on: date) -> None:
    workspace.training.record_completion(
        [staff_id], CompletionInput(course_id(workspace, course), on)
    )


@dataclass(frozen=True)
class Sample:
    """Who holds which status in the Prevent awareness column (24 months, everyone)."""

    valid: str  # Alice, a tutor: done 100 days ago
    due_soon: str  # Ben, an assessor: expires in 30 days
    expired: str  # Cara, learner support: expired 5 days ago
    missing: str  # Dev, an administrator: never done it
    left: str  # Eve, who left last month, with expired training
    today: date
    due_on: date  # Ben's expiry
    expired_on: date  # Cara's expiry
    expired_done: date  # when Cara did it
    valid_until: date  # Alice's expiry


def build_sample(workspace: Workspace) -> Sample:
    today = date.today()
    alice = add_person(workspace, "Alice Brown", "Trainer or tutor")
    ben = add_person(workspace, "Ben Carter", "Assessor")
    cara = add_person(workspace, "Cara Davies", "Learner support")
    dev = add_person(workspace, "Dev Evans", "Administrator")
    eve = add_person(workspace, "Eve Foster", "Administrator", left_on=today - timedelta(days=30))
    # Expiry is worked out from the completion (month ends are kept), so take it from there.
    ben_done = add_months(today + timedelta(days=30), -24)
    cara_done = add_months(today - timedelta(days=5), -24)
    alice_done = today - timedelta(days=100)
    complete(workspace, alice, PREVENT, alice_done)
    complete(workspace, ben, PREVENT, ben_done)
    complete(workspace, cara, PREVENT, cara_done)
    complete(workspace, eve, PREVENT, date(2019, 1, 10))
    complete(workspace, alice, BRITISH_VALUES, today - timedelta(days=10))
    complete(workspace, alice, ACT, date(2021, 6, 1))  # not required for tutors: still shown
    return Sample(
        alice,
        ben,
        cara,
        dev,
        eve,
        today,
        add_months(ben_done, 24),
        add_months(cara_done, 24),
        cara_done,
        add_months(alice_done, 24),
    )


def visible_names(tab: TrainingMatrixTab) -> list[str]:
    return [
        tab.model.staff(tab.proxy.mapToSource(tab.proxy.index(r, 0)).row()).name
        for r in range(tab.proxy.rowCount())
    ]


def visible_courses(tab: TrainingMatrixTab) -> list[str]:
    return [
        course.name
        for column, course in enumerate(tab.model.courses())
        if not tab.table.isColumnHidden(column)
    ]


def cell_index(tab: TrainingMatrixTab, staff_id: str, course_name: str):  # type: ignore[no-untyped-def]
    row = tab.model.row_of(staff_id)
    column = next(c for c, course in enumerate(tab.model.courses()) if course.name == course_name)
    assert row is not None
    return tab.proxy.mapFromSource(tab.model.index(row, column))
