"""The command-line interface. It never imports Qt, so it runs on a machine with no screen.

Exit codes: 0 ok, 1 check found problems, 2 usage error, 3 wrong passphrase or key,
4 damaged or not a database, 5 the environment stopped us (locked, disk full, read-only).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from prevent_desktop import __version__, cli_head_office, cli_sync, paths
from prevent_desktop.errors import (
    DamagedDatabase,
    ExitCode,
    KnownError,
    UsageError,
    run_reporting_errors,
)
from prevent_desktop.paths import backup_dir_for
from prevent_desktop.reports import catalogue as report_catalogue
from prevent_desktop.services.users import actor_for
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.engine import precheck_file
from prevent_desktop.store.keyslots import KeyFile, key_file_path, parse_recovery_key
from prevent_desktop.store.models import Site

PASSPHRASE_VARIABLE = "PREVENT_DESKTOP_PASSPHRASE"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prevent-desktop",
        description="Prevent Desktop: offline Prevent duty records. No command opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"prevent-desktop {__version__}")
    parser.add_argument("--data-dir", type=Path, help="keep data, logs and backups here")
    parser.add_argument("--db", type=Path, help="the database file (default: in the data dir)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="the database file")
        sub.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
        return sub

    def with_secret(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--user", help="user name (default: the first manager)")
        sub.add_argument("--passphrase-file", type=Path, help="read the passphrase from FILE")
        return sub

    sub = command("init", "create a new encrypted database and print its recovery key")
    sub.add_argument("--site", help="the training site's name (required unless --join)")
    sub.add_argument("--site-code", help="a short code for the site (default: from its name)")
    sub.add_argument("--user", required=True, help="the first manager's user name")
    sub.add_argument("--name", help="the first manager's full name (default: the user name)")
    sub.add_argument("--safeguarding-lead", action="store_true", help="the manager is also DSL")
    sub.add_argument("--passphrase-file", type=Path)
    sub.add_argument(
        "--join",
        type=Path,
        metavar="PAIRING_FILE",
        help="set up another laptop of an existing site from its pairing file (see `pair`)",
    )
    sub.add_argument("--code", help="with --join: the pairing code shown on the other laptop")
    sub.add_argument(
        "--head-office",
        action="store_true",
        help="a head office's database, which receives the sites' quarterly returns "
        "(--site is then the organisation's name)",
    )
    sub.add_argument(
        "--store",
        metavar="URL",
        help="with --head-office: keep the returns in this PostgreSQL database "
        "(postgresql+psycopg://user:password@host/name) instead of the encrypted file",
    )

    sub = command("demo", "create a new database filled with realistic demo data")
    sub.add_argument("--size", choices=("small", "medium", "large"), default="small")
    sub.add_argument("--passphrase-file", type=Path)

    sub = with_secret(command("info", "show the site, schema and record counts"))
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument("--recovery-key-file", type=Path, help="open with the recovery key instead")

    sub = with_secret(command("check", "verify pages, SQLite structure and the audit chain"))
    sub.add_argument("--recovery-key-file", type=Path, help="open with the recovery key instead")

    with_secret(command("recovery-key", "print the recovery key (managers only)"))
    with_secret(
        command(
            "safeguarding-recovery-key",
            "print the safeguarding recovery key (safeguarding leads holding access only)",
        )
    )
    sub = with_secret(
        command(
            "restore-safeguarding",
            "give a safeguarding lead back access to concern details with the safeguarding "
            "recovery key",
        )
    )
    sub.add_argument("--safeguarding-key-file", type=Path, required=True)

    sub = with_secret(command("backup", "write an encrypted backup"))
    sub.add_argument("--out", type=Path, required=True, help="the backup file to create")
    sub.add_argument("--recovery-key-file", type=Path, help="open with the recovery key instead")

    sub = with_secret(command("restore", "replace the database with a backup"))
    which = sub.add_mutually_exclusive_group(required=True)
    which.add_argument("--backup", type=Path, help="the backup file")
    which.add_argument(
        "--latest",
        action="store_true",
        help="the newest automatic backup (made daily, and before each upgrade)",
    )

    sub = with_secret(
        command(
            "accept-lost-changes",
            "go on with a database that lost its latest changes with its journal (-wal) file",
        )
    )
    sub.add_argument("--recovery-key-file", type=Path, help="prove it with the recovery key")

    sub = command("reset-access", "give a manager a new passphrase, proven by the recovery key")
    sub.add_argument("--recovery-key-file", type=Path, required=True)
    sub.add_argument("--user", required=True, help="the manager who gets the new passphrase")
    sub.add_argument("--new-passphrase-file", type=Path, help="read the new passphrase from FILE")

    sub = with_secret(command("passwd", "change a user's passphrase"))
    sub.add_argument("--new-passphrase-file", type=Path, help="read the new passphrase from FILE")
    sub.add_argument(
        "--as", dest="as_manager", help="a manager resetting USER's passphrase signs in as this"
    )

    sub = with_secret(command("report", "write a report to a file (the file is NOT encrypted)"))
    sub.add_argument("kind", choices=sorted(report_catalogue.KINDS), help="which report")
    sub.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file to write: its suffix (.pdf, .xlsx, .csv) picks the format",
    )
    sub.add_argument("--ref", metavar="C-YYYY-NNNN", help="the concern (concern, referral-pack)")
    sub.add_argument(
        "--redact",
        action="store_true",
        help="concern: replace the names of everyone but the subject (check free text by hand)",
    )
    sub.add_argument(
        "--from",
        dest="start",
        type=_day,
        metavar="DATE",
        help="concern-statistics: first day, dd/mm/yyyy or yyyy-mm-dd (default: quarter start)",
    )
    sub.add_argument(
        "--to",
        dest="end",
        type=_day,
        metavar="DATE",
        help="concern-statistics: last day (default: today)",
    )
    which_plan = sub.add_mutually_exclusive_group()
    which_plan.add_argument("--plan", metavar="TITLE", help="incident-checklist: the plan's title")
    which_plan.add_argument(
        "--all", action="store_true", help="incident-checklist: every plan in one PDF pack"
    )
    sub.add_argument("--log", dest="log_id", metavar="ID", help="incident-log: the log's id")
    sub.add_argument("--quarter", metavar="YYYYQn", help="quarterly: which quarter, e.g. 2026Q4")
    cli_sync.add_sync_commands(command, with_secret)
    cli_head_office.add_head_office_commands(command, with_secret)
    return parser


def _day(text: str) -> date:
    """A date typed the UK way (dd/mm/yyyy) or as ISO (yyyy-mm-dd)."""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{text!r} is not a date: write dd/mm/yyyy or yyyy-mm-dd")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None:
        paths.set_data_dir(args.data_dir)
    if args.db is None:
        args.db = paths.default_database()
    handler = _HANDLERS[args.command]
    return run_reporting_errors(lambda: _offering_restore(handler, args))


def _offering_restore(
    handler: Callable[[argparse.Namespace], int], args: argparse.Namespace
) -> int:
    """A database that will not open: say which automatic backup could replace it. (Not for
    the GUI, which offers it in its unlock window, nor for `restore` itself.)"""
    try:
        return handler(args)
    except DamagedDatabase as error:
        if args.command in (None, "restore"):
            raise
        from prevent_desktop.services.restore import restore_offer

        offer = restore_offer(args.db)
        if offer is None:
            raise
        raise DamagedDatabase(f"{error.message} {offer.advice(args.db)}") from None


# ---- secrets -------------------------------------------------------------------------------


def _read_secret_file(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read the {what} file {path}: {error.strerror}.") from None
    secret = text.splitlines()[0] if text else ""
    if not secret:
        raise UsageError(f"The {what} file {path} is empty.")
    return secret


def _passphrase(args: argparse.Namespace, prompt: str, *, confirm: bool = False) -> str:
    if getattr(args, "passphrase_file", None):
        return _read_secret_file(args.passphrase_file, "passphrase")
    from_env = os.environ.get(PASSPHRASE_VARIABLE)
    if from_env:
        return from_env
    return _prompt(prompt, confirm=confirm)


def _prompt(prompt: str, *, confirm: bool) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            f"No passphrase given: use --passphrase-file FILE or set {PASSPHRASE_VARIABLE}."
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != first:
        raise UsageError("The two passphrases differ; nothing was changed.")
    return first


def _default_login(db: Path) -> str:
    key_file = KeyFile.for_database(db)
    if not key_file.slots:
        raise UsageError(f"No user can unlock {db}; use --recovery-key-file.")
    return key_file.slots[0].login


def _sign_in(args: argparse.Namespace) -> Workspace:
    precheck_file(args.db)
    login = args.user or _default_login(args.db)
    passphrase = _passphrase(args, f"Passphrase for {login}: ")
    workspace, _kek = Workspace.sign_in(args.db, login, passphrase)
    return workspace


def _open_database(args: argparse.Namespace, *, for_check: bool = False) -> Database:
    """For commands that only read: the recovery key works as well as a passphrase.
    `check` opens without verifying pages or migrating, so that it can list every finding."""
    precheck_file(args.db)
    for_use = not for_check
    if getattr(args, "recovery_key_file", None):
        key = parse_recovery_key(_read_secret_file(args.recovery_key_file, "recovery key"))
        return Database.open_with_key(args.db, key, verify_pages=for_use, migrate=for_use)
    login = args.user or _default_login(args.db)
    passphrase = _passphrase(args, f"Passphrase for {login}: ")
    database, user_id, _kek = Database.unlock(
        args.db, login, passphrase, verify_pages=for_use, migrate=for_use
    )
    try:
        actor_for(database, user_id)  # a deactivated user is refused here too
    except KnownError:
        database.close()
        raise
    return database


# ---- commands ------------------------------------------------------------------------------


def _init(args: argparse.Namespace) -> int:
    if args.join is None and not args.site:
        raise UsageError("Give the site's name (--site NAME), or --join a pairing file.")
    passphrase = _passphrase(args, f"New passphrase for {args.user}: ", confirm=True)
    if args.join is not None:
        return cli_sync.join_site(args, passphrase, _print_recovery_key)
    if args.head_office:
        return cli_head_office.init_head_office(args, passphrase, _print_recovery_key)
    if args.store:
        raise UsageError("--store is for a head office's database: add --head-office.")
    code = args.site_code or "".join(w[0] for w in args.site.split() if w[:1].isalnum())
    workspace = Workspace.create_site(
        args.db,
        site_name=args.site,
        site_code=code[:32] or "SITE",
        login=args.user,
        display_name=args.name or args.user,
        passphrase=passphrase,
        safeguarding_lead=args.safeguarding_lead,
    )
    database = workspace.database
    try:
        print(f"Created {database.path}")
        _print_recovery_key(database)
    finally:
        database.close()
    return ExitCode.OK


def _print_recovery_key(database: Database) -> None:
    print(f"Key file {key_file_path(database.path)} (keep it with the database)")
    print()
    print("Recovery key (print it or store it somewhere safe; it opens the database")
    print("if every passphrase is lost, and it is shown only to managers):")
    print(f"  {database.recovery_key()}")


def _demo(args: argparse.Namespace) -> int:
    from prevent_desktop.services.demo import build_demo

    passphrase = _passphrase(args, "Passphrase for every demo user: ", confirm=True)
    workspace = build_demo(
        args.db,
        passphrase,
        args.size,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    try:
        users = ", ".join(user.login for user in workspace.users.list_users())
        print(f"Created demo database {args.db} for {workspace.site.site().name}")
        print(f"Users (all with the passphrase you gave): {users}")
    finally:
        workspace.close()
    return ExitCode.OK


def _info(args: argparse.Namespace) -> int:
    database = _open_database(args)
    try:
        with database.reader() as session:
            site = session.get(Site, database.site_id)
            site_name, site_code = (site.name, site.code) if site else ("", "")
        counts = database.counts()
        details = {
            "site": site_name,
            "site_code": site_code,
            "database": str(database.path),
            "schema_version": database.schema_revision(),
            "sqlcipher_version": database.sqlcipher_version(),
            "keychain": _keychain_status(),
            "counts": counts,
        }
    finally:
        database.close()
    if args.json:
        print(json.dumps(details, indent=2))
        return ExitCode.OK
    print(f"Site:              {site_name} ({site_code})")
    print(f"Database:          {details['database']}")
    print(f"Schema version:    {details['schema_version']}")
    print(f"SQLCipher version: {details['sqlcipher_version']}")
    print(f"Keychain:          {details['keychain']}")
    print("Records:")
    for record_type, count in counts.items():
        print(f"  {record_type:<20} {count}")
    return ExitCode.OK


def _keychain_status() -> str:
    """The system keychain that "remember on this computer" uses here, or "not available"."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    from prevent_desktop.store.keychain import Keychain

    if not Keychain().available():
        return "not available"
    backend = keyring.get_keyring()
    if isinstance(backend, ChainerBackend):
        backend = backend.backends[0]  # a chain writes to its first keychain, as Keychain does
    return str(backend.name)


