"""Logging a concern, and reading concerns: the list each role may see, the lead's counts,
a concern's full detail (logged as an access) and the reporter's own view."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prevent_desktop.domain.concern import (
    ConcernStatus,
    EntryKind,
    ReferralOutcome,
    format_concern_reference,
    parse_concern_reference,
)
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import DamagedDatabase, PermissionDenied, ValidationError
from prevent_desktop.services.concern_base import (
    MAX_TEXT,
    ConcernBase,
    referral_review_dates,
    review_due,
    reviews_of,
    sealed_text,
)
from prevent_desktop.services.concern_records import (
    child_context,
    cipher_for,
    concern_rows,
    context,
    live_concern,
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
    ConcernSummary,
    EntryView,
    LeadCounts,
    ListedPerson,
    ReporterView,
    StepView,
)
from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.risk_records import live_record
from prevent_desktop.store.concern_models import (
    Concern,
    ConcernAttachment,
    ConcernEntry,
    ConcernReferral,
    ConcernStep,
)
from prevent_desktop.store.models import new_id, utc_now
from prevent_desktop.store.risk_models import Risk
from prevent_desktop.store.sealing import ContentCipher, open_sealed, seal

# At most this many concerns the session does not yet know the person of are looked up by id
# when finding a person's other concerns; with more, every concern is read in one pass.
SAME_PERSON_LOOKUPS = 500


class ConcernReading(ConcernBase):
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
                reference=self._next_reference(session, now.year, self.database.reference_letter),
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
    def _next_reference(session: Session, year: int, letter: str) -> str:
        """Numbered per laptop: each laptop's letter keeps its own sequence."""
        prefix = f"C-{year:04d}-"
        numbers = [
            parsed[1]
            for ref in session.scalars(
                select(Concern.reference).where(Concern.reference.like(prefix + "%"))
            )
            if (parsed := parse_concern_reference(ref)) is not None and parsed[2] == letter
        ]
        return format_concern_reference(year, max(numbers, default=0) + 1, letter)

    def list_concerns(
        self, today: date | None = None, *, newest: int | None = None
    ) -> list[ConcernSummary]:
        """Concerns this user may see, newest first (only the `newest` so many, if given: the
        log shows those while the rest load). Leads' rows name the person."""
        today = today or date.today()
        lead_cipher = self._lead_cipher("read concerns") if self.holds_key() else None
        with self.database.reader() as session:
            rows = concern_rows(
                session, *self._listed(), with_details=lead_cipher is not None, limit=newest
            )
            summaries = self._summaries(session, rows, lead_cipher, today)
        if lead_cipher is not None:
            self._save_people(lead_cipher)
        return summaries

    def count_concerns(self) -> int:
        """How many concerns list_concerns would give, counted in SQL."""
        with self.database.reader() as session:
            query = select(func.count()).select_from(Concern).where(Concern.deleted.is_(False))
            return session.scalar(query.where(*self._listed())) or 0

    def _listed(self) -> list[Any]:
        """The conditions that keep a list to what this user may see: staff who do not see
        every concern see those they reported."""
        if self.actor.can(Permission.LIST_CONCERNS):
            return []
        self.actor.require(Permission.REPORT_CONCERN, "see concerns")
        return [Concern.reported_by_user_id == self.actor.user_id]

    def id_for_reference(self, reference: str) -> str | None:
        """The concern with this reference among those this user may see, found through the
        reference's index rather than by listing every concern. References are made
        upper-case (format_concern_reference), so any case given finds them."""
        conditions = [
            Concern.deleted.is_(False),
            Concern.reference == reference.strip().upper(),
            *self._listed(),
        ]
        with self.database.reader() as session:
            return session.scalars(select(Concern.id).where(*conditions)).first()

    def reference_of(self, concern_id: str) -> str:
        """A concern's reference, for its reporter or anyone who sees the list."""
        with self.database.reader() as session:
            concern = live_concern(session, concern_id)
            if concern.reported_by_user_id != self.actor.user_id:
                self.actor.require(Permission.LIST_CONCERNS, "see concerns")
            return concern.reference

    def lead_counts(self, today: date | None = None) -> LeadCounts:
        """Counted in SQL: at head-office scale, loading every concern to count them took
        seconds (issue 9)."""
        today = today or date.today()
        self.actor.require(Permission.LIST_CONCERNS, "see the concern counts")

        def count(model: Any, *conditions: Any) -> int:
            query = select(func.count()).select_from(model).where(model.deleted.is_(False))
            return session.scalar(query.where(*conditions)) or 0

        with self.database.reader() as session:
            return LeadCounts(
                awaiting_review=count(Concern, Concern.status == ConcernStatus.REPORTED.value),
                referrals_awaiting_outcome=count(
                    ConcernReferral, ConcernReferral.outcome == ReferralOutcome.AWAITING.value
                ),
                referral_reviews_due=sum(
                    1
                    for row in referral_review_dates(session)
                    for review in reviews_of(*row[1:])
                    if review_due(review, today)
                ),
                follow_ups_overdue=count(
                    Concern,
                    Concern.next_follow_up_on < today,
                    Concern.status != ConcernStatus.CLOSED.value,
                ),
            )

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
                person=ListedPerson.of(details.person),
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
                        sealed_text(
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
                        sealed_text(
                            cipher, e.body_sealed, child_context("concern_entry", e, "body")
                        ),
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
                        sealed_text(
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
            same = self._about_the_same_person(key, concern_id, cipher, today)
            detail = ConcernDetailView(**{**detail.__dict__, "same_person": same})
        return detail

    def _about_the_same_person(
        self, key: str, concern_id: str, cipher: ContentCipher, today: date
    ) -> tuple[ConcernSummary, ...]:
        """The other concerns about this person, newest first: their people are read through
        the session's cache, and only the matches become summaries. Once the session knows
        (nearly) every concern's person, as after the log has been listed, only each
        concern's id and stamp are read to find them: reading every row took over a second
        at head office (issue 9)."""
        with self.database.reader() as session:
            known, unknown, matching = self._people, [], []
            # Plain SQL over ix_concern_stamp: as ORM rows, 50,000 ids and stamps cost more to
            # make than to read.
            for row in session.connection().exec_driver_sql(
                "SELECT id, hlc FROM concern INDEXED BY ix_concern_stamp "
                "WHERE deleted = 0 AND id != ?",
                (concern_id,),
            ):
                stamp = (row[0], row[1])
                person = known.get(stamp)
                if person is None:
                    unknown.append(stamp[0])
                elif person.key == key:
                    matching.append(stamp[0])
            few_unknown = len(unknown) <= SAME_PERSON_LOOKUPS
            if few_unknown and unknown:
                matching += [
                    row.id
                    for row in concern_rows(session, Concern.id.in_(unknown), with_details=True)
                    if self._person(cipher, row).key == key
                ]
            if few_unknown and len(matching) <= SAME_PERSON_LOOKUPS:
                rows = (
                    list(concern_rows(session, Concern.id.in_(matching), with_details=True))
                    if matching
                    else []
                )
            else:
                # Too many to name in one IN: one pass over every concern instead.
                rows = [
                    row
                    for row in concern_rows(session, with_details=True)
                    if row.id != concern_id and self._person(cipher, row).key == key
                ]
            same = tuple(self._summaries(session, rows, cipher, today))
        self._save_people(cipher)
        return same

    def _summaries(
        self, session: Session, rows: Iterable[Any], cipher: ContentCipher | None, today: date
    ) -> list[ConcernSummary]:
        """List rows for this user; with the lead's cipher, naming the person."""
        names, risks = names_by_user(session), risk_references(session)
        return [
            summary_of(
                row,
                me=self.actor.user_id,
                names=names,
                risks=risks,
                today=today,
                person=self._person(cipher, row) if cipher is not None else None,
            )
            for row in rows
        ]

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
            name = sealed_text(
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
