"""A site's quarterly export to head office: settings, the return, the bundle and its copies.

Concern records go according to the organisation's policy: pseudonymised by default (each
person replaced by a keyed pseudonym that stays the same every quarter, so head office sees
repeat concerns without names), in full when the organisation chooses, and only as
statistics when whoever exports cannot read concerns (a manager who is not a lead).

The pseudonym key is derived from the site's safeguarding key, so every lead on every laptop
of the site makes the same pseudonyms, and nobody without that key can make or test them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.branding import Branding
from prevent_desktop.services.quarterly_return import build_return
from prevent_desktop.store.models import Setting
from prevent_desktop.sync.bundle_export import ExportResult
from prevent_desktop.sync.device import checked_recipient, meta_value, set_meta
from prevent_desktop.sync.quarterly_bundle import write_quarterly_bundle

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

HEAD_OFFICE_KEY_SETTING = "head_office_public_key"
CONCERN_POLICY_SETTING = "head_office_concern_policy"
POLICIES = {
    "pseudonymised": "Pseudonymised records (no names; repeat concerns recognisable)",
    "full": "Full records, names included",
    "statistics": "Statistics only (no concern records)",
}
DEFAULT_POLICY = "pseudonymised"
_PSEUDONYM_INFO = b"prevent-desktop person pseudonym v1"


# What this laptop last sent to (kept in its own meta table, which never syncs): a change made
# on another laptop, or planted in a bundle, cannot redirect a return without being seen.
SENT_KEY_META = "head_office_key_sent_to"
SENT_POLICY_META = "head_office_policy_sent"


class HeadOfficeChanged(ValidationError):
    """Head office's key or the concern policy differs from the last export from here."""


@dataclass(frozen=True)
class QuarterlyResult:
    bundle: ExportResult
    quarter: Quarter
    policy: str
    payload: dict[str, Any]
    # Why concern records were left out, when the policy asked for them.
    note: str = ""


def pseudonymiser(safeguarding_private: bytes) -> Callable[[str], str]:
    key = HKDF(hashes.SHA256(), 32, salt=None, info=_PSEUDONYM_INFO).derive(safeguarding_private)

    def pseudonym(group_key: str) -> str:
        digest = hmac.new(key, group_key.encode("utf-8"), hashlib.sha256).digest()
        return "P-" + base64.b32encode(digest[:10]).decode("ascii")[:12]

    return pseudonym