def _check(args: argparse.Namespace) -> int:
    database = _open_database(args, for_check=True)
    try:
        problems = database.integrity_problems()
    finally:
        database.close()
    if not problems:
        print(f"{args.db}: sound (pages, structure and audit chain verified)")
        return ExitCode.OK
    print(f"{args.db}: {len(problems)} problem(s) found:")
    for problem in problems:
        print(f"  - {problem}")
    return ExitCode.CHECK_FAILED


def _recovery_key(args: argparse.Namespace) -> int:
    login = args.user or _default_login(args.db)
    passphrase = _passphrase(args, f"Passphrase for {login}: ")
    workspace, _kek = Workspace.sign_in(args.db, login, passphrase)
    try:
        print(workspace.recovery_key(passphrase))
    finally:
        workspace.close()
    return ExitCode.OK


def _safeguarding_recovery_key(args: argparse.Namespace) -> int:
    login = args.user or _default_login(args.db)
    passphrase = _passphrase(args, f"Passphrase for {login}: ")
    workspace, _kek = Workspace.sign_in(args.db, login, passphrase)
    try:
        print(workspace.safeguarding.show(passphrase))
    finally:
        workspace.close()
    return ExitCode.OK


def _restore_safeguarding(args: argparse.Namespace) -> int:
    key_text = _read_secret_file(args.safeguarding_key_file, "safeguarding recovery key")
    workspace = _sign_in(args)
    try:
        workspace.safeguarding.restore(key_text)
    finally:
        workspace.close()
    print(f"Safeguarding access restored for {workspace.actor.login}.")
    return ExitCode.OK


