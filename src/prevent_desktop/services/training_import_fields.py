"""What each kind of import expects, which column is probably which, and reading its values.

Dates are read the UK way and only the UK way: 31/01/2025 (or 31-01-2025, 31.01.2025,
1/2/2025), an ISO date 2025-01-31, "31 Jan 2025", or a real date cell in a workbook. Nothing is
ever read month-first: 02/13/2025 is refused rather than taken as 13 February. Two-digit years
(1/2/25) are refused too, since "25" could be 1925 for a start date and guessing a century is
exactly the kind of silent guess an import must not make.
"""

from __future__ import annotations

import collections.abc
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from prevent_desktop.errors import ValidationError
from prevent_desktop.services.training_import_read import Value


class ImportKind(StrEnum):
    STAFF = "staff"
    COMPLETIONS = "completions"

    @property
    def label(self) -> str:
        return "Staff" if self is ImportKind.STAFF else "Completed training"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    required: bool
    synonyms: tuple[str, ...]  # header names that mean this field, compared by `header_key`


_PERSON = (
    "name",
    "full name",
    "staff name",
    "staff member",
    "member of staff",
    "employee",
    "employee name",
    "person",
    "staff",
    "learner name",
    "colleague",
    "name of staff",
)

FIELDS: dict[ImportKind, tuple[FieldSpec, ...]] = {
    ImportKind.STAFF: (
        FieldSpec("name", "Name", True, _PERSON),
        FieldSpec(
            "job_role",
            "Job role",
            True,
            ("job role", "role", "job title", "position", "post", "job"),
        ),
        FieldSpec(
            "start_date",
            "Start date",
            False,
            (
                "start date",
                "started",
                "started on",
                "date started",
                "start",
                "employment start",
                "date joined",
                "joined",
                "joined on",
            ),
        ),
        FieldSpec(
            "email",
            "Email",
            False,
            ("email", "e-mail", "email address", "e-mail address", "work email"),
        ),
        FieldSpec(
            "left_on",
            "Left on",
            False,
            (
                "left on",
                "left",
                "leaving date",
                "date left",
                "leaver date",
                "end date",
                "left date",
            ),
        ),
    ),
    ImportKind.COMPLETIONS: (
        FieldSpec("staff_name", "Staff name", True, _PERSON),
        FieldSpec(
            "course_name",
            "Course",
            True,
            (
                "course",
                "course name",
                "course title",
                "training",
                "training course",
                "training name",
                "module",
                "module name",
            ),
        ),
        FieldSpec(
            "completed_on",
            "Completion date",
            True,
            (
                "completion date",
                "date completed",
                "completed on",
                "completed",
                "date",
                "date of completion",
                "training date",
                "date achieved",
                "achieved",
                "passed on",
                "date passed",
                "date of training",
                "completed date",
            ),
        ),
        FieldSpec(
            "certificate_reference",
            "Certificate reference",
            False,
            (
                "certificate reference",
                "certificate ref",
                "certificate",
                "certificate no",
                "certificate number",
                "cert ref",
                "cert no",
                "cert number",
                "cert",
                "reference",
                "ref",
            ),
        ),
        FieldSpec(
            "evidence_note",
            "Evidence note",
            False,
            ("evidence note", "evidence", "notes", "note", "comments", "comment"),
        ),
    ),
}

# field key -> column index in the table, or None; read-only where taken, so any dict will do
Mapping = collections.abc.Mapping[str, int | None]


def header_key(text: str) -> str:
    """Headers compared without case, spaces or punctuation: "Date  Completed:" is
    "datecompleted"."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def guess_mapping(kind: ImportKind, headers: tuple[str, ...] | list[str]) -> dict[str, int | None]:
    """Each field's column by its header, or None. A column serves one field at most, and
    only a header that is one of the field's names counts: a near miss is left for the person
    to choose rather than guessed."""
    keys = [header_key(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for spec in FIELDS[kind]:
        wanted = [header_key(s) for s in (spec.label, *spec.synonyms)]
        # The field's most specific name wins: "Completion date" before a bare "Date".
        found = next(
            (keys.index(w) for w in wanted if w in keys and keys.index(w) not in used), None
        )
        mapping[spec.key] = found
        if found is not None:
            used.add(found)
    return mapping


def mapping_problems(kind: ImportKind, mapping: Mapping, width: int) -> list[str]:
    """Why this mapping cannot be used (empty when it can)."""
    problems = []
    seen: dict[int, str] = {}
    for spec in FIELDS[kind]:
        column = mapping.get(spec.key)
        if column is None:
            if spec.required:
                problems.append(f"Choose the column that holds the {spec.label.lower()}.")
            continue
        if not 0 <= column < width:
            problems.append(f"The {spec.label.lower()} column is not in the file.")
        elif column in seen:
            problems.append(
                f"The {spec.label.lower()} and the {seen[column].lower()} are the same column."
            )
        seen.setdefault(column, spec.label)
    return problems


def check_mapping(kind: ImportKind, mapping: Mapping, width: int) -> None:
    problems = mapping_problems(kind, mapping, width)
    if problems:
        raise ValidationError(" ".join(problems))


# ---- values ------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+)\.?[ -](\d{4})")
# A time after the date ("31/01/2025 00:00", "2025-01-31T00:00:00") is what some exports add;
# matched after casefold(), hence the small t.
_TIME = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class DateProblem(ValueError):
    """Why a value is not a date; the message fits after "the start date '...' "."""


def text_of(value: Value) -> str:
    """A cell as text: dates the UK way, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return " ".join(str(value).split())


def parse_date(value: Value) -> date | None:
    """None for an empty cell; a date; or DateProblem saying what is wrong."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        raise DateProblem(
            "is a number, not a date (format the column as dates in Excel, or type dd/mm/yyyy)"
        )
    text = _TIME.sub("", value.strip().casefold())
    if not text:
        return None
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.fullmatch(text):
        if len(match[4]) != 4:
            raise DateProblem("has no four-digit year (use dd/mm/yyyy, e.g. 31/01/2025)")
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif (match := _WORDS.fullmatch(text)) and match[2] in _MONTHS:
        day, month, year = int(match[1]), _MONTHS[match[2]], int(match[3])
    else:
        raise DateProblem("is not a date (use dd/mm/yyyy)")
    try:
        return date(year, month, day)
    except ValueError:
        hint = f"; {month} is not a month" if month > 12 else ""
        raise DateProblem(f"is not a date (use dd/mm/yyyy{hint})") from None
