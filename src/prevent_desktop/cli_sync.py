"""Command-line sync: export, import, pair, public-key and conflicts, and joining a site.

Kept apart from cli.py, which registers these commands through `add_sync_commands`; head
office's own commands are in cli_head_office.py.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from prevent_desktop.cli_head_office import export_quarterly
from prevent_desktop.cli_session import Command, ReadSecret, SignIn, WithSecret, signed_in
from prevent_desktop.errors import ExitCode, UsageError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.sync.bundle_import import ImportSummary


def add_sync_commands(command: Command, with_secret: WithSecret) -> None:
    sub = with_secret(command("export", "write an encrypted bundle for the site's other laptops"))
    sub.add_argument("--out", type=Path, required=True, help="the bundle file (.pdbundle)")
    sub.add_argument(
        "--to",
        choices=("laptops", "head-office"),
        default="laptops",
        help="laptops: every paired laptop of this site (the default); head-office: the "
        "quarterly return (--quarter), to head office's public key",
    )
    sub.add_argument("--quarter", metavar="YYYYQn", help="with --to head-office, e.g. 2026Q4")
    sub.add_argument(
        "--confirm-changes",
        action="store_true",
        help="with --to head-office: send although head office's key or the concern policy "
        "changed since this laptop's last return (check with head office first)",
    )
    sub.add_argument(
        "--report-pdf",
        type=Path,
        metavar="FILE",
        help="with --to head-office: a PDF of what was sent",
    )
    sub.add_argument(
        "--report-xlsx",
        type=Path,
        metavar="FILE",
        help="with --to head-office: an Excel workbook of what was sent",
    )
    sub.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="AGE1…",
        help="also encrypt to this public key (a laptop of this site not paired yet); with "
        "--to head-office: head office's key, instead of the one in the settings",
    )
    sub.add_argument(
        "--bundle-passphrase-file",
        type=Path,
        help="encrypt to the passphrase in FILE instead (an ad hoc transfer)",
    )

    sub = with_secret(
        command(
            "import",
            "apply a bundle from another laptop of this site (at head office: a site's "
            "quarterly return)",
        )
    )
    sub.add_argument("bundle", type=Path, help="the bundle file")
    sub.add_argument(
        "--trust",
        action="store_true",
        help="accept a laptop not paired yet, after comparing its fingerprint",
    )
    sub.add_argument("--bundle-passphrase-file", type=Path, help="the bundle's passphrase")

    sub = with_secret(command("pair", "write a pairing file that a new laptop joins the site with"))
    sub.add_argument("--out", type=Path, required=True, help="the pairing file to write")

    sub = with_secret(command("public-key", "print this laptop's public key and fingerprint"))
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = with_secret(command("conflicts", "list sync conflicts, or settle one"))
    settle = sub.add_mutually_exclusive_group()
    settle.add_argument("--keep", metavar="ID", help="keep the current version of conflict ID")
    settle.add_argument("--restore", metavar="ID", help="bring conflict ID's losing version back")


def handlers(
    sign_in: SignIn, read_secret: ReadSecret
) -> dict[str | None, Callable[[argparse.Namespace], int]]:
    def export(args: argparse.Namespace) -> int:
        if args.to == "head-office":
            return export_quarterly(sign_in, args)
        if args.quarter or args.report_pdf or args.report_xlsx:
            raise UsageError("--quarter and --report-* go with --to head-office.")
        with signed_in(sign_in, args) as workspace:
            if args.bundle_passphrase_file:
                result = workspace.sync.export_with_passphrase(
                    args.out, read_secret(args.bundle_passphrase_file, "bundle passphrase")
                )
            else:
                result = workspace.sync.export_to_paired(args.out, extra_recipients=args.recipient)
        total = sum(result.counts.values())
        print(f"Wrote bundle {result.sequence} ({total} records) to {result.path}")
        print(f"SHA-256 {result.bundle_sha256}")
        return ExitCode.OK

    def import_(args: argparse.Namespace) -> int:
        passphrase = (
            read_secret(args.bundle_passphrase_file, "bundle passphrase")
            if args.bundle_passphrase_file
            else None
        )
        with signed_in(sign_in, args) as workspace:
            if workspace.database.head_office:
                received = workspace.head_office.import_return(args.bundle, trust=args.trust)
                verb = "Replaced" if received.replaced else "Imported"
                print(f"{verb} the return of {received.site_name} for {received.quarter.label}.")
                if received.newly_trusted:
                    print(f"Accepted that laptop (fingerprint {received.origin.fingerprint}).")
                return ExitCode.OK
            summary = workspace.sync.import_bundle(
                args.bundle, trust=args.trust, passphrase=passphrase
            )
        _print_summary(summary)
        return ExitCode.OK

    def pair(args: argparse.Namespace) -> int:
        with signed_in(sign_in, args) as workspace:
            code = workspace.sync.make_pairing_file(args.out)
            lead = workspace.concerns.holds_key()
        print(f"Wrote the pairing file {args.out}")
        print("On the new laptop: prevent-desktop init --join FILE --code CODE --user YOU")
        print(f"Pairing code (type it on the new laptop; it is not stored anywhere): {code}")
        if lead:
            print("It carries the safeguarding key for you: keep the file and code apart.")
        return ExitCode.OK

    def public_key(args: argparse.Namespace) -> int:
        with signed_in(sign_in, args) as workspace:
            card = workspace.sync.this_device()
        if args.json:
            print(json.dumps({**card.as_json(), "fingerprint": card.fingerprint}, indent=2))
        else:
            print(f"Laptop:      {card.label}")
            print(f"Public key:  {card.age_recipient}")
            print(f"Fingerprint: {card.fingerprint}")
        return ExitCode.OK

    def conflicts(args: argparse.Namespace) -> int:
        with signed_in(sign_in, args) as workspace:
            if args.keep or args.restore:
                workspace.sync.resolve(args.keep or args.restore, restore_losing=bool(args.restore))
                print("Settled.")
                return ExitCode.OK
            listed = workspace.sync.conflicts()
        if not listed:
            print("No sync conflicts to review.")
        for conflict in listed:
            print(
                f"{conflict.id}  {conflict.record_type:<20} {conflict.record_id}  "
                f"found {conflict.detected_at:%d/%m/%Y %H:%M}"
            )
        return ExitCode.OK

    return {
        "export": export,
        "import": import_,
        "pair": pair,
        "public-key": public_key,
        "conflicts": conflicts,
    }


def _print_summary(summary: ImportSummary) -> None:
    print(f"Imported bundle {summary.sequence} from “{summary.origin.label}”.")
    if summary.newly_trusted:
        print(f"Paired with that laptop (fingerprint {summary.origin.fingerprint}).")
    print(f"{'records':<22}{'added':>8}{'updated':>9}{'unchanged':>11}{'conflicts':>11}")
    for name, tally in sorted(summary.per_type.items()):
        if tally.total:
            print(
                f"{name:<22}{tally.added:>8}{tally.updated:>9}{tally.unchanged:>11}"
                f"{tally.conflicts:>11}"
            )
    if summary.conflicts:
        print(
            f"{summary.conflicts} record(s) were changed on both laptops: the losing versions are "
            "kept for review (`prevent-desktop conflicts`)."
        )


def join_site(
    args: argparse.Namespace, passphrase: str, print_recovery_key: Callable[[Database], None]
) -> int:
    if not args.code:
        raise UsageError("Give the pairing code shown on the other laptop: --code CODE.")
    workspace = Workspace.join_site(
        args.db, args.join, args.code, login=args.user, passphrase=passphrase
    )
    try:
        print(f"Created {workspace.database.path} as a laptop of {workspace.site.site().name}.")
        print_recovery_key(workspace.database)
        print()
        print("Next: export a bundle here (`prevent-desktop export`), import it on the other")
        print(
            "laptop (it asks you to confirm this laptop's fingerprint), and bring its bundle back."
        )
        print(f"This laptop's fingerprint: {workspace.sync.this_device().fingerprint}")
    finally:
        workspace.close()
    return ExitCode.OK
