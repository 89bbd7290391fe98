"""Helpers of the concern service: the safeguarding cipher for a session, sealed fields with
their contexts, and turning rows into views."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from typing import Any, Protocol

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import ConcernStatus, ImmediateRisk
from prevent_desktop.errors import DamagedDatabase, KnownError
from prevent_desktop.services.concern_views import ConcernSummary, ListedPerson
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.store.concern_models import Concern, ConcernPersonIndex
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, User
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.sealing import ContentCipher, KeyPair, SafeguardingLocked
from prevent_desktop.store.session_keys import SAFEGUARDING_PUBLIC_SETTING


class NoSafeguardingLead(KnownError):
    exit_code = 2


def context(record: str, record_id: str, field: str) -> str:
    """What a sealed value is bound to: its table, its row and its column."""
    return f"{record}|{record_id}|{field}"


class _ConcernChild(Protocol):
    id: Any
    concern_id: Any


def child_context(record: str, row: _ConcernChild, field: str) -> str:
    """A step's, entry's, referral's or attachment's sealed value is bound to its concern as
    well: a row moved under another concern (its concern_id edited) no longer opens."""
    return f"{record}|{row.concern_id}/{row.id}|{field}"


def cipher_for(database: Database) -> ContentCipher:
    with database.reader() as session:
        public = session.scalar(
            select(Setting.value).where(
                Setting.key == SAFEGUARDING_PUBLIC_SETTING, Setting.deleted.is_(False)
            )
        )
    if not public:
        raise NoSafeguardingLead(
            "This site has no safeguarding lead yet, so a concern cannot be recorded securely. "
            "A manager adds one under Site > Users (a lead may also be the manager). "
            "If someone is in danger now, call 999."
        )
    secrets = database.user_secrets
    private = secrets.safeguarding_private if secrets is not None else None
    # Everyone checks the key against the one pinned in their own slot when they first saw
    # it, so a key swapped in the database (to redirect new concerns to someone's own key) is
    # refused rather than sealed to.
    if secrets is not None and secrets.site_public and secrets.site_public.hex() != public:
        raise DamagedDatabase(
            "The site's safeguarding key is not the one your account recorded: it was changed "
            "outside Prevent Desktop. Nothing was sealed to it. Tell the safeguarding lead and "
            "head office; in an emergency call 999."
        )
    # Staff seal to whatever public key the database holds; a lead checks it is still the
    # pair of the key they hold, so a swapped key (someone redirecting future concerns to a
    # key of their own) is noticed rather than silently used.
    if private is not None and KeyPair.from_private(private).public.hex() != public:
        raise DamagedDatabase(
            "The site's safeguarding public key no longer matches the safeguarding key you "
            "hold: it was changed outside Prevent Desktop. Concerns logged since may not be "
            "readable. Restore a backup and report this to head office."
        )
    return ContentCipher(bytes.fromhex(public), private)


def not_granted_yet() -> SafeguardingLocked:
    """A lead whose slot does not hold the safeguarding key (yet)."""
    return SafeguardingLocked(
        "You are a safeguarding lead, but safeguarding access has not been granted to you "
        "on this database yet. Ask another lead to grant it under Site > Users; it takes "
        "effect when you next sign in."
    )


def live_concern(session: Session, concern_id: str) -> Concern:
    return live_record(session, Concern, concern_id, "concern")  # type: ignore[no-any-return]


def names_by_user(session: Session) -> dict[str, str]:
    return {u.id: u.display_name for u in session.scalars(select(User))}


ROW_BATCH = 2000  # concern rows read at a time


def risk_references(session: Session) -> dict[str, str]:
    query = select(Risk.id, Risk.reference).where(Risk.deleted.is_(False))
    return {risk_id: reference for risk_id, reference in session.execute(query)}


def concern_rows(
    session: Session, *conditions: Any, with_details: bool = False, limit: int | None = None
) -> Iterator[Any]:
    """Live concerns, newest first, as rows of their columns rather than objects, streamed in
    batches: a list of every concern on a head-office database loads several times faster,
    and never holds every row at once (issue 9). A row has a Concern's attributes, so
    summary_of takes either. The sealed details come only `with_details` (a lead's list needs
    who each concern is about), and then as None where the person index holds the person;
    the reporter's sealed copy never does. `limit`: only the newest so many."""
    columns = [
        column
        for column in Concern.__table__.columns
        if column.name not in ("reporter_copy_sealed", "details_sealed")
    ]
    query = select(*columns)
    if with_details:
        # The sealed details only where the lead's person index has no entry made at the
        # concern's present stamp: SQLite then never reads the others' blobs. The entry
        # comes as `indexed_person` (concern_person_index.indexed_person).
        indexed = ConcernPersonIndex.concern_stamp == Concern.hlc
        query = query.add_columns(
            case((indexed, None), else_=Concern.details_sealed).label("details_sealed"),
            ConcernPersonIndex.person_sealed.label("indexed_person"),
        ).outerjoin(ConcernPersonIndex, ConcernPersonIndex.concern_id == Concern.id)
    query = (
        query.where(Concern.deleted.is_(False), *conditions)
        .order_by(Concern.created_at.desc())
        .limit(limit)
        .execution_options(yield_per=ROW_BATCH)
    )
    return iter(session.execute(query))


def summary_of(
    concern: Concern | Any,
    *,
    me: str,
    names: dict[str, str],
    risks: dict[str, str],
    today: date,
    person: ListedPerson | None = None,
) -> ConcernSummary:
    status = ConcernStatus(concern.status)
    follow_up = concern.next_follow_up_on
    return ConcernSummary(
        id=concern.id,
        reference=concern.reference,
        observed_at=concern.observed_at,
        recorded_at=concern.created_at,
        # Interned: a few hundred names, roles and types repeat over a head-office list.
        reported_by_name=sys.intern(concern.reported_by_name),
        reported_by_role=sys.intern(concern.reported_by_role),
        reported_by_me=concern.reported_by_user_id == me,
        concern_type=sys.intern(concern.concern_type),
        immediate_risk=ImmediateRisk(concern.immediate_risk),
        status=status,
        status_changed_at=concern.status_changed_at,
        assigned_lead_id=concern.assigned_lead_user_id,
        assigned_lead_name=names.get(concern.assigned_lead_user_id or "", ""),
        next_follow_up_on=follow_up,
        follow_up_overdue=(
            follow_up is not None and follow_up < today and status is not ConcernStatus.CLOSED
        ),
        review_by=concern.review_by,
        legal_hold=concern.legal_hold,
        risk_id=concern.risk_id,
        risk_reference=risks.get(concern.risk_id or "", ""),
        person=person.shown if person is not None else None,
        person_key=person.key if person is not None else None,
    )
