"""`prevent-desktop` and `python -m prevent_desktop`: no command opens the app.

Opening the app is the path that has to be quick (the unlock window within twice the time a
bare Qt window takes, benchmarks/startup.py), and the command-line interface imports the whole
store and every service before it parses anything. So a command line that only opens the app,
`[--data-dir DIR] [--db FILE]`, goes straight to it; anything else (a command, --help,
--version, a mistake) goes to `cli.main`, which would have opened the app the same way.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

_GUI_OPTIONS = ("--db", "--data-dir")


def gui_arguments(argv: Sequence[str]) -> dict[str, Path] | None:
    """The options of a command line that only opens the app (each at most once, as
    `--db FILE` or `--db=FILE`), or None for anything `cli.main` must handle."""
    given: dict[str, Path] = {}
    rest = list(argv)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in _GUI_OPTIONS or name in given:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if not value or value.startswith("-"):
            return None  # argparse's business: it reports the mistake
        given[name] = Path(value)
    return given


def main() -> int:
    argv = sys.argv[1:]
    gui = gui_arguments(argv)
    if gui is None:
        from prevent_desktop.cli import main as cli_main

        return cli_main(argv)
    from prevent_desktop import paths
    from prevent_desktop.app import run_gui
    from prevent_desktop.errors import run_reporting_errors

    if "--data-dir" in gui:
        paths.set_data_dir(gui["--data-dir"])
    return run_reporting_errors(lambda: run_gui(gui.get("--db") or paths.default_database()))


if __name__ == "__main__":
    sys.exit(main())
