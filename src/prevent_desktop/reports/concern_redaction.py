"""Which names a concern printout shows: all of them, or under redaction only the subject's.

Redaction is certain for the fields that hold names (others present, reporter, authors, the
access log, attachment names): they are replaced whole. Free text can name anyone, so names
the record knows (staff, the parts of "others present") are also replaced where they appear
word for word; the printout says that free text must still be checked by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from prevent_desktop.reports.concern_page import REDACTED
from prevent_desktop.services.concern_views import ConcernDetailView
from prevent_desktop.services.users import UserView

STAFF = "Member of staff"
LEAD = "Safeguarding lead"
_SEPARATORS = re.compile(r"[;,\n/]|\band\b|&", re.IGNORECASE)
_SHORTEST = 3  # "Al" or "Jo" would be replaced inside too many other words

REDACTION_NOTE = (
    "Replaced by [redacted] or by the person's role: the whole of 'Others "
    "present'; the reporter's name; the names of whoever recorded each decision, chronology "
    "entry and attachment; the assigned lead; the names in the access log; attachment file "
    "names; and, where they appear word for word in the text, the names of this site's staff "
    "and the names given under 'Others present'. The name of the person the concern is about "
    "is kept. Free text (the account, location and context, the decisions' rationale, the "
    "chronology and referral notes) may still name other people in other words: check every "
    "line by hand and black out any other name before sharing this copy."
)


def role_label(user: UserView) -> str:
    if user.is_safeguarding_lead and user.role.value != "safeguarding_lead":
        return f"{user.role.label} and safeguarding lead"
    return user.role.label


@dataclass(frozen=True)
class Names:
    """How a printout writes people's names."""

    redact: bool = False
    roles: tuple[tuple[str, str], ...] = ()  # (display name, role label)
    pattern: re.Pattern[str] | None = None

    def person(self, name: str, role: str = "") -> str:
        """A member of staff: their name, or under redaction their role."""
        if not self.redact:
            return name
        if role:
            return role
        wanted = name.casefold()
        return next((label for known, label in self.roles if known.casefold() == wanted), STAFF)

    def text(self, text: str) -> str:
        """Free text with known names replaced (under redaction)."""
        if not self.redact or self.pattern is None:
            return text
        return self.pattern.sub(REDACTED, text)


def names_for(view: ConcernDetailView, users: Iterable[UserView], *, redact: bool) -> Names:
    if not redact:
        return Names()
    users = list(users)
    roles = tuple((user.display_name, role_label(user)) for user in users)
    details = view.details
    known = [user.display_name for user in users]
    known += _SEPARATORS.split(details.others_present)
    known += [view.summary.reported_by_name, view.summary.assigned_lead_name]
    known += [step.by_name for step in view.steps]
    known += [entry.author_name for entry in view.entries]
    known += [access.user_name for access in view.accesses]
    known += [attachment.name for attachment in view.attachments]
    subject = details.person.name.casefold()
    names = sorted(
        {
            cleaned
            for name in known
            if len(cleaned := " ".join(name.split())) >= _SHORTEST
            and not _inside(cleaned.casefold(), subject)
        },
        key=len,
        reverse=True,  # "Dana Okafor" before "Dana"
    )
    pattern = (
        re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.IGNORECASE)
        if names
        else None
    )
    return Names(True, roles, pattern)


def _inside(name: str, subject: str) -> bool:
    """True when `name` is the subject's name or a word-bounded part of it ("Kyle")."""
    if not subject:
        return False
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", subject) is not None
