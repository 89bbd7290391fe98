"""Command-line head office: the quarterly return a site sends (`export --to head-office`,
`head-office --key/--policy`), and head office's own database (`init --head-office`,
`identity`). Registered by cli.py through `add_head_office_commands`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from prevent_desktop.cli_session import Command, SignIn, WithSecret, signed_in
from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.errors import ExitCode, UsageError
from prevent_desktop.services.head_office import write_secret_file
from prevent_desktop.services.quarterly_export import POLICIES
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database


def add_head_office_commands(command: Command, with_secret: WithSecret) -> None:
    sub = with_secret(
        command("identity", "write head office's private identity to a file, for safe keeping")
    )
    sub.add_argument("--out", type=Path, required=True, help="a new file (readable by you only)")

    sub = with_secret(
        command("head-office", "show or set head office's public key and what it receives")
    )
    sub.add_argument("--key", metavar="AGE1…", help="head office's public key")
    sub.add_argument(
        "--policy",
        choices=sorted(POLICIES),
        help="concern records in the quarterly return: "
        + "; ".join(f"{name}: {text}" for name, text in sorted(POLICIES.items())),
    )


def handlers(sign_in: SignIn) -> dict[str | None, Callable[[argparse.Namespace], int]]:
    def identity(args: argparse.Namespace) -> int:
        with signed_in(sign_in, args) as workspace:
            text = workspace.head_office.identity_text()
        write_secret_file(args.out, text)
        print(f"Wrote head office's identity to {args.out}.")
        print("Keep it offline and safe: with it, anyone can read every site's returns.")
        print("It also lets the standard `age` tool decrypt a return: age -d -i FILE RETURN.")
        return ExitCode.OK

    def head_office(args: argparse.Namespace) -> int:
        with signed_in(sign_in, args) as workspace:
            if args.key:
                workspace.quarterly.set_head_office_key(args.key)
            if args.policy:
                workspace.quarterly.set_concern_policy(args.policy)
            key = workspace.quarterly.head_office_key()
            policy = workspace.quarterly.concern_policy()
        print(f"Head office's public key: {key or '(not set)'}")
        print(f"Concern records sent: {POLICIES[policy]}")
        return ExitCode.OK

    return {"identity": identity, "head-office": head_office}


def export_quarterly(sign_in: SignIn, args: argparse.Namespace) -> int:
    if not args.quarter:
        raise UsageError("Say which quarter: --quarter 2026Q4.")
    if args.bundle_passphrase_file:
        raise UsageError("A quarterly return is encrypted to head office's key, not a passphrase.")
    try:
        quarter = Quarter.parse(args.quarter)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if len(args.recipient) > 1:
        raise UsageError("Give head office's key once (--recipient).")
    with signed_in(sign_in, args) as workspace:
        target = args.recipient[0] if args.recipient else workspace.quarterly.head_office_key()
        result = workspace.quarterly.export(
            args.out,
            quarter,
            recipient=args.recipient[0] if args.recipient else None,
            pdf=args.report_pdf,
            xlsx=args.report_xlsx,
            confirm_changes=args.confirm_changes,
        )
    print(f"Wrote the return for {quarter.label} to {result.bundle.path}")
    print(f"Encrypted to head office's key {target}")
    print(f"Concern records: {POLICIES[result.policy]}")
    if result.note:
        print(result.note)
    for copy in (args.report_pdf, args.report_xlsx):
        if copy is not None:
            print(f"A copy of what was sent: {copy} (NOT encrypted: keep it safe)")
    return ExitCode.OK


def init_head_office(
    args: argparse.Namespace, passphrase: str, print_recovery_key: Callable[[Database], None]
) -> int:
    if not args.site:
        raise UsageError("Give the organisation's name: --site NAME.")
    workspace = Workspace.create_head_office(
        args.db,
        organisation=args.site,
        login=args.user,
        display_name=args.name or args.user,
        passphrase=passphrase,
        store_url=args.store,
    )
    try:
        print(f"Created head office's database {workspace.database.path}")
        print_recovery_key(workspace.database)
        print()
        card = workspace.sync.this_device()
        print("Give sites this public key (prevent-desktop head-office --key KEY):")
        print(f"  {card.age_recipient}")
    finally:
        workspace.close()
    return ExitCode.OK
