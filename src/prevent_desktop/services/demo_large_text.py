"""The words the medium and large demos are written with: names, employers, programmes, and
the sentences of accounts, decisions and chronology entries. Everything is invented; the
phone-free, address-free texts only ever name invented people."""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaron Abdul Adam Aisha Alfie Amara Amelia Amir Ana Archie Ava Bartosz Bethany Bilal "
    "Callum Chloe Connor Daisy Daniel Demi Dylan Ebony Eilidh Elif Ellie Emeka Erin Ethan "
    "Evie Fatima Finley Freya George Georgia Grace Hamza Harvey Holly Ibrahim Imogen Isaac "
    "Isla Jack Jade Jamal Jasmine Jayden Jessica Joel Kacper Kai Kayla Keira Kian Kyle Lacey "
    "Leah Leon Lewis Liam Lily Logan Lucy Luke Maisie Malik Maryam Mason Megan Mia Mohammed "
    "Molly Nathan Niamh Noah Olivia Oscar Owen Paige Priya Reece Riley Rhys Ruby Ryan Safiya "
    "Sami Scarlett Sean Shannon Sophie Tariq Tia Tyler Usman Wiktoria Yusuf Zain Zara"
)
SURNAMES = _words(
    "Adams Ahmed Ali Allen Anderson Atkinson Bailey Baker Barnes Begum Bell Bennett Brown "
    "Campbell Carter Chowdhury Clarke Collins Cook Cooper Davies Dawson Doyle Edwards Evans "
    "Fisher Fletcher Foster Gallagher Gray Green Hall Harris Hughes Hussain Jackson James "
    "Johnson Jones Kaur Kelly Khan Kowalski Lee Lewis Mahmood Marshall Martin Mitchell Moore "
    "Morris Murphy Nowak Okafor Osei Owen Parker Patel Phillips Price Rahman Reid Roberts "
    "Robinson Rogers Scott Shah Simpson Singh Smith Stewart Taylor Thomas Thompson Turner "
    "Walker Ward Watson White Williams Wilson Wood Wright Young"
)

EMPLOYERS = (
    "Harbour Freight Ltd",
    "Brightside Care Homes",
    "Northgate Motors",
    "Castle Hair Studio",
    "Metro Rail Engineering",
    "Greenfield Nurseries",
    "Riverside Council",
    "Apex Logistics",
    "Kingsway Hotels",
    "Summit Construction",
    "Oakwood Dental Practice",
    "Pennine Water Services",
    "Lighthouse Digital",
    "St Anne's Hospice",
    "Redbrick Housing Association",
    "Valley Fresh Foods",
    "Crown Electrical Contractors",
    "Meadow View Academy",
    "Northern Retail Group",
    "Coastal Leisure Centres",
)
PROGRAMMES = (
    "Level 2 Supply Chain Warehouse Operative",
    "Level 3 Lead Adult Care Worker",
    "Level 3 Motor Vehicle Service and Maintenance Technician",
    "Level 2 Hair Professional",
    "Level 3 Rail Engineering Technician",
    "Level 3 Early Years Educator",
    "Level 3 Business Administrator",
    "Level 2 Customer Service Practitioner",
    "Level 4 Software Developer",
    "Level 3 Installation Electrician",
    "Level 2 Commis Chef",
    "Level 3 Team Leader or Supervisor",
    "Level 2 Adult Care Worker",
    "Level 3 Teaching Assistant",
    "Level 2 Bricklayer",
    "Level 3 Dental Nurse",
    "Level 3 Digital Marketer",
    "Level 2 Retailer",
)
LOCATIONS = (
    "Classroom 1",
    "Classroom 2",
    "Classroom 4",
    "Workshop",
    "Warehouse training bay",
    "Learner common room",
    "Reception",
    "Canteen",
    "Car park",
    "Front gate",
    "IT suite",
    "Salon training room",
    "Employer's site",
    "Online review meeting",
    "Cohort group chat (online)",
    "Minibus to a placement",
    "Library",
    "Corridor outside the staff room",
)
CONTEXTS = (
    "Morning break",
    "Theory lesson",
    "Practical session",
    "Progress review with the employer present",
    "One-to-one after class",
    "Induction week",
    "British values session on current affairs",
    "Lunchtime",
    "Reported by the employer's supervisor",
    "Reported by another apprentice",
    "End-point assessment preparation",
)
OTHERS_PRESENT = (
    "",
    "",
    "Two apprentices from the same cohort",
    "The tutor and the rest of the group",
    "The employer's line manager",
    "Reception staff",
    "A learner support assistant",
    "Whole class",
)

