"""Demo concerns: one in every state of the workflow, with chronologies, referrals and the
reasons for each decision, logged by the demo staff and handled by the demo lead.

Everything is invented. Each concern is recorded at a believable moment in the past (through
the service's clock), so the statistics by month and the retention report have something real
to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ImmediateRisk,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
    SubjectKind,
)
from prevent_desktop.services.concern_views import (
    ConcernDetails,
    ConcernInput,
    PersonDetails,
    ReferralInput,
)
from prevent_desktop.services.concerns import ConcernService
from prevent_desktop.services.workspace import Workspace

CALLUM = PersonDetails(
    SubjectKind.APPRENTICE,
    "Callum Price",
    learner_reference="RAC-2291",
    date_of_birth=date(2007, 9, 2),
    employer="Harbour Freight Ltd",
    programme="Level 2 Supply Chain Warehouse Operative",
    stage="In learning",
)


@dataclass
class DemoConcern:
    reporter: str
    days_ago: int
    person: PersonDetails
    account: str
    concern_type: str
    risk: ImmediateRisk
    indicators: tuple[str, ...]
    location: str
    context: str = ""
    others: str = ""
    # (days after reporting, step, rationale)
    steps: list[tuple[int, ConcernStatus, str]] = field(default_factory=list)
    # (days after reporting, kind, body)
    entries: list[tuple[int, EntryKind, str]] = field(default_factory=list)
    referral: tuple[int, ReferralAgency, str, ReferralOutcome, int | None, int | None] | None = None
    follow_up_in: int | None = None
    # A correction of the last chronology entry, and a file attached by the lead.
    correction: str | None = None
    attachment: tuple[str, bytes] | None = None


DEMO_CONCERNS = [
    DemoConcern(
        "jbrown",
        1,
        CALLUM,
        "During the break Callum showed two apprentices a video on his phone of a march and said "
        '"that\'s the only way this country gets sorted". He laughed it off when I walked over.',
        "Extreme right-wing",
        ImmediateRisk.LOW,
        ("Possessing or sharing extremist material", "Online activity of concern"),
        "Warehouse training bay",
        "Morning break, practical session",
        "Two apprentices from the same cohort",
    ),
    DemoConcern(
        "lwhite",
        9,
        PersonDetails(
            SubjectKind.APPRENTICE,
            "Jade Kowalski",
            learner_reference="RAC-2307",
            date_of_birth=date(2005, 1, 23),
            employer="Brightside Care Homes",
            programme="Level 3 Lead Adult Care Worker",
            stage="In learning",
        ),
        "Jade has withdrawn from her group over the last three weeks and told me she "
        '"doesn\'t trust anyone here any more". Her employer mentioned she has been reading '
        "forums about a local dispute and posting angry comments.",
        "Mixed, unclear or unstable",
        ImmediateRisk.MEDIUM,
        ("Sudden change in behaviour or isolation", "Grievance or injustice narrative"),
        "Online review meeting",
        "Progress review with employer present",
        "Her line manager at Brightside",
        steps=[(1, ConcernStatus.UNDER_REVIEW, "Account is clear; speak to Jade and employer.")],
        entries=[
            (2, EntryKind.CALL, "Called the employer: no incidents at work, will keep an eye.")
        ],
        follow_up_in=-3,
    ),
    DemoConcern(
        "jbrown",
        95,
        PersonDetails(
            SubjectKind.APPRENTICE,
            "Ryan Doyle",
            learner_reference="RAC-2188",
            date_of_birth=date(2006, 11, 5),
            employer="Northgate Motors",
            programme="Level 3 Motor Vehicle Service and Maintenance Technician",
            stage="In learning",
        ),
        'Ryan told a tutor he "would do what that lad in Southport did" to a group he named. '
        "He has drawn weapons in his workbook and searched school shooting videos on a "
        "centre computer (filtering log attached to the IT ticket).",
        "School massacre or violence fixation",
        ImmediateRisk.HIGH,
        ("Fixation on mass violence", "Threats of violence", "Online activity of concern"),
        "Classroom 2",
        "Theory lesson",
        "Tutor and four apprentices",
        steps=[
            (0, ConcernStatus.UNDER_REVIEW, "Threat named a group: same-day review."),
            (
                1,
                ConcernStatus.REFERRED_PREVENT,
                "Fixation on mass violence with a named target and online research: meets the "
                "threshold for a Prevent referral. Parent informed; employer told on a "
                "need-to-know basis.",
            ),
        ],
        entries=[
            (0, EntryKind.MEETING, "Met Ryan with his tutor; he said it was a joke."),
            (1, EntryKind.ACTION, "National Prevent Referral Form submitted."),
            (30, EntryKind.CALL, "Police Prevent officer called: assessment ongoing."),
        ],
        referral=(
            1,
            ReferralAgency.PREVENT_POLICE,
            "CTP-NE-24117",
            ReferralOutcome.AWAITING,
            None,
            None,
        ),
        follow_up_in=14,
        correction="The officer called on day 31, not day 30; reception took the message.",
        attachment=(
            "filtering-log-extract.txt",
            b"08:52 CLASSROOM2-PC4 blocked: category violence (3 attempts)\n",
        ),
    ),
    DemoConcern(
        "lwhite",
        150,
        PersonDetails(
            SubjectKind.APPRENTICE,
            "Ellie Marsh",
            learner_reference="RAC-2342",
            date_of_birth=date(2009, 6, 30),
            employer="Castle Hair Studio",
            programme="Level 2 Hair Professional",
            stage="In learning",
        ),
        "Ellie, 16, said an older man she met online has been sending her videos about "
        '"the coming war" and asked her to meet him. She seemed frightened.',
        "Vulnerability present but no ideology",
        ImmediateRisk.HIGH,
        ("Contact with extremist individuals or groups", "Online activity of concern"),
        "Salon training room",
        "One-to-one after class",
        steps=[
            (0, ConcernStatus.UNDER_REVIEW, "Under 18 with online grooming signs: act today."),
            (
                0,
                ConcernStatus.REFERRED_LOCAL_AUTHORITY,
                "Child at risk of exploitation: referred to MASH the same day; police "
                "informed by MASH.",
            ),
        ],
        entries=[
            (0, EntryKind.CALL, "Phoned MASH at 15:20; referral taken by the duty social worker."),
            (7, EntryKind.MEETING, "Early help worker met Ellie and her mum at the centre."),
        ],
        referral=(
            0,
            ReferralAgency.LOCAL_AUTHORITY,
            "MASH-88412",
            ReferralOutcome.SIGNPOSTED,
            20,
            None,
        ),
        follow_up_in=5,
    ),
    DemoConcern(
        "jbrown",
        330,
        CALLUM,
        'Callum made repeated comments that a named religious group were "invaders" and '
        "refused to work alongside a colleague.",
        "Extreme right-wing",
        ImmediateRisk.MEDIUM,
        ("Grievance or injustice narrative", "Expressed support for violence or terrorism"),
        "Employer site (Harbour Freight)",
        "Reported by the employer's supervisor to the assessor",
        "Employer supervisor",
        steps=[
            (1, ConcernStatus.UNDER_REVIEW, "Review with employer."),
            (
                3,
                ConcernStatus.REFERRED_PREVENT,
                "Views expressed with hostility towards a named group and refusal to work: "
                "referred for a police assessment.",
            ),
            (60, ConcernStatus.SUPPORT_PLAN, "Channel support ended; our own plan continues."),
        ],
        entries=[
            (3, EntryKind.ACTION, "Referral form submitted."),
            (25, EntryKind.MEETING, "Channel panel adopted the case; mentor assigned."),
            (118, EntryKind.NOTE, "Mentor reports good engagement."),
        ],
        referral=(
            3,
            ReferralAgency.PREVENT_POLICE,
            "CTP-NE-22950",
            ReferralOutcome.ADOPTED_BY_CHANNEL,
            25,
            95,
        ),
    ),
    DemoConcern(
        "lwhite",
        60,
        PersonDetails(
            SubjectKind.APPRENTICE,
            "Daniel Osei",
            learner_reference="RAC-2260",
            date_of_birth=date(2004, 4, 12),
            employer="Metro Rail Engineering",
            programme="Level 3 Rail Engineering Technician",
            stage="Gateway or end-point assessment",
        ),
        'In a debate on foreign policy Daniel said "people have a right to fight back". '
        "Other apprentices were upset.",
        "No ideology identified",
        ImmediateRisk.NONE,
        ("Grievance or injustice narrative",),
        "Classroom 4",
        "British values session on current affairs",
        "Whole class of 12",
        steps=[
            (1, ConcernStatus.UNDER_REVIEW, "Talk to Daniel and the tutor."),
            (
                4,
                ConcernStatus.NO_FURTHER_ACTION,
                "Daniel explained he meant lawful protest; tutor agrees it was in the context "
                "of a structured debate. No indicators of extremism. No referral.",
            ),
        ],
        entries=[(2, EntryKind.MEETING, "Met Daniel with the tutor; he was open and reflective.")],
    ),
    DemoConcern(
        "lwhite",
        45,
        PersonDetails(
            SubjectKind.APPRENTICE,
            "Sophie Turner",
            learner_reference="RAC-2319",
            date_of_birth=date(2003, 8, 19),
            employer="Greenfield Nurseries",
            programme="Level 3 Early Years Educator",
            stage="In learning",
        ),
        "Sophie shared a meme in the cohort group chat mocking a religious group and "
        'wrote that "someone should do something about them".',
        "Extreme right-wing",
        ImmediateRisk.LOW,
        ("Online activity of concern", "Grievance or injustice narrative"),
        "Cohort group chat (online)",
        "Reported by another apprentice to the tutor",
        steps=[
            (1, ConcernStatus.UNDER_REVIEW, "Speak to Sophie; screenshot kept by the tutor."),
            (
                3,
                ConcernStatus.SUPPORT_PLAN,
                "First incident; Sophie was remorseful. Below the referral threshold: a "
                "support plan with her tutor on respectful online behaviour.",
            ),
            (30, ConcernStatus.MONITORING, "Plan completed; monitor for three months."),
        ],
        entries=[(3, EntryKind.MEETING, "Support plan agreed with Sophie and her tutor.")],
        follow_up_in=40,
    ),
    DemoConcern(
        "amorgan",
        210,
        PersonDetails(
            SubjectKind.UNKNOWN, description="Man handing out leaflets at the front gate"
        ),
        "A man handed leaflets to apprentices arriving at 08:30 calling for "
        '"action against the government". Leaflets collected and kept.',
        "Left-wing, anarchist or single-issue",
        ImmediateRisk.IMMEDIATE_DANGER,
        ("Possessing or sharing extremist material",),
        "Front gate",
        "Arrivals",
        "Reception staff",
        steps=[
            (0, ConcernStatus.UNDER_REVIEW, "Police called on 999 as he became aggressive."),
            (
                0,
                ConcernStatus.REFERRED_PREVENT,
                "Police attended; leaflets passed to the local Prevent team.",
            ),
            (14, ConcernStatus.CLOSED, "Police dealt with it; no apprentice involved."),
        ],
        referral=(
            0,
            ReferralAgency.PREVENT_POLICE,
            "Incident 0412 of that day",
            ReferralOutcome.POLICE_LED,
            7,
            None,
        ),
    ),
    DemoConcern(
        "jbrown",
        2900,
        PersonDetails(
            SubjectKind.OTHER, "Visitor (name not recorded)", description="Contractor's driver"
        ),
        "A delivery driver made threatening remarks about a religious group to reception staff.",
        "Other",
        ImmediateRisk.LOW,
        ("Threats of violence",),
        "Reception",
        steps=[
            (0, ConcernStatus.UNDER_REVIEW, "Review."),
            (
                2,
                ConcernStatus.NO_FURTHER_ACTION,
                "Contractor informed and driver removed from "
                "our route; not one of our apprentices.",
            ),
            (3, ConcernStatus.CLOSED, "Closed."),
        ],
    ),
]


def _at(today: date, days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour, 15), UTC)


def build_demo_concerns(path: Path, passphrase: str, lead_login: str, today: date) -> None:
    """Log the demo concerns as their reporters, then handle them as the lead."""
    sessions: dict[str, Workspace] = {}

    def session(login: str) -> Workspace:
        if login not in sessions:
            sessions[login] = Workspace.sign_in(path, login, passphrase)[0]
        return sessions[login]

    def clock(workspace: Workspace, when: datetime) -> None:
        workspace.concerns.now = _fixed(when)

    try:
        lead = session(lead_login)
        lead.concerns.now = _fixed(_at(today, 0))
        for demo in sorted(DEMO_CONCERNS, key=lambda d: -d.days_ago):
            reporter = session(demo.reporter)
            reported = _at(today, demo.days_ago, 11)
            clock(reporter, reported)
            concern_id = reporter.concerns.log_concern(
                ConcernInput(
                    observed_at=reported - timedelta(hours=2),
                    concern_type=demo.concern_type,
                    immediate_risk=demo.risk,
                    details=ConcernDetails(
                        person=demo.person,
                        account=demo.account,
                        location=demo.location,
                        context=demo.context,
                        others_present=demo.others,
                        indicators=demo.indicators,
                    ),
                )
            ).ids[0]
            _handle(lead, concern_id, demo, reported, today)
    finally:
        for workspace in sessions.values():
            workspace.close()


def _handle(
    lead: Workspace, concern_id: str, demo: DemoConcern, reported: datetime, today: date
) -> None:
    service = lead.concerns
    events: list[tuple[int, int, Callable[[], object]]] = []
    for order, (after, step, why) in enumerate(demo.steps):
        when = reported + timedelta(days=after, hours=1 + order)
        events.append((after, order, _step(service, concern_id, step, why, when)))
    for order, (after, kind, body) in enumerate(demo.entries):
        when = reported + timedelta(days=after, hours=2, minutes=order)
        events.append((after, 50 + order, _entry(service, concern_id, kind, body, when)))
    for _after, _order, run in sorted(events, key=lambda e: (e[0], e[1])):
        run()
    if demo.referral is not None:
        after, agency, reference, outcome, outcome_after, support_ended_after = demo.referral
        referred_on = (reported + timedelta(days=after)).date()
        service.now = _fixed(reported + timedelta(days=after, hours=3))
        referral_id = service.add_referral(
            concern_id,
            ReferralInput(
                agency,
                referred_on,
                ReferralMethod.ONLINE_FORM,
                reference,
                "Acknowledged by the receiving team.",
            ),
        ).ids[0]
        if outcome is not ReferralOutcome.AWAITING and outcome_after is not None:
            service.record_referral_outcome(
                referral_id,
                outcome,
                outcome_on=referred_on + timedelta(days=outcome_after),
                support_ended_on=(
                    referred_on + timedelta(days=support_ended_after)
                    if support_ended_after is not None
                    else None
                ),
            )
    if demo.correction is not None:
        last = service.open_concern(concern_id).entries[-1]
        service.add_entry(
            concern_id, EntryKind.CORRECTION, demo.correction, corrects_entry_id=last.id
        )
    if demo.attachment is not None:
        service.add_attachment(concern_id, *demo.attachment)
    if demo.follow_up_in is not None:
        service.set_follow_up(concern_id, today + timedelta(days=demo.follow_up_in))


def _step(
    service: ConcernService, concern_id: str, step: ConcernStatus, why: str, when: datetime
) -> Callable[[], None]:
    def run() -> None:
        service.now = _fixed(when)
        service.change_status(concern_id, step, why, on=when.date())

    return run


def _entry(
    service: ConcernService, concern_id: str, kind: EntryKind, body: str, when: datetime
) -> Callable[[], None]:
    def run() -> None:
        service.now = _fixed(when)
        service.add_entry(concern_id, kind, body, occurred_at=when)

    return run


def _fixed(when: datetime) -> Callable[[], datetime]:
    return lambda: when