class QuarterlyExport:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.database = workspace.database
        self.actor = workspace.actor

    # ---- settings ------------------------------------------------------------------------

    def _setting(self, key: str) -> str | None:
        with self.database.reader() as session:
            return session.scalar(
                select(Setting.value).where(Setting.key == key, Setting.deleted.is_(False))
            )

    def _set(self, key: str, value: str) -> None:
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            setting = session.scalar(select(Setting).where(Setting.key == key))
            if setting is None:
                session.add(Setting(key=key, value=value))
            else:
                setting.value, setting.deleted = value, False

    def head_office_key(self) -> str | None:
        return self._setting(HEAD_OFFICE_KEY_SETTING)

    def set_head_office_key(self, recipient: str) -> None:
        self.actor.require(Permission.CHANGE_SETTINGS, "set head office's public key")
        self._set(HEAD_OFFICE_KEY_SETTING, checked_recipient(recipient))

    def concern_policy(self) -> str:
        value = self._setting(CONCERN_POLICY_SETTING)
        return value if value in POLICIES else DEFAULT_POLICY

    def set_concern_policy(self, policy: str) -> None:
        self.actor.require(Permission.CHANGE_SETTINGS, "choose what head office receives")
        if policy not in POLICIES:
            raise ValidationError(f"Choose one of: {', '.join(POLICIES)}.")
        self._set(CONCERN_POLICY_SETTING, policy)

    # ---- the return and the export -------------------------------------------------------

    def effective_policy(self) -> tuple[str, str]:
        """The policy this user can honour, and why it differs when it does."""
        policy = self.concern_policy()
        if policy != "statistics" and not self.workspace.concerns.holds_key():
            return "statistics", (
                "Concern records were left out (statistics only): only a safeguarding lead "
                "holding safeguarding access can include them. Ask the lead to make the export."
            )
        return policy, ""

    def build(self, quarter: Quarter) -> tuple[dict[str, Any], str, str]:
        self.actor.require(Permission.SYNC_BUNDLES, "make the quarterly return")
        policy, note = self.effective_policy()
        secrets = self.database.user_secrets
        pseudonym = (
            pseudonymiser(secrets.safeguarding_private)
            if secrets is not None and secrets.safeguarding_private is not None
            else None
        )
        payload = build_return(self.workspace, quarter, concern_policy=policy, pseudonym=pseudonym)
        return payload, policy, note

    def export(
        self,
        destination: Path,
        quarter: Quarter,
        *,
        recipient: str | None = None,
        pdf: Path | None = None,
        xlsx: Path | None = None,
        confirm_changes: bool = False,
    ) -> QuarterlyResult:
        """The bundle for head office, and optionally the PDF and workbook of exactly what
        it holds. HeadOfficeChanged when the key or policy changed since this laptop's last
        export, unless `confirm_changes` (the user has checked them)."""
        self.actor.require(Permission.SYNC_BUNDLES, "send the quarterly export")
        target = checked_recipient(recipient) if recipient else self.head_office_key()
        if not target:
            raise ValidationError(
                "Head office's public key is not set. Ask head office for it (they print it "
                "with `prevent-desktop public-key`) and enter it under Site ▸ Settings ▸ "
                "Head office, or give it with --recipient."
            )
        if not confirm_changes:
            self._check_unchanged(target)
        payload, policy, note = self.build(quarter)
        bundle = write_quarterly_bundle(
            self.database, destination, payload, recipient=target, login=self.actor.login
        )
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            session.info["tracking"].importing = True  # this laptop's own note: not synced
            set_meta(session, SENT_KEY_META, target)
            set_meta(session, SENT_POLICY_META, policy)
        write_copies([payload], pdf=pdf, xlsx=xlsx, branding=self.workspace.site.branding())
        return QuarterlyResult(bundle, quarter, policy, payload, note)

    def _check_unchanged(self, target: str) -> None:
        with self.database.reader() as session:
            sent_to = meta_value(session, SENT_KEY_META)
            sent_policy = meta_value(session, SENT_POLICY_META)
        changes = []
        if sent_to is not None and sent_to != target:
            changes.append(f"head office's public key is now {target} (it was {sent_to})")
        policy, _note = self.effective_policy()
        if sent_policy is not None and sent_policy != policy and policy == "full":
            changes.append("concern records will now go in full, names included")
        if changes:
            raise HeadOfficeChanged(
                "Since this laptop last sent a return, "
                + "; and ".join(changes)
                + ". Check with head office that this is right, then confirm."
            )


def write_copies(
    returns: list[dict[str, Any]],
    *,
    pdf: Path | None,
    xlsx: Path | None,
    consolidated: bool = False,
    organisation: str = "",
    branding: Branding | None = None,
) -> None:
    """The PDF and workbook of exactly these returns (the reports are imported only when
    asked for): a site's own return, or at head office (`consolidated`) every site's with the
    organisation's position first. The one place their titles are made."""
    quarter = Quarter.parse(returns[0]["quarter"]).label
    if consolidated:
        title = f"Quarterly Prevent report: {organisation}, {quarter}"
    else:
        title = f"Quarterly Prevent return: {returns[0]['site']['name']}, {quarter}"
    if pdf is not None:
        from prevent_desktop.reports.quarterly_pdf import write_quarterly_pdf

        write_quarterly_pdf(returns, pdf, title=title, consolidated=consolidated, branding=branding)
    if xlsx is not None:
        from prevent_desktop.reports.quarterly_xlsx import write_quarterly_xlsx

        write_quarterly_xlsx(returns, xlsx, consolidated=consolidated)
