"""What opening the app loads before the unlock window paints (issue 9, target 1).

The unlock window must paint within twice a bare Qt window's start-up, so its import graph is
kept small: the store, the services, the reports and the keychain load afterwards, on the
database worker. These tests keep it that way, and keep `__main__`'s short cut to the app
agreeing with the command-line parser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from prevent_desktop.__main__ import gui_arguments
from prevent_desktop.app import EXIT_AFTER_FIRST_PAINT
from prevent_desktop.cli import build_parser

# Loaded later, on the worker or when first used; none of it is needed to paint the window.
NOT_BEFORE_THE_WINDOW = (
    "sqlalchemy",
    "sqlcipher3",
    "alembic",
    "reportlab",
    "openpyxl",
    "pyrage",
    "keyring",
    "argon2",
    "prevent_desktop.cli",
    "prevent_desktop.services.workspace",
    "prevent_desktop.store.database",
    "prevent_desktop.store.keychain",
    "prevent_desktop.ui.main_window",
    "prevent_desktop.ui.setup_wizard",
    "prevent_desktop.ui.unlock_tasks",
)


def test_opening_the_app_loads_only_what_the_unlock_window_needs() -> None:
    code = (
        "import json, sys\n"
        "import prevent_desktop.__main__, prevent_desktop.app\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(done.stdout)
    early = [
        name
        for name in loaded
        if any(name == heavy or name.startswith(heavy + ".") for heavy in NOT_BEFORE_THE_WINDOW)
    ]
    assert early == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "x.db"],
        ["--db=x.db"],
        ["--data-dir", "here"],
        ["--data-dir=here", "--db", "there/x.db"],
        ["--db", "x.db", "--data-dir", "here"],
    ],
)
def test_a_command_line_that_only_opens_the_app_is_read_as_the_cli_reads_it(
    argv: list[str],
) -> None:
    gui = gui_arguments(argv)
    assert gui is not None
    parsed = build_parser().parse_args(argv)
    assert parsed.command is None
    assert gui.get("--db") == parsed.db
    assert gui.get("--data-dir") == parsed.data_dir


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["info"],
        ["--db", "x.db", "check"],
        ["--db"],
        ["--db", "--data-dir", "x"],
        ["--db", "a.db", "--db", "b.db"],
        ["--db="],
        ["--data", "here"],  # argparse's abbreviation: left to argparse
        ["-h"],
    ],
)
def test_anything_else_goes_to_the_cli(argv: list[str]) -> None:
    assert gui_arguments(argv) is None


def test_the_start_up_hook_reports_the_first_paint_and_the_ready_window(
    created_db: Path, data_dir: Path
) -> None:
    """What benchmarks/startup.py reads: the app, asked to, says when the unlock window was
    first painted and when it had read who can sign in, then quits by itself."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env[EXIT_AFTER_FIRST_PAINT] = "1"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "prevent_desktop",
            "--data-dir",
            str(data_dir),
            "--db",
            str(created_db),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    moments = [line.split()[0] for line in done.stdout.splitlines()]
    assert moments == ["first-paint", "ready"]
