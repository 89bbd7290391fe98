"""The large demo's concern log: concerns logged by the demo users over five years, each
handled by the demo lead (workflow steps with their reasons, a chronology, referrals with
their outcomes and reviews, a few attachments).

Sealed as the services seal: a concern's details with the reporter's own cipher (to the
site's public key, or under the content key when the lead logged it) and a copy to the
reporter's public key (concern_reading.log_concern); the lead's text under the content key;
every context made by concern_records.context / child_context. Each record is written once,
in its final state; the rows go in through store/bulk_create.py, a batch per transaction.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    RetentionRule,
    format_concern_reference,
    parse_concern_reference,
)
from prevent_desktop.services.concern_records import child_context, cipher_for, context
from prevent_desktop.services.concern_views import ConcernDetails
from prevent_desktop.services.context import Actor
from prevent_desktop.services.demo_large_batches import prepared_ahead
from prevent_desktop.services.demo_large_concern_plan import (
    ChildKey,
    ConcernPlan,
    plan_concerns,
)
from prevent_desktop.services.demo_large_people import PersonPool
from prevent_desktop.services.demo_large_referrals import referral_row
from prevent_desktop.services.demo_large_text import (
    ACCOUNTS,
    CORRECTIONS,
    ENTRIES,
    RATIONALES,
    filled,
)
from prevent_desktop.services.users import actor_for
from prevent_desktop.store.bulk_create import add_created
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernAttachment,
    ConcernEntry,
    ConcernReferral,
    ConcernStep,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import KeyFile
from prevent_desktop.store.models import Site, SyncedRecord, User, new_id, utc_now
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.sealing import ContentCipher, seal

BATCH = 2000  # concerns per transaction, with everything under them
_KINDS = (EntryKind.NOTE, EntryKind.CALL, EntryKind.MEETING, EntryKind.ACTION)
_CHILDREN: tuple[type[SyncedRecord], ...] = (
    ConcernStep,
    ConcernEntry,
    ConcernReferral,
    ConcernAttachment,
)


@dataclass(frozen=True)
class Reporter:
    actor: Actor
    cipher: ContentCipher  # seals the details as this user's own session would
    personal_public: bytes  # their own copy is sealed to it (empty: no copy)
    weight: float


def build_large_concerns(
    database: Database, lead: Actor, rule: RetentionRule, count: int, entries: int
) -> dict[str, int]:
    """`count` concerns with `entries` chronology entries in all, on the lead's database
    (the lead holds the safeguarding key). Returns how many rows of each type were made."""
    rng = random.Random(20260)
    now = utc_now()
    cipher = cipher_for(database)
    plans = plan_concerns(rng, count, entries, now)
    with database.reader() as session:
        site_code = session.scalars(select(Site.code)).first() or "SITE"
        risk_ids = list(session.scalars(select(Risk.id).where(Risk.deleted.is_(False))))
    rows = _ConcernRows(rng, lead, cipher, rule, now, risk_ids)
    batches = _Batches(
        rows,
        _reporters(database, lead, cipher),
        PersonPool(plans[0].reported if plans else now, len(plans), site_code),
        _last_numbers(database),
    )
    everything: tuple[type[SyncedRecord], ...] = (Concern, *_CHILDREN)
    made = {model.record_type: 0 for model in everything}
    for batch in prepared_ahead(
        batches.make(plans[start : start + BATCH]) for start in range(0, len(plans), BATCH)
    ):
        with database.writer(user_id=lead.user_id, login=lead.login) as session:
            for user, concerns in batch.concerns.items():
                # Logged by the reporter: the audit log names them, as log_concern would.
                add_created(session, Concern, concerns, user=user)
                made[Concern.record_type] += len(concerns)
            for model, children in batch.children.items():
                add_created(session, model, children)
                made[model.record_type] += len(children)
    return made


@dataclass
class _Batch:
    """Rows only (no keys: a batch may be made in another process)."""

    concerns: dict[tuple[str, str], list[dict[str, Any]]]  # by reporter (id, login)
    children: dict[type[SyncedRecord], list[dict[str, Any]]]


@dataclass
class _Batches:
    """Plans made into rows, a batch at a time, with references following on per year."""

    rows: _ConcernRows
    reporters: list[Reporter]
    people: PersonPool
    numbers: dict[int, int]

    def make(self, plans: list[ConcernPlan]) -> _Batch:
        rng = self.rows.rng
        batch = _Batch({}, {m: [] for m in _CHILDREN})
        for plan in plans:
            reporter = rng.choices(self.reporters, [r.weight for r in self.reporters])[0]
            year = plan.reported.year
            self.numbers[year] = self.numbers.get(year, 0) + 1
            person = self.people.person_for(rng, plan.reported)
            account = filled(rng, ACCOUNTS[plan.concern_type], person.first or "The person")
            details = person.details(rng, account, self.people.indicators)
            reference = format_concern_reference(year, self.numbers[year])
            concern = self.rows.concern(plan, reporter, reference, details)
            user = (reporter.actor.user_id, reporter.actor.login)
            batch.concerns.setdefault(user, []).append(concern)
            first = person.first or "the person"
            for model, child in self.rows.children(plan, concern["id"], first):
                batch.children[model].append(child)
        return batch


def _reporters(database: Database, lead: Actor, lead_cipher: ContentCipher) -> list[Reporter]:
    """Everyone who logs concerns, the delivery staff most often, with the keys their own
    sessions seal with (cipher_for: only the lead holds the private key)."""
    key_file = KeyFile.for_database(database.path)
    staff_cipher = ContentCipher(lead_cipher.public, None)
    with database.reader() as session:
        ids = list(
            session.scalars(select(User.id).where(User.active.is_(True)).order_by(User.login))
        )
    reporters = []
    for user_id in ids:
        actor = actor_for(database, user_id)
        slot = key_file.slot_for_user(user_id)
        reporters.append(
            Reporter(
                actor,
                lead_cipher if user_id == lead.user_id else staff_cipher,
                slot.personal_public if slot is not None else b"",
                4.0 if actor.role.value == "staff" else 1.0,
            )
        )
    return reporters


def _last_numbers(database: Database) -> dict[int, int]:
    """The last reference number given in each year, so that new ones follow on."""
    if database.reference_letter:
        raise ValueError("The large demo is made on a site's first laptop.")
    numbers: dict[int, int] = {}
    with database.reader() as session:
        for reference in session.scalars(select(Concern.reference)):
            parsed = parse_concern_reference(reference)
            if parsed is not None and not parsed[2]:
                numbers[parsed[0]] = max(numbers.get(parsed[0], 0), parsed[1])
    return numbers


class _ConcernRows:
    """A plan made into rows, sealed as the services seal."""

    def __init__(
        self,
        rng: random.Random,
        lead: Actor,
        cipher: ContentCipher,
        rule: RetentionRule,
        now: datetime,
        risk_ids: list[str],
    ) -> None:
        self.rng, self.lead, self.cipher, self.rule, self.now = rng, lead, cipher, rule, now
        self.risk_ids = risk_ids

    def concern(
        self, plan: ConcernPlan, reporter: Reporter, reference: str, details: ConcernDetails
    ) -> dict[str, Any]:
        rng, concern_id = self.rng, new_id()
        raw = details.to_bytes()
        status = plan.status
        last_at = plan.steps[-1][1] if plan.steps else plan.reported
        closed_on = last_at.date() if status is ConcernStatus.CLOSED else None
        follow_up = None
        if plan.steps and status is not ConcernStatus.CLOSED:
            # Leads keep follow-ups current; a few have slipped.
            follow_up = self.now.date() + timedelta(days=rng.randint(-21, 60))
        linked = self.risk_ids and rng.random() < 0.03
        return {
            "id": concern_id,
            "created_at": plan.reported,
            "reference": reference,
            "observed_at": plan.reported - timedelta(minutes=rng.randint(10, 60 * 30)),
            "reported_by_user_id": reporter.actor.user_id,
            "reported_by_name": reporter.actor.display_name,
            "reported_by_role": reporter.actor.role_label,
            "concern_type": plan.concern_type,
            "immediate_risk": plan.risk.value,
            "status": status.value,
            "status_changed_at": last_at,
            "assigned_lead_user_id": self.lead.user_id if plan.steps else None,
            "risk_id": rng.choice(self.risk_ids) if linked else None,
            "next_follow_up_on": follow_up,
            "closed_on": closed_on,
            "review_by": self.rule.review_by(details.person.date_of_birth, closed_on),
            "legal_hold": rng.random() < 0.002,
            "details_sealed": reporter.cipher.encrypt(
                raw, context("concern", concern_id, "details")
            ),
            "reporter_copy_sealed": (
                seal(reporter.personal_public, raw, context("concern", concern_id, "reporter"))
                if reporter.personal_public
                else None
            ),
        }

    def children(
        self, plan: ConcernPlan, concern_id: str, first: str
    ) -> Iterator[tuple[type[SyncedRecord], dict[str, Any]]]:
        lead, previous = self.lead, ConcernStatus.REPORTED
        for status, at in plan.steps:
            key = ChildKey(new_id(), concern_id)
            why = filled(self.rng, RATIONALES[status.value], first)
            yield (
                ConcernStep,
                {
                    "id": key.id,
                    "concern_id": concern_id,
                    "from_status": previous.value,
                    "to_status": status.value,
                    "at": at,
                    "created_at": at,
                    "by_user_id": lead.user_id,
                    "by_name": lead.display_name,
                    "by_role": lead.role_label,
                    "rationale_sealed": self._seal(why, key, "concern_step", "rationale"),
                },
            )
            previous = status
        yield from self._entries(plan, concern_id, first)
        referral = plan.referral_step
        if referral is not None:
            yield (
                ConcernReferral,
                referral_row(
                    self.rng, self.cipher, lead, concern_id, referral[0], referral[1], self.now
                ),
            )
        if plan.steps and self.rng.random() < 0.01:
            key = ChildKey(new_id(), concern_id)
            content = b"Notes typed up after the meeting, kept with the concern.\n"
            yield (
                ConcernAttachment,
                {
                    "id": key.id,
                    "concern_id": concern_id,
                    "created_at": plan.steps[0][1],
                    "size_bytes": len(content),
                    "added_by_name": lead.display_name,
                    "added_by_role": lead.role_label,
                    "name_sealed": self._seal(
                        "meeting-notes.txt", key, "concern_attachment", "name"
                    ),
                    "content_sealed": self.cipher.encrypt(
                        content, child_context("concern_attachment", key, "content")
                    ),
                },
            )

    def _entries(
        self, plan: ConcernPlan, concern_id: str, first: str
    ) -> Iterator[tuple[type[SyncedRecord], dict[str, Any]]]:
        """The chronology, between the lead's first step and the closing (or now)."""
        if not plan.entries:
            return
        rng, lead = self.rng, self.lead
        begin = plan.steps[0][1]
        end = max(begin, plan.handled_until(self.now) - timedelta(minutes=5))
        seconds = int((end - begin).total_seconds())
        moments = sorted(
            begin + timedelta(seconds=rng.randint(0, seconds)) for _ in range(plan.entries)
        )
        last_id: str | None = None
        for when in moments:
            key = ChildKey(new_id(), concern_id)
            corrects = last_id if last_id is not None and rng.random() < 0.02 else None
            if corrects is not None:
                kind, body = EntryKind.CORRECTION, rng.choice(CORRECTIONS)
            else:
                kind = rng.choice(_KINDS)
                body = filled(rng, ENTRIES[kind.value], first)
            yield (
                ConcernEntry,
                {
                    "id": key.id,
                    "concern_id": concern_id,
                    "kind": kind.value,
                    "occurred_at": when,
                    "created_at": min(when + timedelta(minutes=rng.randint(0, 90)), end),
                    "author_user_id": lead.user_id,
                    "author_name": lead.display_name,
                    "author_role": lead.role_label,
                    "corrects_entry_id": corrects,
                    "body_sealed": self._seal(body, key, "concern_entry", "body"),
                },
            )
            last_id = key.id

    def _seal(self, text: str, key: ChildKey, record: str, field: str) -> bytes:
        return self.cipher.encrypt(text.encode(), child_context(record, key, field))