def _backup(args: argparse.Namespace) -> int:
    if getattr(args, "recovery_key_file", None):
        from prevent_desktop.store.backup import export_to

        database = _open_database(args)
        try:
            export_to(database.engine, database.key, args.out)
        finally:
            database.close()
    else:
        workspace = _sign_in(args)
        try:
            workspace.backup_to(args.out)
        finally:
            workspace.close()
    print(f"Backup written to {args.out} with its key file {key_file_path(args.out)}")
    return ExitCode.OK


def _restore(args: argparse.Namespace) -> int:
    from prevent_desktop.services.restore import restore_backup

    chosen = args.backup
    if args.latest:
        from prevent_desktop.services.restore import restore_offer

        offer = restore_offer(args.db)
        if offer is None:
            raise UsageError(
                f"There is no automatic backup of {args.db} in {backup_dir_for(args.db)}. "
                "Name a backup with --backup FILE."
            )
        chosen = offer.backup
    login = args.user or _default_login(chosen)
    passphrase = _passphrase(args, f"Passphrase for {login} (as in the backup): ")
    kept = restore_backup(chosen, args.db, login, passphrase)
    print(f"Restored {args.db} from {chosen}")
    if kept is not None:
        print(f"The file it replaced is kept as {kept}")
    return ExitCode.OK


