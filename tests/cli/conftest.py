"""Run the real `prevent-desktop` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(data_dir: Path):  # type: ignore[no-untyped-def]
    def _run(*args: str, passphrase: str | None = PASSPHRASE, stdin: str = "") -> Result:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PREVENT_DESKTOP_PASSPHRASE")
        }
        env["PREVENT_DESKTOP_KDF"] = "fast"
        if passphrase is not None:
            env["PREVENT_DESKTOP_PASSPHRASE"] = passphrase
        completed = subprocess.run(
            [sys.executable, "-m", "prevent_desktop", "--data-dir", str(data_dir), *args],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=120,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return _run


@pytest.fixture
def demo_db(run, data_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """A demo database made through the command line, as a newcomer would."""
    db = data_dir / "demo.db"
    result = run("demo", "--db", str(db))
    assert result.code == 0, result.err
    return db
