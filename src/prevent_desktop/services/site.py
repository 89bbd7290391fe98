"""The site, its settings and the national threat level."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from prevent_desktop.domain.roles import Permission
from prevent_desktop.domain.threat import INITIAL_THREAT_LEVEL, ThreatLevel
from prevent_desktop.errors import ValidationError
from prevent_desktop.services.branding import (
    LOGO_SETTING,
    Branding,
    checked_logo,
    checked_site_name,
    decode_logo,
    encode_logo,
)
from prevent_desktop.services.context import Actor, ChangeSet
from prevent_desktop.store.database import Database
from prevent_desktop.store.models import Setting, Site, ThreatLevelChange, User

AUTO_LOCK_KEY = "auto_lock_minutes"
AUTO_LOCK_DEFAULT = 10
AUTO_LOCK_RANGE = (1, 240)


@dataclass(frozen=True)
class SiteView:
    id: str
    name: str
    code: str


@dataclass(frozen=True)
class ThreatLevelEntry:
    id: str
    level: ThreatLevel
    effective_on: date
    set_by: str
    note: str


class SiteService:
    def __init__(self, database: Database, actor: Actor) -> None:
        self.database = database
        self.actor = actor

    def site(self) -> SiteView:
        with self.database.reader() as session:
            site = session.get(Site, self.database.site_id)
            if site is None:
                return SiteView(self.database.site_id, "(unnamed site)", "")
            return SiteView(site.id, site.name, site.code)

    def rename_site(self, name: str) -> ChangeSet:
        """Change the organisation's name, as the window title and every report show it
        (managers only). The site's code stays: bundles and references carry it."""
        self.actor.require(Permission.CHANGE_SETTINGS, "rename the site")
        cleaned = checked_site_name(name)
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            site = session.get(Site, self.database.site_id)
            if site is None:
                raise ValidationError("This database has no site record to rename.")
            site.name = cleaned
        return ChangeSet("site", "update", (self.database.site_id,))

    # ---- branding: what every PDF shows at the top of its first page -----------------------

    def branding(self) -> Branding:
        """The organisation's name and logo for a report: one read of each, and the logo
        only decoded from its stored text (it was checked when it was chosen)."""
        return Branding(self.site().name, self.report_logo())

    def report_logo(self) -> bytes | None:
        return decode_logo(self._setting(LOGO_SETTING))

    def set_report_logo(self, data: bytes, name: str = "The file") -> ChangeSet:
        """Set the logo reports print (managers only): a PNG or JPEG of at most 512 KB that
        decodes, else a ValidationError and the logo already set stays as it was."""
        self.actor.require(Permission.CHANGE_SETTINGS, "change the report logo")
        return self._put_setting(LOGO_SETTING, encode_logo(checked_logo(data, name)))

    def clear_report_logo(self) -> ChangeSet:
        """Reports go without a logo from now on (managers only). A tombstone, so that the
        removal travels to the site's other laptops like any change."""
        self.actor.require(Permission.CHANGE_SETTINGS, "remove the report logo")
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            setting = session.scalar(select(Setting).where(Setting.key == LOGO_SETTING))
            if setting is None or setting.deleted:
                return ChangeSet("setting", "update", ())
            setting.value, setting.deleted = "", True
            session.flush()
            return ChangeSet("setting", "update", (setting.id,))

    # ---- threat level ----------------------------------------------------------------------

    def threat_history(self) -> list[ThreatLevelEntry]:
        """Newest recorded first, the same order that decides which level is current, so the
        entry in force is always the top one."""
        with self.database.reader() as session:
            rows = session.execute(
                select(ThreatLevelChange, User.display_name)
                .outerjoin(User, User.id == ThreatLevelChange.set_by_user_id)
                .where(ThreatLevelChange.deleted.is_(False))
                .order_by(ThreatLevelChange.hlc.desc())
            ).all()
            return [
                ThreatLevelEntry(
                    change.id,
                    ThreatLevel(change.level),
                    change.effective_on,
                    name or "",
                    change.note,
                )
                for change, name in rows
            ]

    def current_threat_level(self) -> ThreatLevelEntry:
        """The most recently recorded change already in effect. Recorded order, not effective
        date, decides: a manager who records today that the level changed last week must see
        it as current even though the setup entry is dated today."""
        today = date.today()
        with self.database.reader() as session:
            row = session.execute(
                select(ThreatLevelChange, User.display_name)
                .outerjoin(User, User.id == ThreatLevelChange.set_by_user_id)
                .where(
                    ThreatLevelChange.deleted.is_(False),
                    ThreatLevelChange.effective_on <= today,
                )
                .order_by(ThreatLevelChange.hlc.desc())
                .limit(1)
            ).first()
            if row is None:
                return ThreatLevelEntry("", INITIAL_THREAT_LEVEL, today, "", "")
            change, name = row
            return ThreatLevelEntry(
                change.id, ThreatLevel(change.level), change.effective_on, name or "", change.note
            )

    def set_threat_level(self, level: ThreatLevel, effective_on: date, note: str = "") -> ChangeSet:
        """Record a change of the national threat level (managers only; audited)."""
        self.actor.require(Permission.SET_THREAT_LEVEL, "change the national threat level")
        if effective_on > date.today():
            raise ValidationError("The date the level took effect cannot be in the future.")
        change = ThreatLevelChange(
            level=level.value,
            effective_on=effective_on,
            set_by_user_id=self.actor.user_id,
            note=note.strip(),
        )
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            session.add(change)
        return ChangeSet("threat_level", "create", (change.id,))

    # ---- settings --------------------------------------------------------------------------

    def auto_lock_minutes(self) -> int:
        value = self._setting(AUTO_LOCK_KEY)
        try:
            minutes = int(value) if value is not None else AUTO_LOCK_DEFAULT
        except ValueError:
            return AUTO_LOCK_DEFAULT
        low, high = AUTO_LOCK_RANGE
        return min(max(minutes, low), high)

    def set_auto_lock_minutes(self, minutes: int) -> ChangeSet:
        self.actor.require(Permission.CHANGE_SETTINGS, "change settings")
        low, high = AUTO_LOCK_RANGE
        if not low <= minutes <= high:
            raise ValidationError(f"Auto-lock must be between {low} and {high} minutes.")
        return self._put_setting(AUTO_LOCK_KEY, str(minutes))

    def _setting(self, key: str) -> str | None:
        with self.database.reader() as session:
            return session.scalar(
                select(Setting.value).where(Setting.key == key, Setting.deleted.is_(False))
            )

    def _put_setting(self, key: str, value: str) -> ChangeSet:
        with self.database.writer(user_id=self.actor.user_id, login=self.actor.login) as session:
            setting = session.scalar(select(Setting).where(Setting.key == key))
            if setting is None:
                setting = Setting(key=key, value=value)
                session.add(setting)
            else:
                setting.value = value
                setting.deleted = False
            session.flush()
            return ChangeSet("setting", "update", (setting.id,))