def _accept_lost_changes(args: argparse.Namespace) -> int:
    from prevent_desktop.services.restore import accept_lost_changes

    if args.recovery_key_file:
        key = parse_recovery_key(_read_secret_file(args.recovery_key_file, "recovery key"))
        last, head = accept_lost_changes(args.db, recovery_key=key)
    else:
        login = args.user or _default_login(args.db)
        passphrase = _passphrase(args, f"Passphrase for {login}: ")
        last, head = accept_lost_changes(args.db, login=login, passphrase=passphrase)
    print(
        f"{args.db} now goes on from its audit entry {last}; entries {last + 1} to {head} "
        "are lost for good. To the site's other laptops it is now a new laptop: they confirm "
        "its fingerprint at its next bundle. Make a backup now (prevent-desktop backup)."
    )
    return ExitCode.OK


def _passwd(args: argparse.Namespace) -> int:
    if args.user is None:
        raise UsageError("Say whose passphrase to change with --user NAME.")
    signer = args.as_manager or args.user
    current = _passphrase(args, f"Current passphrase for {signer}: ")
    workspace, _kek = Workspace.sign_in(args.db, signer, current)
    try:
        if args.new_passphrase_file:
            new = _read_secret_file(args.new_passphrase_file, "new passphrase")
        else:
            new = _prompt(f"New passphrase for {args.user}: ", confirm=True)
        if args.as_manager:
            wanted = args.user.casefold()
            users = workspace.users.list_users()
            target = next((u for u in users if u.login.casefold() == wanted), None)
            if target is None:
                raise UsageError(f"There is no user called {args.user!r}.")
            workspace.users.reset_passphrase(target.id, new)
        else:
            workspace.users.change_own_passphrase(current, new)
    finally:
        workspace.close()
    print(f"Passphrase changed for {args.user}. The database itself was not re-encrypted.")
    return ExitCode.OK