# What was seen or heard, by type of concern; {first} is the person's first name.
ACCOUNTS = {
    "Islamist": (
        '{first} told others that people who vote are "traitors" and that only one law '
        "should count, then shared a video of a preacher known for violent speeches.",
        "{first} has started to refuse to work with some colleagues and said the group met "
        'online "will show what real believers do".',
    ),
    "Extreme right-wing": (
        "{first} showed two apprentices a video of a march and said \"that's the only way "
        'this country gets sorted", then laughed it off when I walked over.',
        "{first} drew a symbol used by a banned group on a workbook and said a named religious "
        'group were "invaders".',
        '{first} shared a meme in the cohort chat mocking refugees and wrote that "someone '
        'should do something about them".',
    ),
    "Left-wing, anarchist or single-issue": (
        "{first} talked about damaging a local animal testing site and asked a tutor how "
        'to make a device "that would make a point".',
        '{first} handed out leaflets calling for "direct action" against a named company '
        "and said violence was the only thing that works.",
    ),
    "Mixed, unclear or unstable": (
        "{first} has withdrawn from the group over the last few weeks and said they \"don't "
        'trust anyone here any more". Their employer mentioned angry posts on forums.',
        "{first} moves between conspiracy theories from one week to the next and said the "
        'people responsible "deserve what\'s coming".',
    ),
    "Conflicted": (
        "{first} talked in one breath about two opposed extremist groups and said both "
        '"have a point" about using violence.',
    ),
    "School massacre or violence fixation": (
        '{first} told a tutor "I would do what that lad did" to a named group, and has '
        "searched for videos of school shootings on a centre computer.",
        "{first} keeps drawing weapons in a workbook and talks about past attacks in detail.",
    ),
    "Vulnerability present but no ideology": (
        '{first} said an older man met online has been sending videos about "the coming '
        'war" and asked to meet. {first} seemed frightened.',
        "{first} has been isolated since moving into supported housing and an adult outside "
        "the centre is pressing them to join a group.",
    ),
    "No ideology identified": (
        'In a debate on foreign policy {first} said "people have a right to fight back". '
        "Other apprentices were upset.",
        "{first} made an offensive joke about a religious group; the class was shocked.",
    ),
    "Other": (
        "A visitor made threatening remarks about a religious group to reception staff.",
        "Stickers with extremist slogans were found near where {first} usually sits.",
    ),
}

# Why the lead moved the concern on, by the status it moved to.
RATIONALES = {
    "under_review": (
        "Account is clear; speak to {first} and the tutor.",
        "Same-day review given the risk level.",
        "Review with the employer before deciding.",
        "Gather the tutor's and the employer's view first.",
    ),
    "referred_prevent": (
        "Views expressed with hostility towards a named group and signs of escalation: meets the "
        "threshold for a Prevent referral.",
        "Fixation on violence with online research: referred for a police assessment. "
        "Parent informed; employer told on a need-to-know basis.",
    ),
    "referred_local_authority": (
        "At risk of exploitation: referred to MASH the same day.",
        "Safeguarding need beyond Prevent: referred to the local authority for support.",
    ),
    "support_plan": (
        "Below the referral threshold: a support plan with the tutor on respectful behaviour.",
        "First incident and remorseful: mentoring and a British values session agreed.",
    ),
    "no_further_action": (
        "Context was a structured debate; no indicators of extremism. No referral.",
        "Misunderstanding cleared up with {first} and the tutor. No further action.",
    ),
    "monitoring": (
        "Plan completed; monitor for three months.",
        "Outcome received; keep an eye on attendance and behaviour for a term.",
    ),
    "closed": (
        "No further concerns during monitoring. Closed.",
        "Support ended and {first} is doing well. Closed.",
        "Handled by the police; no apprentice involved. Closed.",
    ),
}

ENTRIES = {
    "note": (
        "Tutor reports {first} has settled back into the group.",
        "{first} missed two sessions this week; employer says they were ill.",
        "Mentor reports good engagement.",
        "Spoke briefly with {first} at break: more open than last week.",
        "Attendance back above 90% this month.",
    ),
    "call": (
        "Called the employer: no incidents at work, they will keep an eye.",
        "Police Prevent officer called: assessment ongoing.",
        "Phoned {first}'s parent to explain the support on offer.",
        "Called the local authority duty desk to check progress.",
    ),
    "meeting": (
        "Met {first} with the tutor; {first} said it was a joke.",
        "Support plan agreed with {first} and the tutor.",
        "Review meeting with the employer and {first}: things have improved.",
        "Channel panel met; mentor assigned.",
    ),
    "action": (
        "Referral form submitted.",
        "Filtering log requested from the IT provider.",
        "Screenshot of the post saved to the secure folder.",
        "Tutor briefed on what to look out for.",
    ),
}
CORRECTIONS = (
    "The call was on the following day, not the day recorded; reception took the message.",
    "Wrong tutor named in the entry above: it was the assessor.",
    "The meeting was online, not at the centre.",
)


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def filled(rng: random.Random, options: tuple[str, ...], first: str) -> str:
    return rng.choice(options).format(first=first)
