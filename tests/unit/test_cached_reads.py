"""Reads kept until the next write (Database.cached_read): shared by the tabs, never stale."""

from __future__ import annotations

from datetime import date

from prevent_desktop.services.training_views import StaffInput
from prevent_desktop.services.workspace import Workspace


def test_a_kept_read_is_shared_until_anything_is_written(workspace: Workspace) -> None:
    today = date.today()
    training = workspace.training
    training.add_staff(StaffInput(name="Ann Lee", job_role="Assessor"))
    training.add_staff(StaffInput(name="Bo Gone", job_role="Assessor", left_on=date(2025, 1, 31)))
    training.add_staff(StaffInput(name="Cy Day", job_role="Trainer or tutor"))
    first = workspace.training.matrix(today)
    assert workspace.training.matrix(today) is first  # kept
    with_leavers = workspace.training.matrix(today, include_left=True)  # another key
    assert with_leavers is not first
    # The current staff's grid is the whole one without the leavers: the same rows of cells.
    current_rows = [
        row
        for row, person in zip(with_leavers.cells, with_leavers.staff, strict=True)
        if person.active
    ]
    assert [id(row) for row in first.cells] == [id(row) for row in current_rows]
    assert [p.name for p in first.staff] == ["Ann Lee", "Cy Day"]
    assert [p.name for p in with_leavers.staff] == ["Ann Lee", "Bo Gone", "Cy Day"]
    assert len(first.cells) == 2 and first.courses and len(first.cells[0]) == len(first.courses)
    assert (first.courses, first.today, first.due_soon_days) == (
        with_leavers.courses,
        with_leavers.today,
        with_leavers.due_soon_days,
    )
    # Both are kept: the tabs that read one do not push out the other.
    assert workspace.training.matrix(today) is first
    assert workspace.training.matrix(today, include_left=True) is with_leavers

    risks = workspace.risks.list_risks(today)
    workspace.training.add_staff(StaffInput(name="Nia Roberts", job_role="Assessor"))
    # Any commit forgets every kept read, whatever it changed.
    after = workspace.training.matrix(today)
    assert after is not first
    assert "Nia Roberts" in [person.name for person in after.staff]
    assert workspace.risks.list_risks(today) == risks
    assert workspace.risks.list_risks(today) is not risks  # a fresh list each time


def test_a_closed_database_keeps_nothing(workspace: Workspace) -> None:
    workspace.training.matrix()
    assert workspace.database._read_cache
    workspace.database.close()
    assert not workspace.database._read_cache