def _reset_access(args: argparse.Namespace) -> int:
    from prevent_desktop.services.access import reset_access

    precheck_file(args.db)
    key = parse_recovery_key(_read_secret_file(args.recovery_key_file, "recovery key"))
    if args.new_passphrase_file:
        new = _read_secret_file(args.new_passphrase_file, "new passphrase")
    else:
        new = _prompt(f"New passphrase for {args.user}: ", confirm=True)
    kept = reset_access(args.db, key, args.user, new)
    print(f"{args.user} can sign in to {args.db} with the new passphrase.")
    if kept is not None:
        print(f"The unreadable key file was kept as {kept}")
    return ExitCode.OK


def _report(args: argparse.Namespace) -> int:
    # The format and options are checked before the passphrase is asked for, so a typo
    # costs nothing.
    suffix = report_catalogue.check_output(args.kind, args.out)
    options = report_catalogue.ReportOptions(
        reference=args.ref,
        redact=args.redact,
        start=args.start,
        end=args.end,
        plan=args.plan,
        all=args.all,
        log_id=args.log_id,
        quarter=args.quarter,
    )
    report_catalogue.check_options(args.kind, options)
    workspace = _sign_in(args)
    try:
        report_catalogue.writer_for(args.kind, suffix)(workspace, args.out, options)
    finally:
        workspace.close()
    about = f" for {args.ref.strip().upper()}" if args.ref else ""
    if args.plan:
        about = f" for {args.plan.strip()!r}"
    print(f"Wrote the {args.kind} report{about} to {args.out}")
    print("This file is NOT encrypted: store it securely and delete it when no longer needed.")
    return ExitCode.OK


def _gui(args: argparse.Namespace) -> int:
    from prevent_desktop.app import run_gui

    return run_gui(args.db)


_HANDLERS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _gui,
    "init": _init,
    "demo": _demo,
    "info": _info,
    "check": _check,
    "recovery-key": _recovery_key,
    "safeguarding-recovery-key": _safeguarding_recovery_key,
    "restore-safeguarding": _restore_safeguarding,
    "backup": _backup,
    "restore": _restore,
    "accept-lost-changes": _accept_lost_changes,
    "passwd": _passwd,
    "reset-access": _reset_access,
    "report": _report,
    **cli_sync.handlers(_sign_in, _read_secret_file),
    **cli_head_office.handlers(_sign_in),
}
