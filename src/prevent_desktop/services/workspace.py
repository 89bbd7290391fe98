"""An unlocked database and the user signed in to it: the services they work through."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import KnownError, ValidationError
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.concerns import ConcernService
from prevent_desktop.services.context import Actor
from prevent_desktop.services.head_office import HeadOfficeService, check_store
from prevent_desktop.services.incidents import IncidentService
from prevent_desktop.services.overview import OverviewService
from prevent_desktop.services.quarterly_export import QuarterlyExport
from prevent_desktop.services.risks import RiskService
from prevent_desktop.services.safeguarding_recovery import SafeguardingRecovery
from prevent_desktop.services.site import SiteService
from prevent_desktop.services.sync import SyncService, trust_paired_device
from prevent_desktop.services.training import TrainingService
from prevent_desktop.services.users import (
    UserService,
    actor_for,
    check_passphrase_policy,
    validate_login,
)
from prevent_desktop.store import backup
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import KeyFile
from prevent_desktop.store.sealing import KeyPair
from prevent_desktop.store.session_keys import SAFEGUARDING_PUBLIC_SETTING
from prevent_desktop.sync.pairing import decoded_rows, read_pairing_file

logger = logging.getLogger(__name__)


@dataclass
class Workspace:
    database: Database
    actor: Actor
    users: UserService = field(init=False)
    site: SiteService = field(init=False)
    risks: RiskService = field(init=False)
    concerns: ConcernService = field(init=False)
    safeguarding: SafeguardingRecovery = field(init=False)
    training: TrainingService = field(init=False)
    incidents: IncidentService = field(init=False)
    sync: SyncService = field(init=False)
    quarterly: QuarterlyExport = field(init=False)
    overview: OverviewService = field(init=False)
    head_office: HeadOfficeService = field(init=False)

    def __post_init__(self) -> None:
        self.users = UserService(self.database, self.actor)
        self.site = SiteService(self.database, self.actor)
        self.risks = RiskService(self.database, self.actor)
        self.concerns = ConcernService(self.database, self.actor)
        self.safeguarding = SafeguardingRecovery(self.database, self.actor)
        self.training = TrainingService(self.database, self.actor)
        self.incidents = IncidentService(self.database, self.actor)
        self.sync = SyncService(self.database, self.actor)
        self.quarterly = QuarterlyExport(self)
        self.overview = OverviewService(self)
        self.head_office = HeadOfficeService(self.database, self.actor)

    @classmethod
    def create_site(
        cls,
        path: Path,
        *,
        site_name: str,
        site_code: str,
        login: str,
        display_name: str,
        passphrase: str,
        safeguarding_lead: bool,
        threat_level_date: date | None = None,
    ) -> Workspace:
        """A new database for a site, signed in as its first manager. Every entry point
        (setup wizard, `init`, `demo`) comes through here, so all make the same checks."""
        site_name, site_code = site_name.strip(), site_code.strip().upper()
        if not site_name:
            raise ValidationError("Give the training site's name.")
        if not 1 <= len(site_code) <= 32:
            raise ValidationError("Give a short code for the site (1 to 32 characters).")
        login = validate_login(login)
        if not display_name.strip():
            raise ValidationError("Give the first manager's full name.")
        check_passphrase_policy(passphrase)
        database, user_id = Database.create(
            path,
            site_name=site_name,
            site_code=site_code,
            login=login,
            display_name=display_name.strip(),
            passphrase=passphrase,
            safeguarding_lead=safeguarding_lead,
            threat_level_date=threat_level_date,
        )
        workspace = cls.for_user(database, user_id)
        # A new site edits the strategy's starter register rather than facing a blank page.
        workspace.risks.seed_starter_register(load_json("starter_register.json"), date.today())
        return workspace

    @classmethod
    def create_head_office(
        cls,
        path: Path,
        *,
        organisation: str,
        login: str,
        display_name: str,
        passphrase: str,
        store_url: str | None = None,
    ) -> Workspace:
        """A head office's database: it receives the sites' quarterly returns. `store_url`: a
        PostgreSQL database for the returns (checked now), instead of this encrypted file."""
        if not organisation.strip():
            raise ValidationError("Give the organisation's name.")
        login = validate_login(login)
        check_passphrase_policy(passphrase)
        if store_url:
            check_store(store_url).dispose()  # reachable, before anything is made
        database, user_id = Database.create(
            path,
            site_name=organisation.strip(),
            site_code="HO",
            login=login,
            display_name=display_name.strip() or login,
            passphrase=passphrase,
            safeguarding_lead=False,
            head_office=True,
            head_office_store=store_url,
        )
        return cls.for_user(database, user_id)

    @classmethod
    def join_site(
        cls, path: Path, pairing_file: Path, code: str, *, login: str, passphrase: str
    ) -> Workspace:
        """Set this laptop up as another laptop of an existing site, from the pairing file
        and code a manager made there. The site's records arrive with the first bundle."""
        check_passphrase_policy(passphrase)
        offer = read_pairing_file(pairing_file, code)
        rows = decoded_rows(offer)
        user = next(
            (
                values
                for table, values in rows
                if table == "app_user" and values["login"] == login.strip().lower()
            ),
            None,
        )
        if user is None or not user["active"] or user["deleted"]:
            raise ValidationError(
                f"{login!r} is not an active user of {offer.site_name}. Sign in as yourself; "
                "someone new is added on the first laptop before pairing."
            )
        is_lead = user["is_safeguarding_lead"] or user["role"] == "safeguarding_lead"
        if user["role"] != "manager" and not is_lead:
            raise ValidationError("A manager or the safeguarding lead sets up a new laptop.")
        public = next(
            (
                values["value"]
                for table, values in rows
                if table == "setting" and values["key"] == SAFEGUARDING_PUBLIC_SETTING
            ),
            "",
        )
        safeguarding = None
        if is_lead and offer.safeguarding_private is not None:
            safeguarding = KeyPair.from_private(offer.safeguarding_private)
            if safeguarding.public.hex() != public:
                raise ValidationError(
                    "The safeguarding key in the pairing file does not match the site's. "
                    "Make a new pairing file."
                )
        database = Database.create_joined(
            path,
            site_id=offer.device.site_id,
            user_id=user["id"],
            login=user["login"],
            passphrase=passphrase,
            rows=rows,
            safeguarding=safeguarding,
            reference_letter=offer.laptop_letter,
        )
        trust_paired_device(database, offer.device, by_login=user["login"])
        return cls.for_user(database, user["id"])

    @classmethod
    def sign_in(
        cls, path: Path, login: str, passphrase: str, *, verify_pages: bool = True
    ) -> tuple[Workspace, bytes]:
        """Unlock with a passphrase. Returns the workspace and the key-encryption key. Without
        `verify_pages` the caller checks every page itself (the app does, beside the session:
        store/page_check.py)."""
        database, user_id, kek = Database.unlock(path, login, passphrase, verify_pages=verify_pages)
        workspace = cls.for_user(database, user_id)
        try:
            kek = workspace.users.strengthen_own_slot(passphrase) or kek
        except KnownError:
            # A key file that cannot be written now (a read-only stick) is strengthened at a
            # later sign-in; the sign-in itself stands.
            logger.warning("Could not strengthen the key slot; kept as it was")
        except BaseException:
            workspace.close()
            raise
        return workspace, kek

    @classmethod
    def sign_in_with_kek(
        cls, path: Path, login: str, kek: bytes, *, verify_pages: bool = True
    ) -> Workspace:
        database, user_id = Database.unlock_with_kek(path, login, kek, verify_pages=verify_pages)
        return cls.for_user(database, user_id)

    @classmethod
    def for_user(cls, database: Database, user_id: str) -> Workspace:
        try:
            workspace = cls(database, actor_for(database, user_id))
            # Databases made before a tab existed get its starter lists on first sign-in; a
            # laptop that joined a site gets the site's lists by sync instead (two seeded
            # copies would meet as duplicates).
            if not (database.joined_site or database.head_office):
                workspace.concerns.seed_options(load_json("concern_options.json"))
                workspace.training.seed(load_json("training_courses.json"))
                workspace.incidents.seed(load_json("incident_plans.json"), date.today())
            workspace.users.ensure_safeguarding_key()
            if workspace.concerns.holds_key():
                workspace.safeguarding.ensure_wrapped()
            return workspace
        except KnownError:
            database.close()
            raise

    def recovery_key(self, passphrase: str) -> str:
        """Shown only to a manager who has just re-entered their passphrase."""
        self.actor.require(Permission.VIEW_RECOVERY_KEY, "see the recovery key")
        self.users.verify_own_passphrase(passphrase)
        return self.database.recovery_key()

    def backup_to(self, destination: Path, should_cancel: Callable[[], bool] | None = None) -> None:
        """An encrypted backup with its key file. Raises OperationCancelled when
        `should_cancel` turns true, leaving nothing behind."""
        self.actor.require(Permission.MAKE_BACKUP, "make backups")
        backup.export_to(self.database.engine, self.database.key, destination, should_cancel)

    def close(self) -> None:
        self.concerns.forget_people()
        self.head_office.close()
        self.database.close()


def logins(path: Path) -> list[str]:
    """Who can unlock this database (from its key file), for the unlock window's list."""
    return KeyFile.for_database(path).logins()
