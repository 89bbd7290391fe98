"""A process that imports the product once, then forks a child per crash run (issue 10,
item 1). Starting Python and importing SQLAlchemy, the services and the cryptography takes
about a second; a hundred kills would spend most of their time there. A fork starts at once,
with every module loaded and nothing open (no connection, no thread: the zygote never opens
a database), so each child is as a fresh process would be.

Protocol, one JSON object per line: the test writes a run ({"scenario": …, "folder": …});
the zygote answers {"pid": …} as soon as the child exists, then {"status": …} (the
`waitpid` status) when it has ended. The child writes "ready" to `<folder>/progress` once
signed in, then a line after each step it has committed, fsynced, so that what it reports
committed was committed before the report.

Run as `python -m tests.crash.zygote` from the project's root.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

from prevent_desktop.services.restore import restore_backup  # noqa: F401 (loaded before forks)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from tests.conftest import PASSPHRASE
from tests.unit.sync_support import risk_input

OTHER_PASSPHRASE = "a second passphrase for sam 4"


class Progress:
    def __init__(self, folder: Path) -> None:
        self._file = (folder / "progress").open("a", encoding="utf-8")

    def note(self, line: str) -> None:
        self._file.write(line + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())


def edits(folder: Path, progress: Progress) -> None:
    """Risks created one after another, each its own transaction."""
    workspace, _kek = Workspace.sign_in(folder / "prevent.db", "sam", PASSPHRASE)
    progress.note("ready")
    for index in range(100_000):
        risk_id = workspace.risks.create_risk(risk_input(f"Edit {index}")).ids[0]
        progress.note(risk_id)


def bundle_import(folder: Path, progress: Progress) -> None:
    workspace, _kek = Workspace.sign_in(folder / "prevent.db", "sam", PASSPHRASE)
    progress.note("ready")
    workspace.sync.import_bundle(folder / "large.pdbundle")
    progress.note("applied")
    workspace.close()
    progress.note("done")


def backup(folder: Path, progress: Progress) -> None:
    workspace, _kek = Workspace.sign_in(folder / "prevent.db", "sam", PASSPHRASE)
    progress.note("ready")
    for index in range(3):
        # Each backup a different name; a change between them so they differ.
        workspace.backup_to(folder / "stick" / f"backup-{index}.db")
        progress.note(f"backup-{index}.db")
        workspace.risks.create_risk(risk_input(f"Between backups {index}"))
    progress.note("done")


def migration(folder: Path, progress: Progress) -> None:
    progress.note("ready")
    database, _user, _kek = Database.unlock(folder / "prevent.db", "sam", PASSPHRASE)
    progress.note("migrated")
    database.close()
    progress.note("done")


def passphrase_change(folder: Path, progress: Progress) -> None:
    """The passphrase changed back and forth; each note names the one now in force."""
    workspace, _kek = Workspace.sign_in(folder / "prevent.db", "sam", PASSPHRASE)
    progress.note("ready")
    current, other = PASSPHRASE, OTHER_PASSPHRASE
    for _ in range(1000):
        workspace.users.change_own_passphrase(current, other)
        current, other = other, current
        progress.note(current)


SCENARIOS = {
    "edits": edits,
    "import": bundle_import,
    "backup": backup,
    "migration": migration,
    "passphrase": passphrase_change,
}


def _child(run: dict[str, str]) -> None:
    folder = Path(run["folder"])
    try:
        SCENARIOS[run["scenario"]](folder, Progress(folder))
        code = 0
    except BaseException:
        (folder / "child-error").write_text(traceback.format_exc())
        code = 1
    os._exit(code)  # no atexit, no finalizers: as the process would end if left alone


def main() -> None:
    os.environ["PREVENT_DESKTOP_KDF"] = "fast"
    for line in sys.stdin:
        run = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(run)
        print(json.dumps({"pid": pid}), flush=True)
        _pid, status = os.waitpid(pid, 0)
        print(json.dumps({"status": status}), flush=True)


if __name__ == "__main__":
    main()
