"""What every part of the concern service shares: who is acting, the safeguarding cipher,
the access log, sealed text, and the writer session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import (
    EntryKind,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
    RetentionRule,
    SubjectKind,
    referral_reviews_due,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import PermissionDenied
from prevent_desktop.services.concern_person_index import (
    Entry,
    indexed_person,
    save_entries,
)
from prevent_desktop.services.concern_records import (
    child_context,
    cipher_for,
    context,
    live_concern,
    not_granted_yet,
)
from prevent_desktop.services.concern_views import (
    AccessView,
    ConcernDetails,
    ListedPerson,
    PersonDetails,
    ReferralReview,
    ReferralView,
)
from prevent_desktop.services.context import Actor
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernAccess,
    ConcernEntry,
    ConcernReferral,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, new_id, utc_now
from prevent_desktop.store.sealing import ContentCipher

OPTION_KINDS = ("indicator", "type")
RETENTION_SETTING = "concern_retention"  # "years after birth,years after closure"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TEXT = 50_000


class ConcernBase:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor
        # When things are recorded as happening. Only the demo generator sets another clock,
        # to give its sample concerns a believable history.
        self.now: Callable[[], datetime] = utc_now
        # Who each concern is about, as this lead's list last opened it, by concern and its
        # clock stamp (so an amended concern is opened afresh): read from
        # the person index (concern_person_index.py) or opened once per session, instead
        # of at every reload of the list. Held only as long as this session's workspace,
        # which a lock drops.
        self._people: dict[tuple[str, str], ListedPerson] = {}
        # Opened from the concern this session, not yet in the person index.
        self._unindexed: list[Entry] = []

    @property
    def is_lead(self) -> bool:
        return self.actor.can(Permission.READ_CONCERNS)

    def holds_key(self) -> bool:
        secrets = self.database.user_secrets
        return self.is_lead and secrets is not None and secrets.safeguarding_private is not None

    def _lead_cipher(self, doing: str) -> ContentCipher:
        if not self.actor.can(Permission.READ_CONCERNS):
            raise PermissionDenied(
                f"{self.actor.display_name} ({self.actor.role_label}) may not {doing}: only "
                "safeguarding leads read and handle a concern's details."
            )
        cipher = cipher_for(self.database)
        if not cipher.can_read:
            raise not_granted_yet()
        return cipher

    def retention_rule(self) -> RetentionRule:
        with self.database.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == RETENTION_SETTING))
        try:
            birth, closure = (int(part) for part in (value or "").split(","))
            return RetentionRule(birth, closure)
        except ValueError:
            return RetentionRule()

    def _details(self, cipher: ContentCipher, concern: Concern | Any) -> ConcernDetails:
        """`concern` as an object or a row of its columns (concern_rows)."""
        return _open_details(cipher, concern.id, concern.details_sealed)

    def forget_people(self) -> None:
        """Drop who each concern is about (the session is ending)."""
        self._people.clear()
        self._unindexed.clear()

    def _person(self, cipher: ContentCipher, concern: Concern | Any) -> ListedPerson:
        """Who a concern is about (a list's column), for a row of concern_rows: kept for the
        session, read from the person index if it has the concern as it is now, or else
        opened from its sealed details and left for `_save_people`."""
        key = (concern.id, concern.hlc)
        person = self._people.get(key)
        if person is None:
            person = indexed_person(cipher, concern)
            if person is None:
                sealed = concern.details_sealed
                if sealed is None:  # left out for an index entry that did not open
                    sealed = self._sealed_details(concern.id)
                person = ListedPerson.of(_open_details(cipher, concern.id, sealed).person)
                if sealed:
                    self._unindexed.append((concern.id, concern.hlc, person))
            self._people[key] = person
        return person

    def _sealed_details(self, concern_id: str) -> bytes:
        with self.database.reader() as session:
            return (
                session.scalar(select(Concern.details_sealed).where(Concern.id == concern_id))
                or b""
            )

    def _save_people(self, cipher: ContentCipher) -> None:
        """Put the people opened since the last call into the person index."""
        pending, self._unindexed = self._unindexed, []
        save_entries(self.database, cipher, pending)

    def _log_access(self, concern_id: str, purpose: str) -> None:
        with self._writer() as session:
            live_concern(session, concern_id)
            session.add(
                ConcernAccess(
                    concern_id=concern_id,
                    user_id=self.actor.user_id,
                    user_name=self.actor.display_name,
                    user_role=self.actor.role_label,
                    at=self.now(),
                    created_at=self.now(),
                    purpose=purpose,
                )
            )

    @staticmethod
    def _accesses(
        session: Session, concern_id: str, cipher: ContentCipher
    ) -> tuple[AccessView, ...]:
        return tuple(
            AccessView(
                a.at,
                a.user_name,
                a.user_role,
                a.purpose,
                sealed_text(
                    cipher, a.note_sealed or b"", child_context("concern_access", a, "note")
                ),
            )
            for a in session.scalars(
                select(ConcernAccess)
                .where(ConcernAccess.concern_id == concern_id)
                .order_by(ConcernAccess.at.desc())
            )
        )

    def _add_entry(
        self,
        session: Session,
        cipher: ContentCipher,
        concern_id: str,
        kind: EntryKind,
        body: str,
        occurred_at: datetime | None = None,
        corrects_entry_id: str | None = None,
    ) -> ConcernEntry:
        entry = ConcernEntry(
            id=new_id(),
            concern_id=concern_id,
            kind=kind.value,
            occurred_at=occurred_at or self.now(),
            created_at=self.now(),
            author_user_id=self.actor.user_id,
            author_name=self.actor.display_name,
            author_role=self.actor.role_label,
            corrects_entry_id=corrects_entry_id,
        )
        entry.body_sealed = cipher.encrypt(
            body.encode(), child_context("concern_entry", entry, "body")
        )
        session.add(entry)
        return entry

    def _referral_view(self, cipher: ContentCipher, r: ConcernReferral) -> ReferralView:
        return ReferralView(
            id=r.id,
            agency=ReferralAgency(r.agency),
            referred_on=r.referred_on,
            method=ReferralMethod(r.method),
            reference_number=sealed_text(
                cipher, r.reference_sealed, child_context("concern_referral", r, "reference")
            ),
            outcome=ReferralOutcome(r.outcome),
            outcome_on=r.outcome_on,
            support_ended_on=r.support_ended_on,
            reviews=referral_reviews(r),
            notes=sealed_text(
                cipher, r.notes_sealed, child_context("concern_referral", r, "notes")
            ),
            recorded_by_name=r.recorded_by_name,
        )

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)


def _open_details(cipher: ContentCipher, concern_id: str, sealed: bytes | None) -> ConcernDetails:
    if not sealed:
        return ConcernDetails(PersonDetails(SubjectKind.UNKNOWN), "(erased)")
    return ConcernDetails.from_bytes(
        cipher.decrypt(
            sealed,
            context("concern", concern_id, "details"),
            sealed_allowed=True,  # the one field staff write, to the public key
        )
    )


def sealed_text(cipher: ContentCipher, blob: bytes, where: str) -> str:
    if not blob:
        return ""
    return cipher.decrypt(blob, where).decode("utf-8")


def referral_reviews(referral: ConcernReferral) -> tuple[ReferralReview, ...]:
    return reviews_of(
        referral.support_ended_on, referral.review_6_done_on, referral.review_12_done_on
    )


def reviews_of(
    support_ended_on: date | None, done_6: date | None, done_12: date | None
) -> tuple[ReferralReview, ...]:
    """A referral's reviews from its three dates (what a list reads as plain columns rather
    than loading every referral as an object)."""
    done = {6: done_6, 12: done_12}
    return tuple(
        ReferralReview(months, due, done[months])
        for months, due in referral_reviews_due(support_ended_on)
    )


def referral_review_dates(session: Session, *conditions: Any) -> list[Any]:
    """(concern_id, support_ended_on, review_6_done_on, review_12_done_on) of the live
    referrals whose support has ended: the only ones with reviews."""
    return list(
        session.execute(
            select(
                ConcernReferral.concern_id,
                ConcernReferral.support_ended_on,
                ConcernReferral.review_6_done_on,
                ConcernReferral.review_12_done_on,
            ).where(
                ConcernReferral.deleted.is_(False),
                ConcernReferral.support_ended_on.is_not(None),
                *conditions,
            )
        )
    )


def review_due(review: ReferralReview, today: date) -> bool:
    # Shown from a fortnight before it falls due until it is recorded.
    return review.done_on is None and review.due_on <= today + timedelta(days=14)


def ordered_counts(counts: Counter[str], order: Iterable[str]) -> dict[str, int]:
    return {label: counts[label] for label in order if counts[label]}
