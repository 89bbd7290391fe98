"""The concern log: from a member of staff's first notice to the lead's decision and closure.

Who sees what (checked here, whatever the UI shows):
- staff log concerns and see only their own, with their own account and its status;
- managers who are not leads see the list (reference, dates, status, type, risk level, lead)
  and the statistics, never who it is about, the account, the chronology or attachments;
- safeguarding leads who hold the safeguarding key see and decide everything.
Opening a concern's details, an attachment or a printout is logged (ConcernAccess, audited).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ImmediateRisk,
    ReferralAgency,
    ReferralMethod,
    ReferralOutcome,
    RetentionRule,
    SubjectKind,
    check_transition,
    format_concern_reference,
    parse_concern_reference,
    referral_reviews_due,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import DamagedDatabase, PermissionDenied, ValidationError
from prevent_desktop.services.concern_records import (
    child_context,
    cipher_for,
    context,
    live_concern,
    locked_message,
    names_by_user,
    risk_references,
    summary_of,
)
from prevent_desktop.services.concern_views import (
    AccessView,
    AttachmentView,
    ConcernDetails,
    ConcernDetailView,
    ConcernInput,
    ConcernStatistics,
    ConcernSummary,
    EntryView,
    LeadCounts,
    PersonDetails,
    ReferralInput,
    ReferralReview,
    ReferralView,
    ReporterView,
    StepView,
)
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernAccess,
    ConcernAttachment,
    ConcernEntry,
    ConcernOption,
    ConcernReferral,
    ConcernStep,
)
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, User, new_id, utc_now
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.sealing import ContentCipher, open_sealed, seal

OPTION_KINDS = ("indicator", "type")
RETENTION_SETTING = "concern_retention"  # "years after birth,years after closure"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_TEXT = 50_000


class ConcernService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor
        # When things are recorded as happening. Only the demo generator sets another clock,
        # to give its sample concerns a believable history.
        self.now: Callable[[], datetime] = utc_now

    # ---- who may do what -----------------------------------------------------------------

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
            raise locked_message(is_lead=True)
        return cipher

    # ---- configurable lists ----------------------------------------------------------------

    def options(self, kind: str, *, include_inactive: bool = False) -> list[str]:
        self._check_kind(kind)
        with self.database.reader() as session:
            query = select(ConcernOption).where(
                ConcernOption.kind == kind, ConcernOption.deleted.is_(False)
            )
            if not include_inactive:
                query = query.where(ConcernOption.active.is_(True))
            rows = session.scalars(query.order_by(ConcernOption.sort_order, ConcernOption.label))
            return [row.label for row in rows]

    def set_options(self, kind: str, labels: list[str]) -> ChangeSet:
        """Replace a list (in this order). Labels dropped from it are retired, not deleted:
        concerns recorded with them keep them."""
        self.actor.require(Permission.EDIT_CONCERN_LISTS, "change the concern lists")
        self._check_kind(kind)
        cleaned: list[str] = []
        for label in labels:
            text = " ".join(label.split())
            if not text:
                continue
            if len(text) > 200:
                raise ValidationError(f"'{text[:40]}...' is too long (200 characters at most).")
            if text.casefold() in (c.casefold() for c in cleaned):
                raise ValidationError(f"'{text}' is in the list twice.")
            cleaned.append(text)
        if not cleaned:
            raise ValidationError("Keep at least one entry in the list.")
        with self._writer() as session:
            existing = {
                o.label.casefold(): o
                for o in session.scalars(
                    select(ConcernOption).where(
                        ConcernOption.kind == kind, ConcernOption.deleted.is_(False)
                    )
                )
            }
            for order, label in enumerate(cleaned):
                option = existing.pop(label.casefold(), None)
                if option is None:
                    session.add(ConcernOption(kind=kind, label=label, sort_order=order))
                else:
                    option.label, option.sort_order, option.active = label, order, True
            for retired in existing.values():
                retired.active = False
        return ChangeSet("concern_option", "update")

    def seed_options(self, seed: dict[str, list[str]]) -> None:
        """The starter lists, at setup; a site that already has lists keeps them."""
        with self.database.reader() as session:
            if session.scalar(select(ConcernOption.id).limit(1)) is not None:
                return
        with self._writer() as session:
            for kind in OPTION_KINDS:
                for order, label in enumerate(seed.get(kind, [])):
                    session.add(ConcernOption(kind=kind, label=label, sort_order=order))

    @staticmethod
    def _check_kind(kind: str) -> None:
        if kind not in OPTION_KINDS:
            raise ValidationError(f"Unknown list {kind!r}.")

    # ---- retention rule --------------------------------------------------------------------

    def retention_rule(self) -> RetentionRule:
        with self.database.reader() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == RETENTION_SETTING))
        try:
            birth, closure = (int(part) for part in (value or "").split(","))
            return RetentionRule(birth, closure)
        except ValueError:
            return RetentionRule()

    def set_retention_rule(self, rule: RetentionRule) -> ChangeSet:
        """A lead changes the rule; every concern's review-by date is worked out again (the
        date of birth it needs is sealed, so only a lead can)."""
        cipher = self._lead_cipher("change the retention rule")
        with self._writer() as session:
            setting = session.scalar(select(Setting).where(Setting.key == RETENTION_SETTING))
            value = f"{rule.years_after_birth},{rule.years_after_closure}"
            if setting is None:
                session.add(Setting(key=RETENTION_SETTING, value=value))
            else:
                setting.value = value
            for concern in session.scalars(select(Concern).where(Concern.deleted.is_(False))):
                born = self._details(cipher, concern).person.date_of_birth
                concern.review_by = rule.review_by(born, concern.closed_on)
        return ChangeSet("concern", "update")

    # ---- logging a concern ---------------------------------------------------------------

    def log_concern(self, data: ConcernInput) -> ChangeSet:
        """Anyone signed in logs a concern. Its details are sealed to the safeguarding key (and
        a copy to the reporter's own key, so they can read back what they wrote)."""
        self.actor.require(Permission.REPORT_CONCERN, "log concerns")
        self._validate(data)
        cipher = cipher_for(self.database)
        secrets = self.database.user_secrets
        now = self.now()
        with self._writer() as session:
            if data.risk_id is not None:
                live_record(session, Risk, data.risk_id, "risk")
            concern = Concern(
                created_at=now,
                reference=self._next_reference(session, now.year),
                observed_at=data.observed_at,
                reported_by_user_id=self.actor.user_id,
                reported_by_name=self.actor.display_name,
                reported_by_role=self.actor.role_label,
                concern_type=data.concern_type,
                immediate_risk=data.immediate_risk.value,
                status=ConcernStatus.REPORTED.value,
                status_changed_at=now,
                risk_id=data.risk_id,
                review_by=self.retention_rule().review_by(data.details.person.date_of_birth, None),
            )
            concern.id = concern.id or new_id()
            raw = data.details.to_bytes()
            concern.details_sealed = cipher.encrypt(raw, context("concern", concern.id, "details"))
            if secrets is not None:
                concern.reporter_copy_sealed = seal(
                    secrets.personal.public, raw, context("concern", concern.id, "reporter")
                )
            session.add(concern)
            return ChangeSet("concern", "create", (concern.id,))

    def _validate(self, data: ConcernInput) -> None:
        problems: list[str] = []
        details = data.details
        if not details.account.strip():
            problems.append("Describe what you saw or heard (the person's own words in quotes).")
        if not data.concern_type.strip():
            problems.append(
                "Choose the type of concern ('No ideology identified' or 'Other' if unsure)."
            )
        if data.observed_at.tzinfo is None:
            problems.append("The time observed needs a time zone.")
        elif data.observed_at > utc_now() + timedelta(minutes=5):
            problems.append("The time observed cannot be in the future.")
        person = details.person
        if person.kind.value == "apprentice" and not person.name.strip():
            problems.append("Give the apprentice's name (or choose 'Unknown').")
        if person.date_of_birth is not None and person.date_of_birth > date.today():
            problems.append("The date of birth cannot be in the future.")
        for label, text in (("account", details.account), ("context", details.context)):
            if len(text) > MAX_TEXT:
                problems.append(f"The {label} is too long ({MAX_TEXT:,} characters at most).")
        if problems:
            raise ValidationError(" ".join(problems))

    @staticmethod
    def _next_reference(session: Session, year: int) -> str:
        prefix = f"C-{year:04d}-"
        numbers = [
            parsed[1]
            for ref in session.scalars(
                select(Concern.reference).where(Concern.reference.like(prefix + "%"))
            )
            if (parsed := parse_concern_reference(ref)) is not None
        ]
        return format_concern_reference(year, max(numbers, default=0) + 1)

    # ---- the list --------------------------------------------------------------------------

    def list_concerns(self, today: date | None = None) -> list[ConcernSummary]:
        """Concerns this user may see, newest first. Leads' rows name the person."""
        today = today or date.today()
        lead_cipher = self._lead_cipher("read concerns") if self.holds_key() else None
        with self.database.reader() as session:
            query = select(Concern).where(Concern.deleted.is_(False))
            if not self.actor.can(Permission.LIST_CONCERNS):
                self.actor.require(Permission.REPORT_CONCERN, "see concerns")
                query = query.where(Concern.reported_by_user_id == self.actor.user_id)
            names, risks = names_by_user(session), risk_references(session)
            rows = session.scalars(query.order_by(Concern.created_at.desc())).all()
            return [
                summary_of(
                    concern,
                    me=self.actor.user_id,
                    names=names,
                    risks=risks,
                    today=today,
                    person=(
                        self._details(lead_cipher, concern).person
                        if lead_cipher is not None
                        else None
                    ),
                )
                for concern in rows
            ]

    def reference_of(self, concern_id: str) -> str:
        """A concern's reference, for its reporter or anyone who sees the list."""
        with self.database.reader() as session:
            concern = live_concern(session, concern_id)
            if concern.reported_by_user_id != self.actor.user_id:
                self.actor.require(Permission.LIST_CONCERNS, "see concerns")
            return concern.reference

    def lead_counts(self, today: date | None = None) -> LeadCounts:
        today = today or date.today()
        self.actor.require(Permission.LIST_CONCERNS, "see the concern counts")
        with self.database.reader() as session:
            concerns = session.scalars(select(Concern).where(Concern.deleted.is_(False))).all()
            referrals = session.scalars(
                select(ConcernReferral).where(ConcernReferral.deleted.is_(False))
            ).all()
        return LeadCounts(
            awaiting_review=sum(c.status == ConcernStatus.REPORTED.value for c in concerns),
            referrals_awaiting_outcome=sum(
                r.outcome == ReferralOutcome.AWAITING.value for r in referrals
            ),
            referral_reviews_due=sum(
                1 for r in referrals for review in _reviews(r) if _review_due(review, today)
            ),
            follow_ups_overdue=sum(
                1
                for c in concerns
                if c.next_follow_up_on is not None
                and c.next_follow_up_on < today
                and c.status != ConcernStatus.CLOSED.value
            ),
        )

    # ---- opening a concern -------------------------------------------------------------------

    def open_concern(
        self,
        concern_id: str,
        today: date | None = None,
        *,
        purpose: str | None = "Opened the details",
    ) -> ConcernDetailView:
        """Everything about a concern, for a lead. Logged as an access, for `purpose` (a
        printout says so). `purpose=None` is only for reloading a view this user already
        opened (and whose opening was logged), after a change they made in it."""
        today = today or date.today()
        cipher = self._lead_cipher("read a concern's details")
        if purpose is not None:
            self._log_access(concern_id, purpose)
        with self.database.reader() as session:
            concern = live_concern(session, concern_id)
            names, risks = names_by_user(session), risk_references(session)
            details = self._details(cipher, concern)
            summary = summary_of(
                concern,
                me=self.actor.user_id,
                names=names,
                risks=risks,
                today=today,
                person=details.person,
            )
            entries = session.scalars(
                select(ConcernEntry)
                .where(ConcernEntry.concern_id == concern_id, ConcernEntry.deleted.is_(False))
                .order_by(ConcernEntry.occurred_at, ConcernEntry.created_at)
            ).all()
            corrected_by: dict[str, list[str]] = {}
            for entry in entries:
                if entry.corrects_entry_id:
                    corrected_by.setdefault(entry.corrects_entry_id, []).append(entry.id)
            detail = ConcernDetailView(
                summary=summary,
                details=details,
                steps=tuple(
                    StepView(
                        s.at,
                        s.by_name,
                        ConcernStatus(s.from_status),
                        ConcernStatus(s.to_status),
                        _text(
                            cipher,
                            s.rationale_sealed,
                            child_context("concern_step", s, "rationale"),
                        ),
                        s.by_role,
                    )
                    for s in session.scalars(
                        select(ConcernStep)
                        .where(ConcernStep.concern_id == concern_id)
                        .order_by(ConcernStep.at)
                    )
                ),
                entries=tuple(
                    EntryView(
                        e.id,
                        EntryKind(e.kind),
                        e.occurred_at,
                        e.created_at,
                        e.author_name,
                        _text(cipher, e.body_sealed, child_context("concern_entry", e, "body")),
                        e.corrects_entry_id,
                        tuple(corrected_by.get(e.id, ())),
                        e.author_role,
                    )
                    for e in entries
                ),
                referrals=tuple(
                    self._referral_view(cipher, r)
                    for r in session.scalars(
                        select(ConcernReferral)
                        .where(
                            ConcernReferral.concern_id == concern_id,
                            ConcernReferral.deleted.is_(False),
                        )
                        .order_by(ConcernReferral.referred_on)
                    )
                ),
                attachments=tuple(
                    AttachmentView(
                        a.id,
                        _text(
                            cipher, a.name_sealed, child_context("concern_attachment", a, "name")
                        ),
                        a.size_bytes,
                        a.added_by_name,
                        a.created_at,
                        a.added_by_role,
                    )
                    for a in session.scalars(
                        select(ConcernAttachment)
                        .where(
                            ConcernAttachment.concern_id == concern_id,
                            ConcernAttachment.deleted.is_(False),
                        )
                        .order_by(ConcernAttachment.created_at)
                    )
                ),
                accesses=self._accesses(session, concern_id, cipher),
            )
        key = details.person.group_key()
        if key:
            same = tuple(
                s for s in self.list_concerns(today) if s.person_key == key and s.id != concern_id
            )
            detail = ConcernDetailView(**{**detail.__dict__, "same_person": same})
        return detail

    def open_own_report(self, concern_id: str, today: date | None = None) -> ReporterView:
        """The reporter's own view: their account as written and its current status."""
        today = today or date.today()
        with self.database.reader() as session:
            concern = live_concern(session, concern_id)
            if concern.reported_by_user_id != self.actor.user_id:
                raise PermissionDenied("You can only open concerns you reported yourself.")
            summary = summary_of(
                concern,
                me=self.actor.user_id,
                names=names_by_user(session),
                risks=risk_references(session),
                today=today,
            )
            sealed = concern.reporter_copy_sealed
        secrets = self.database.user_secrets
        details = None
        if sealed and secrets is not None:
            try:
                details = ConcernDetails.from_bytes(
                    open_sealed(
                        secrets.personal.private, sealed, context("concern", concern_id, "reporter")
                    )
                )
            except DamagedDatabase:
                # Sealed to the key pair the user had before a passphrase reset: only the
                # leads' copy remains readable.
                details = None
        self._log_access(concern_id, "Reporter opened their own report")
        return ReporterView(summary, details)

    def read_attachment(self, attachment_id: str) -> tuple[str, bytes]:
        cipher = self._lead_cipher("open attachments")
        with self.database.reader() as session:
            attachment = live_record(session, ConcernAttachment, attachment_id, "attachment")
            concern_id = attachment.concern_id
            name = _text(
                cipher,
                attachment.name_sealed,
                child_context("concern_attachment", attachment, "name"),
            )
            content = cipher.decrypt(
                attachment.content_sealed,
                child_context("concern_attachment", attachment, "content"),
            )
        # Attachment names can name people; the access log is not sealed.
        self._log_access(concern_id, f"Opened an attachment ({len(content):,} bytes)")
        return name, content

    def access_log(self, concern_id: str) -> tuple[AccessView, ...]:
        cipher = self._lead_cipher("see who opened a concern")
        with self.database.reader() as session:
            return self._accesses(session, concern_id, cipher)

    def note_printed(self, concern_id: str, what: str) -> None:
        """A case summary or referral pack was printed or saved: logged like an opening."""
        self._lead_cipher("print concerns")
        self._log_access(concern_id, what)

    # ---- the lead's work -------------------------------------------------------------------

    def change_status(
        self, concern_id: str, to_status: ConcernStatus, rationale: str, *, on: date | None = None
    ) -> ChangeSet:
        """Move the concern on: who, when, the decision and why. A rationale is required,
        a decision of no further action included."""
        cipher = self._lead_cipher("decide on concerns")
        self.actor.require(Permission.DECIDE_CONCERNS, "decide on concerns")
        if not rationale.strip():
            raise ValidationError(
                "Give the reasons for this decision. A rationale is required for every step, "
                "including no further action."
            )
        now = self.now()
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            current = ConcernStatus(concern.status)
            problem = check_transition(current, to_status)
            if problem:
                raise ValidationError(problem)
            step = ConcernStep(
                id=new_id(),
                concern_id=concern_id,
                from_status=current.value,
                to_status=to_status.value,
                at=now,
                created_at=now,
                by_user_id=self.actor.user_id,
                by_name=self.actor.display_name,
                by_role=self.actor.role_label,
            )
            step.rationale_sealed = cipher.encrypt(
                rationale.strip().encode(), child_context("concern_step", step, "rationale")
            )
            session.add(step)
            concern.status = to_status.value
            concern.status_changed_at = now
            if concern.assigned_lead_user_id is None:
                concern.assigned_lead_user_id = self.actor.user_id
            concern.closed_on = (on or date.today()) if to_status is ConcernStatus.CLOSED else None
            born = self._details(cipher, concern).person.date_of_birth
            concern.review_by = self.retention_rule().review_by(born, concern.closed_on)
        return ChangeSet("concern", "update", (concern_id,))

    def assign_lead(self, concern_id: str, user_id: str | None) -> ChangeSet:
        self._lead_cipher("assign concerns")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if user_id is not None:
                user = session.get(User, user_id)
                if user is None or not user.active or not user.is_safeguarding_lead_or_role:
                    raise ValidationError("Concerns can only be assigned to an active lead.")
            concern.assigned_lead_user_id = user_id
        return ChangeSet("concern", "update", (concern_id,))

    def set_follow_up(self, concern_id: str, on: date | None) -> ChangeSet:
        self._lead_cipher("set follow-up dates")
        with self._writer() as session:
            live_concern(session, concern_id).next_follow_up_on = on
        return ChangeSet("concern", "update", (concern_id,))

    def link_risk(self, concern_id: str, risk_id: str | None) -> ChangeSet:
        self._lead_cipher("link concerns to risks")
        with self._writer() as session:
            if risk_id is not None:
                live_record(session, Risk, risk_id, "risk")
            live_concern(session, concern_id).risk_id = risk_id
        return ChangeSet("concern", "update", (concern_id,))

    def amend_details(
        self,
        concern_id: str,
        details: ConcernDetails,
        reason: str,
        *,
        concern_type: str | None = None,
        immediate_risk: ImmediateRisk | None = None,
    ) -> ChangeSet:
        """A lead corrects who the concern is about, its type or risk level, or adds what was
        learnt later. The reporter's own copy stays as they wrote it, and a chronology entry
        says what changed and why."""
        cipher = self._lead_cipher("amend concerns")
        if not reason.strip():
            raise ValidationError("Say why the details are being amended.")
        if not details.account.strip():
            raise ValidationError("The account cannot be left empty.")
        if concern_type is not None and not concern_type.strip():
            raise ValidationError("Choose the type of concern.")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if concern_type is not None:
                concern.concern_type = concern_type.strip()
            if immediate_risk is not None:
                concern.immediate_risk = immediate_risk.value
            concern.details_sealed = cipher.encrypt(
                details.to_bytes(), context("concern", concern_id, "details")
            )
            concern.review_by = self.retention_rule().review_by(
                details.person.date_of_birth, concern.closed_on
            )
            self._add_entry(
                session, cipher, concern_id, EntryKind.CORRECTION, f"Details amended: {reason}"
            )
        return ChangeSet("concern", "update", (concern_id,))

    def add_entry(
        self,
        concern_id: str,
        kind: EntryKind,
        body: str,
        *,
        occurred_at: datetime | None = None,
        corrects_entry_id: str | None = None,
    ) -> ChangeSet:
        """Append to the chronology. Entries are never edited: a correction is a new entry
        pointing at the one it corrects."""
        cipher = self._lead_cipher("add to the chronology")
        if not body.strip():
            raise ValidationError("Write the entry: what happened, who was involved, what next.")
        if len(body) > MAX_TEXT:
            raise ValidationError(f"An entry can be at most {MAX_TEXT:,} characters.")
        if occurred_at is not None and occurred_at > utc_now() + timedelta(minutes=5):
            raise ValidationError("An entry cannot be dated in the future.")
        if corrects_entry_id is not None:
            kind = EntryKind.CORRECTION
        with self._writer() as session:
            live_concern(session, concern_id)
            if corrects_entry_id is not None:
                target = session.get(ConcernEntry, corrects_entry_id)
                if target is None or target.deleted or target.concern_id != concern_id:
                    raise ValidationError("The entry to correct is not in this chronology.")
            entry = self._add_entry(
                session, cipher, concern_id, kind, body.strip(), occurred_at, corrects_entry_id
            )
            return ChangeSet("concern_entry", "create", (entry.id,))

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

    # ---- referrals -------------------------------------------------------------------------

    def add_referral(self, concern_id: str, data: ReferralInput) -> ChangeSet:
        cipher = self._lead_cipher("record referrals")
        if data.referred_on > date.today():
            raise ValidationError("A referral cannot be dated in the future.")
        with self._writer() as session:
            live_concern(session, concern_id)
            referral = ConcernReferral(
                id=new_id(),
                concern_id=concern_id,
                agency=data.agency.value,
                referred_on=data.referred_on,
                method=data.method.value,
                outcome=ReferralOutcome.AWAITING.value,
                recorded_by_name=self.actor.display_name,
            )
            referral.reference_sealed = cipher.encrypt(
                data.reference_number.strip().encode(),
                child_context("concern_referral", referral, "reference"),
            )
            referral.notes_sealed = cipher.encrypt(
                data.notes.strip().encode(), child_context("concern_referral", referral, "notes")
            )
            session.add(referral)
            return ChangeSet("concern_referral", "create", (referral.id,))

    def record_referral_outcome(
        self,
        referral_id: str,
        outcome: ReferralOutcome,
        *,
        outcome_on: date | None,
        support_ended_on: date | None = None,
        notes: str | None = None,
    ) -> ChangeSet:
        """The agency's decision; when support ends, reviews fall due at 6 and 12 months."""
        cipher = self._lead_cipher("record referral outcomes")
        today = date.today()
        if outcome is not ReferralOutcome.AWAITING and outcome_on is None:
            raise ValidationError("Give the date the outcome was received.")
        for label, day in (("outcome", outcome_on), ("end of support", support_ended_on)):
            if day is not None and day > today:
                raise ValidationError(f"The {label} date cannot be in the future.")
        with self._writer() as session:
            referral = live_record(session, ConcernReferral, referral_id, "referral")
            if outcome_on is not None and outcome_on < referral.referred_on:
                raise ValidationError("The outcome cannot come before the referral was made.")
            referral.outcome = outcome.value
            referral.outcome_on = outcome_on
            referral.support_ended_on = support_ended_on
            if notes is not None:
                referral.notes_sealed = cipher.encrypt(
                    notes.strip().encode(), child_context("concern_referral", referral, "notes")
                )
        return ChangeSet("concern_referral", "update", (referral_id,))

    def record_referral_review(self, referral_id: str, months: int, done_on: date) -> ChangeSet:
        self._lead_cipher("record referral reviews")
        if months not in (6, 12):
            raise ValidationError("Referral reviews are at 6 and 12 months.")
        if done_on > date.today():
            raise ValidationError("A review cannot be dated in the future.")
        with self._writer() as session:
            referral = live_record(session, ConcernReferral, referral_id, "referral")
            if referral.support_ended_on is None:
                raise ValidationError("Record when support ended before recording its reviews.")
            setattr(referral, f"review_{months}_done_on", done_on)
        return ChangeSet("concern_referral", "update", (referral_id,))

    def _referral_view(self, cipher: ContentCipher, r: ConcernReferral) -> ReferralView:
        return ReferralView(
            id=r.id,
            agency=ReferralAgency(r.agency),
            referred_on=r.referred_on,
            method=ReferralMethod(r.method),
            reference_number=_text(
                cipher, r.reference_sealed, child_context("concern_referral", r, "reference")
            ),
            outcome=ReferralOutcome(r.outcome),
            outcome_on=r.outcome_on,
            support_ended_on=r.support_ended_on,
            reviews=_reviews(r),
            notes=_text(cipher, r.notes_sealed, child_context("concern_referral", r, "notes")),
            recorded_by_name=r.recorded_by_name,
        )

    # ---- attachments -----------------------------------------------------------------------

    def add_attachment(self, concern_id: str, name: str, content: bytes) -> ChangeSet:
        cipher = self._lead_cipher("add attachments")
        name = name.strip() or "attachment"
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                f"'{name}' is {len(content) / 1_048_576:.1f} MB; an attachment can be at most "
                f"{MAX_ATTACHMENT_BYTES // 1_048_576} MB. Make it smaller (scan at a lower "
                "resolution, or send a photo at a smaller size), or keep it in your secure "
                "records system and say where in the chronology."
            )
        if not content:
            raise ValidationError(f"'{name}' is empty; nothing was attached.")
        with self._writer() as session:
            live_concern(session, concern_id)
            attachment = ConcernAttachment(
                id=new_id(),
                concern_id=concern_id,
                created_at=self.now(),
                size_bytes=len(content),
                added_by_name=self.actor.display_name,
                added_by_role=self.actor.role_label,
            )
            attachment.name_sealed = cipher.encrypt(
                name.encode(), child_context("concern_attachment", attachment, "name")
            )
            attachment.content_sealed = cipher.encrypt(
                content, child_context("concern_attachment", attachment, "content")
            )
            session.add(attachment)
            return ChangeSet("concern_attachment", "create", (attachment.id,))

    # ---- retention -------------------------------------------------------------------------

    def set_legal_hold(self, concern_id: str, on: bool, reason: str) -> ChangeSet:
        cipher = self._lead_cipher("place legal holds")
        if not reason.strip():
            raise ValidationError("Say why the legal hold is placed or lifted.")
        with self._writer() as session:
            live_concern(session, concern_id).legal_hold = on
            verb = "placed" if on else "lifted"
            self._add_entry(
                session, cipher, concern_id, EntryKind.NOTE, f"Legal hold {verb}: {reason}"
            )
        return ChangeSet("concern", "update", (concern_id,))

    def retention_report(self, today: date | None = None) -> list[ConcernSummary]:
        """Concerns past their review-by date and not on legal hold: decide whether to keep
        (with a reason in the chronology) or delete."""
        today = today or date.today()
        self.actor.require(Permission.LIST_CONCERNS, "see the retention report")
        return [
            s
            for s in self.list_concerns(today)
            if s.review_by is not None and s.review_by < today and not s.legal_hold
        ]

    def delete_concern(self, concern_id: str, reason: str) -> ChangeSet:
        """Delete at the end of retention: a tombstone, with the sealed content erased from
        the concern and everything under it. The audit log keeps that it happened, by whom."""
        cipher = self._lead_cipher("delete concerns")
        if not reason.strip():
            raise ValidationError("Say why the concern is being deleted.")
        with self._writer() as session:
            concern = live_concern(session, concern_id)
            if concern.legal_hold:
                raise ValidationError(
                    f"{concern.reference} is on legal hold and cannot be deleted. Lift the hold "
                    "first, giving the reason."
                )
            concern.deleted = True
            concern.details_sealed = b""
            concern.reporter_copy_sealed = None
            for entry in session.scalars(
                select(ConcernEntry).where(ConcernEntry.concern_id == concern_id)
            ):
                entry.deleted, entry.body_sealed = True, b""
            for step in session.scalars(
                select(ConcernStep).where(ConcernStep.concern_id == concern_id)
            ):
                step.deleted, step.rationale_sealed = True, b""
            for referral in session.scalars(
                select(ConcernReferral).where(ConcernReferral.concern_id == concern_id)
            ):
                referral.deleted = True
                referral.reference_sealed = referral.notes_sealed = b""
            for attachment in session.scalars(
                select(ConcernAttachment).where(ConcernAttachment.concern_id == concern_id)
            ):
                attachment.deleted = True
                attachment.name_sealed = attachment.content_sealed = b""
            # The reason may name people, and the access log is readable by anyone who opens
            # the database: it is sealed like the rest.
            deletion = ConcernAccess(
                id=new_id(),
                concern_id=concern_id,
                user_id=self.actor.user_id,
                user_name=self.actor.display_name,
                user_role=self.actor.role_label,
                at=self.now(),
                purpose="Deleted at the end of its retention",
            )
            deletion.note_sealed = cipher.encrypt(
                reason.strip().encode(), child_context("concern_access", deletion, "note")
            )
            session.add(deletion)
        return ChangeSet("concern", "delete", (concern_id,))

    # ---- statistics ------------------------------------------------------------------------

    def statistics(self, start: date, end: date) -> ConcernStatistics:
        """Counts of concerns recorded in [start, end], with no identities."""
        self.actor.require(Permission.LIST_CONCERNS, "see concern statistics")
        if end < start:
            raise ValidationError("The period ends before it starts.")
        stats = ConcernStatistics(start, end)
        low = datetime.combine(start, datetime.min.time(), UTC)
        high = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
        with self.database.reader() as session:
            concerns = session.scalars(
                select(Concern).where(
                    Concern.deleted.is_(False), Concern.created_at >= low, Concern.created_at < high
                )
            ).all()
            ids = {c.id for c in concerns}
            outcomes = [
                r.outcome
                for r in session.scalars(
                    select(ConcernReferral).where(ConcernReferral.deleted.is_(False))
                )
                if r.concern_id in ids
            ]
        stats.total = len(concerns)
        stats.by_type = dict(Counter(c.concern_type for c in concerns).most_common())
        stats.by_status = _ordered(
            Counter(ConcernStatus(c.status).label for c in concerns),
            [s.label for s in ConcernStatus],
        )
        stats.by_outcome = _ordered(
            Counter(ReferralOutcome(o).label for o in outcomes),
            [o.label for o in ReferralOutcome],
        )
        stats.by_month = dict(
            sorted(Counter(c.created_at.astimezone().strftime("%Y-%m") for c in concerns).items())
        )
        return stats

    # ---- helpers ---------------------------------------------------------------------------

    def _details(self, cipher: ContentCipher, concern: Concern) -> ConcernDetails:
        if not concern.details_sealed:
            return ConcernDetails(PersonDetails(SubjectKind.UNKNOWN), "(erased)")
        return ConcernDetails.from_bytes(
            cipher.decrypt(
                concern.details_sealed,
                context("concern", concern.id, "details"),
                sealed_allowed=True,  # the one field staff write, to the public key
            )
        )

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
                _text(cipher, a.note_sealed or b"", child_context("concern_access", a, "note")),
            )
            for a in session.scalars(
                select(ConcernAccess)
                .where(ConcernAccess.concern_id == concern_id)
                .order_by(ConcernAccess.at.desc())
            )
        )

    def _writer(self) -> AbstractContextManager[Session]:
        return self.database.writer(user_id=self.actor.user_id, login=self.actor.login)


def _text(cipher: ContentCipher, blob: bytes, where: str) -> str:
    if not blob:
        return ""
    return cipher.decrypt(blob, where).decode("utf-8")


def _reviews(referral: ConcernReferral) -> tuple[ReferralReview, ...]:
    done = {6: referral.review_6_done_on, 12: referral.review_12_done_on}
    return tuple(
        ReferralReview(months, due, done[months])
        for months, due in referral_reviews_due(referral.support_ended_on)
    )


def _review_due(review: ReferralReview, today: date) -> bool:
    # Shown from a fortnight before it falls due until it is recorded.
    return review.done_on is None and review.due_on <= today + timedelta(days=14)


def _ordered(counts: Counter[str], order: Iterable[str]) -> dict[str, int]:
    return {label: counts[label] for label in order if counts[label]}
