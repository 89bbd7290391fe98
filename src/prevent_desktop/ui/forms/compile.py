"""Compile the Qt Designer sources in the repository's ui/ folder into this package.

    python -m prevent_desktop.ui.forms.compile           # (re)write every <name>_ui.py
    python -m prevent_desktop.ui.forms.compile --check   # exit 1 listing out-of-date forms

The generated modules are committed, so a wheel needs neither the .ui files nor uic; `make ui`
runs this and a test runs `--check` so a .ui edited without recompiling is caught.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import PySide6

FORMS_DIR = Path(__file__).resolve().parent
REPOSITORY = FORMS_DIR.parents[3]
SOURCES_DIR = REPOSITORY / "ui"
HEADER = "# Generated from ui/{name}.ui by `make ui`: do not edit.\n"


class UicNotFound(RuntimeError):
    pass


def uic_command() -> list[str]:
    """PySide6 ships Qt's uic binary; the pyside6-uic script is a wrapper around it."""
    package = Path(PySide6.__file__).resolve().parent
    for candidate in (package / "Qt" / "libexec" / "uic", package / "uic", package / "uic.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate), "-g", "python"]
    wrapper = shutil.which("pyside6-uic") or _beside_python("pyside6-uic")
    if wrapper:
        return [wrapper]
    raise UicNotFound("Cannot find uic: install PySide6 (pip install -e '.[test]').")


def _beside_python(name: str) -> str | None:
    for folder in (Path(sys.executable).parent, Path(sys.prefix) / "bin"):
        for candidate in (folder / name, folder / f"{name}.exe"):
            if candidate.is_file():
                return str(candidate)
    return None


def target_for(source: Path) -> Path:
    return FORMS_DIR / f"{source.stem}_ui.py"


def generate(source: Path) -> str:
    """The Python text uic makes from `source`, with our header in place of uic's banner."""
    completed = subprocess.run(
        [*uic_command(), str(source)], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"uic failed on {source.name}: {completed.stderr.strip()}")
    body = _strip_banner(completed.stdout)
    return HEADER.format(name=source.stem) + body


def _strip_banner(text: str) -> str:
    # uic's banner names the uic version; dropping it keeps the output stable across PySide6
    # patch releases, so --check only fails when a form really changed.
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    return "".join(lines[start:])


def sources() -> list[Path]:
    return sorted(SOURCES_DIR.glob("*.ui"))


def out_of_date() -> list[Path]:
    stale = []
    for source in sources():
        target = target_for(source)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != generate(source):
            stale.append(source)
    return stale


def orphans() -> list[Path]:
    """Generated modules whose .ui source no longer exists."""
    wanted = {target_for(source) for source in sources()}
    return [path for path in sorted(FORMS_DIR.glob("*_ui.py")) if path not in wanted]


def compile_all() -> list[Path]:
    written = []
    for source in sources():
        target = target_for(source)
        text = generate(source)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prevent_desktop.ui.forms.compile")
    parser.add_argument("--check", action="store_true", help="only report out-of-date forms")
    args = parser.parse_args(argv)
    if not SOURCES_DIR.is_dir():
        print(f"No ui/ folder at {SOURCES_DIR}: run this from a source checkout.", file=sys.stderr)
        return 2
    if args.check:
        stale = out_of_date()
        extra = orphans()
        for source in stale:
            print(f"out of date: ui/{source.name} (run `make ui`)")
        for path in extra:
            print(f"no source for: {path.relative_to(REPOSITORY)}")
        return 1 if stale or extra else 0
    for target in compile_all():
        print(f"wrote {target.relative_to(REPOSITORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
