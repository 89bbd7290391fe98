"""The nineteen courses the medium and large demos add to the starter eleven: thirty in all,
the width of a head office's training matrix. Invented providers are real kinds of provider."""

from __future__ import annotations

from prevent_desktop.services.training_views import CourseInput

_DSLS = ("Safeguarding lead (DSL)", "Deputy safeguarding lead")
_DELIVERY = ("Trainer or tutor", "Assessor")

EXTRA_COURSES = (
    CourseInput("Fire safety awareness", "In-house", 12, True, (), ("O3",)),
    CourseInput("Health and safety at work", "In-house", 36, True, (), ("O3",)),
    CourseInput("Data protection (UK GDPR)", "In-house", 12, True, (), ("O5",)),
    CourseInput("Cyber security awareness", "NCSC e-learning", 12, True, (), ("O3",)),
    CourseInput("Whistleblowing and raising concerns", "In-house", 36, True, (), ("O5",)),
    CourseInput(
        "First aid at work",
        "First aid training provider",
        36,
        False,
        ("Site manager", "Incident lead", "Learner support"),
        ("O3",),
    ),
    CourseInput(
        "Emergency first aid", "First aid training provider", 36, False, _DELIVERY, ("O3",)
    ),
    CourseInput(
        "Manual handling", "In-house", 36, False, ("Trainer or tutor", "Learner support"), ()
    ),
    CourseInput(
        "Mental health first aid",
        "Mental health charity",
        36,
        False,
        ("Learner support", *_DSLS),
        ("O4",),
    ),
    CourseInput(
        "Safer recruitment",
        "Local authority",
        36,
        False,
        ("Site manager", "Administrator"),
        ("O5",),
    ),
    CourseInput(
        "Child exploitation and county lines",
        "Local safeguarding partnership",
        24,
        False,
        (*_DSLS, "Learner support"),
        ("O4",),
    ),
    CourseInput(
        "Domestic abuse awareness",
        "Local safeguarding partnership",
        36,
        False,
        ("Learner support",),
        ("O4",),
    ),
    CourseInput(
        "Conflict resolution and de-escalation",
        "In-house",
        24,
        False,
        (*_DELIVERY, "Incident lead"),
        ("O3",),
    ),
    CourseInput("Lone working", "In-house", 24, False, ("Assessor",), ("O3",)),
    CourseInput(
        "Online radicalisation and extremism",
        "Department for Education e-learning",
        24,
        False,
        ("Trainer or tutor", "Learner support"),
        ("O1", "O3"),
    ),
    CourseInput("Visiting employer sites safely", "In-house", 24, False, ("Assessor",), ("O3",)),
    CourseInput(
        "Anti-bullying and harassment",
        "In-house",
        36,
        False,
        (*_DELIVERY, "Learner support"),
        ("O2",),
    ),
    CourseInput(
        "Suicide prevention awareness",
        "Suicide prevention charity",
        24,
        False,
        ("Learner support", *_DSLS),
        ("O4",),
    ),
    CourseInput(
        "Evacuation marshal", "In-house", 12, False, ("Incident lead", "Administrator"), ("O3",)
    ),
)
