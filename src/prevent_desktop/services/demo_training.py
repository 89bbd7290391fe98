"""Demo training matrix: a site's staff with their completions, so that every cell status
appears (valid, due soon, expired, missing, not required), plus one team session recorded for
several people at once and a member of staff who has left. Everything is invented."""

from __future__ import annotations

import random
from datetime import date, timedelta

from prevent_desktop.services.training_views import CompletionInput, StaffInput
from prevent_desktop.services.workspace import Workspace

DEMO_STAFF = [
    ("Alex Morgan", "Site manager", 2900),
    ("Priya Shah", "Safeguarding lead (DSL)", 2400),
    ("Chidi Obi", "Deputy safeguarding lead", 1500),
    ("Jordan Brown", "Trainer or tutor", 1800),
    ("Lee White", "Assessor", 1200),
    ("Aisha Rahman", "Trainer or tutor", 900),
    ("Tomasz Nowak", "Assessor", 700),
    ("Grace Okonkwo", "Learner support", 1100),
    ("Hannah Lewis", "Administrator", 600),
    ("Dylan Evans", "Trainer or tutor", 400),
    ("Mei Lin", "Assessor", 300),
    ("Sean Murphy", "Incident lead", 2000),
    ("Fatima Begum", "Learner support", 150),
    ("Oliver Hughes", "Trainer or tutor", 45),  # a new starter: missing training
    ("Łukasz Şahin", "Assessor", 1000),
]
LEAVER = ("Rebecca Stone", "Trainer or tutor", 2500, 120)  # left 120 days ago


def build_demo_training(workspace: Workspace, today: date) -> None:
    training = workspace.training
    rng = random.Random(2026)  # the same matrix every time
    courses = {course.name: course for course in training.courses()}
    ids: dict[str, str] = {}
    for name, role, started in DEMO_STAFF:
        ids[name] = training.add_staff(
            StaffInput(name, role, today - timedelta(days=started), _email(name))
        ).ids[0]
    name, role, started, left = LEAVER
    leaver = training.add_staff(
        StaffInput(name, role, today - timedelta(days=started), _email(name))
    ).ids[0]

    # Most required training is in date; some falls due soon, some has lapsed, and the newest
    # starter has done almost nothing yet.
    matrix = training.matrix(today)
    for person, row in zip(matrix.staff, matrix.cells, strict=True):
        for course, cell in zip(matrix.courses, row, strict=True):
            if person.name == "Oliver Hughes" and course.name != "Safeguarding (all staff)":
                continue
            if not cell.required and rng.random() > 0.15:
                continue
            roll = rng.random()
            if roll < 0.08:
                continue  # missing
            validity_days = (course.validity_months or 36) * 30
            if roll < 0.18:
                ago = validity_days + rng.randint(5, 200)  # expired
            elif roll < 0.30:
                ago = validity_days - rng.randint(5, 50)  # due within the window
            else:
                ago = rng.randint(20, max(21, validity_days - 90))
            joined: date = person.start_date or today
            completed: date = max(today - timedelta(days=ago), joined)
            training.record_completion(
                [person.id],
                CompletionInput(
                    course.id,
                    completed,
                    certificate_reference=f"{course.name[:3].upper()}-{rng.randint(10000, 99999)}",
                    evidence_note=(
                        "Certificate seen" if rng.random() < 0.6 else "Attendance register"
                    ),
                ),
            )
    # A team session recorded for several people at once, a week ago.
    awareness = courses["Prevent awareness"]
    training.record_completion(
        [ids["Jordan Brown"], ids["Aisha Rahman"], ids["Dylan Evans"], ids["Mei Lin"]],
        CompletionInput(
            awareness.id,
            today - timedelta(days=7),
            evidence_note="Team session with the local Prevent coordinator; register kept.",
            certificate=(
                "prevent-session-register.txt",
                b"Prevent awareness team session\nAttended: JB, AR, DE, ML\n",
            ),
        ),
    )
    # One lapsed course for sure, and one due in a fortnight, whatever the dice said.
    training.record_completion(
        [ids["Lee White"]],
        CompletionInput(courses["Online safety"].id, today - timedelta(days=24 * 30 + 40)),
    )
    training.record_completion(
        [ids["Grace Okonkwo"]],
        CompletionInput(courses["Safeguarding (all staff)"].id, today - timedelta(days=365 - 14)),
    )
    leaver_input = training.staff(include_left=True)
    former = next(s for s in leaver_input if s.id == leaver)
    training.update_staff(
        leaver,
        StaffInput(
            former.name,
            former.job_role,
            former.start_date,
            former.email,
            today - timedelta(days=left),
        ),
    )


def _email(name: str) -> str:
    local = ".".join(part.casefold() for part in name.split())
    return f"{local}@riverside-apprenticeships.example"
