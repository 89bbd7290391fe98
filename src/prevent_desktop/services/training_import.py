"""Importing staff and completed training from a CSV or XLSX file, in steps a window drives:

    table = read_table(path)                          # training_import_read
    mapping = guess_mapping(kind, table.headers)      # training_import_fields; the person fixes it
    plan = validate(kind, table, mapping, known_data(workspace))   # training_import_check
    result = apply(workspace, plan, only_valid=False)

Nothing is written while any row has a problem, unless the person explicitly asks for only
the valid rows. Writes go through the training service, so its permission checks and audit
trail apply exactly as when the rows are typed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.training_import_check import (
    CheckedRow,
    ImportPlan,
    KnownData,
    PlannedCompletion,
    known_data,
    validate,
)
from prevent_desktop.services.training_import_fields import (
    FIELDS,
    FieldSpec,
    ImportKind,
    Mapping,
    guess_mapping,
    mapping_problems,
    parse_date,
)
from prevent_desktop.services.training_import_read import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    Table,
    UnreadableFile,
    read_table,
)
from prevent_desktop.services.training_views import CompletionInput

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

__all__ = [
    "FIELDS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "CheckedRow",
    "FieldSpec",
    "ImportKind",
    "ImportPlan",
    "ImportResult",
    "KnownData",
    "Mapping",
    "Table",
    "UnreadableFile",
    "apply",
    "guess_mapping",
    "known_data",
    "mapping_problems",
    "parse_date",
    "read_table",
    "validate",
]

Progress = Callable[[int, int], None]  # rows written so far, rows to write


@dataclass(frozen=True)
class ImportResult:
    kind: ImportKind
    imported: int
    left_out: int  # rows with problems, not imported
    change: ChangeSet
    sessions: int  # completions grouped into team sessions (0 for a staff import)

    def text(self) -> str:
        what = "member of staff" if self.kind is ImportKind.STAFF else "completion"
        plural = "members of staff" if self.kind is ImportKind.STAFF else "completions"
        done = f"Imported {self.imported} {what if self.imported == 1 else plural}."
        if self.left_out:
            rows = "row" if self.left_out == 1 else "rows"
            done += f" {self.left_out} {rows} with problems were not imported."
        return done


def apply(
    workspace: Workspace, plan: ImportPlan, *, only_valid: bool, progress: Progress | None = None
) -> ImportResult:
    """Write the plan's rows. With problems in the plan nothing is written unless
    `only_valid`, and then only the rows without problems are."""
    if plan.has_errors and not only_valid:
        count = len(plan.problem_rows)
        raise ValidationError(
            f"{count} row{'s' if count != 1 else ''} of '{plan.file_name}' "
            f"{'have' if count != 1 else 'has'} problems, so nothing was imported. Correct the "
            "file, or choose to import only the valid rows."
        )
    # Checked here as well as by each write, so that a refusal comes before anything starts.
    workspace.actor.require(Permission.EDIT_TRAINING, "import into the training matrix")
    rows = plan.valid_rows
    if not rows:
        raise ValidationError(f"'{plan.file_name}' has no valid rows to import.")
    left_out = len(plan.rows) - len(rows)
    if plan.kind is ImportKind.STAFF:
        return _apply_staff(workspace, rows, left_out, progress)
    return _apply_completions(workspace, rows, left_out, progress)


def _apply_staff(
    workspace: Workspace, rows: tuple[CheckedRow, ...], left_out: int, progress: Progress | None
) -> ImportResult:
    people = [row.staff for row in rows if row.staff is not None]
    change = workspace.training.add_staff_many(people)  # one transaction: all or nothing
    if progress is not None:
        progress(len(people), len(rows))
    return ImportResult(ImportKind.STAFF, len(change.ids), left_out, change, 0)


def _apply_completions(
    workspace: Workspace, rows: tuple[CheckedRow, ...], left_out: int, progress: Progress | None
) -> ImportResult:
    # Rows sharing course, date, certificate and note are one team session; all of them go
    # in one transaction, so an import is wholly applied or not at all.
    groups: dict[tuple[str, date, str, str], list[str]] = {}
    for row in rows:
        planned: PlannedCompletion | None = row.completion
        assert planned is not None
        key = (
            planned.course_id,
            planned.completed_on,
            planned.certificate_reference,
            planned.evidence_note,
        )
        groups.setdefault(key, []).append(planned.staff_id)
    batches = [
        (staff_ids, CompletionInput(course_id, completed_on, reference, note))
        for (course_id, completed_on, reference, note), staff_ids in groups.items()
    ]
    change = workspace.training.record_completions(batches)
    if progress is not None:
        progress(len(change.ids), len(rows))
    return ImportResult(ImportKind.COMPLETIONS, len(change.ids), left_out, change, len(groups))
