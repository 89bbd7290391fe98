"""Nothing in clear at rest (issue 10, item 4).

A scripted session with the demo data, through real processes: the demo, a check, a wrong and
a right passphrase, a backup and a restore, the head-office settings, a laptop bundle, an ad hoc
bundle, a quarterly return, a pairing file, reports, a lead's session that logs the way the app
does, and a write whose process is killed before it closes the database (so the WAL and its
index are left holding the newest data). Then every file the session left in the data folder
(database, WAL, index, key files, attempts, logs), the backups, the bundles, a dedicated
temporary folder and a dedicated home folder is searched, as raw bytes, for every name and
piece of concern text the demo is made of, and for the session's own strings.

Reports are not searched: they are the plaintext the user asked for (the CLI and the save dialog
say so), kept outside the searched folders. They, what the lead reads back through the services
and an unencrypted copy of the database prove instead that the search finds what it looks for.

Key files hold each user's login in clear, by design (a slot is found by login before anything
can be decrypted). A login made from a surname ("amorgan") therefore shows a demo name: the main
search leaves login values out; docs/SECURITY.md states the exception.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlcipher3

from tests.conftest import PASSPHRASE

# About 17 processes and 25 s: `-m "not slow"` skips it; `make test` and CI run it.
pytestmark = pytest.mark.slow

# Ciphertext is random: a 5-byte needle turns up in it by chance once in 2^40 positions, and a
# 6-byte one compared without case once in 2^42. So name parts shorter than 5 are left to the
# full names, 5-byte needles are compared with case and not in ciphertext (databases, WALs,
# bundles; the full names still are), and only needles of 6 or more are compared without case:
# over the ~4 MB of ciphertext searched, a chance match comes about once in 50,000 runs.
SHORTEST_NEEDLE = 5
SHORTEST_CASELESS_NEEDLE = 6
CIPHERTEXT_KINDS = ("SQLCipher", "age-encrypted")
SHORTEST_TEXT_PIECE = 12
PAGE_SIZE = 4096
WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
AGE_HEADER = b"age-encryption.org/v1\n"
SEARCHED_FOLDERS = ("data", "bundles", "tmp", "home")
LEAD = "pshah"  # the demo's safeguarding lead, who reads every concern

# The session's own strings (in no demo source), written by the processes below.
MARKER_NAME = "Zephyrine Quillfeather"
MARKER_REFERENCE = "RAC-7Q3X9"
MARKER_ACCOUNT = "Zephyrine drew a wolfram-blue banner and hummed the marker tune at rest"
MARKER_STAFF = "Bartholomew Quenby-Vashti"
MARKER_ENTRY = "Telephoned the aunt about the periwinkle allotment rota (marker entry)"


# ---- the needles ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Needle:
    text: str
    what: str

    def variants(self) -> Iterator[tuple[str, bytes, bool]]:
        """(encoding, bytes, caseless) for each way the text may be stored."""
        caseless = len(self.text) >= SHORTEST_CASELESS_NEEDLE
        seen: set[bytes] = set()
        for encoding, raw in (
            ("UTF-8", self.text.encode("utf-8")),
            ("UTF-16-LE", self.text.encode("utf-16-le")),
            ("JSON-escaped", json.dumps(self.text)[1:-1].encode("ascii")),
        ):
            if raw not in seen:
                seen.add(raw)
                yield encoding, raw.lower() if caseless else raw, caseless


def _pieces(text: str) -> list[str]:
    """A text, its sentences and its quoted parts: a store that escapes quotes or keeps only an
    excerpt (a list's preview) still shows a piece."""
    parts = re.split(r'["\n\\]|(?<=[.;:!?])\s+', text)
    pieces = [text.strip(), *(part.strip(" .,;:") for part in parts)]
    return [piece for piece in dict.fromkeys(pieces) if len(piece) >= SHORTEST_TEXT_PIECE]


def _name_needles(name: str, what: str) -> list[Needle]:
    """A full name and each of its parts long enough to search for alone."""
    parts = [part.strip("()") for part in name.split()]
    return [
        Needle(text, what)
        for text in dict.fromkeys([name, *parts])
        if len(text) >= SHORTEST_NEEDLE and text[:1].isupper()
    ]


def demo_needles() -> list[Needle]:
    """Everything about people that the small demo writes, taken from its own source."""
    from prevent_desktop.domain.concern import SubjectKind
    from prevent_desktop.services import demo, demo_concerns, demo_incidents, demo_training

    needles: list[Needle] = []
    for _login, name in [demo.DEMO_MANAGER, *((u[0], u[1]) for u in demo.DEMO_USERS)]:
        needles += _name_needles(name, "user's name (services/demo.py)")
    for name, *_rest in [*demo_training.DEMO_STAFF, demo_training.LEAVER]:
        needles += _name_needles(name, "staff member's name (services/demo_training.py)")
        needles.append(
            Needle(demo_training._email(name), "staff member's email (services/demo_training.py)")
        )
    for name, _organisation, phone in demo_incidents.LOCAL_CONTACTS.values():
        needles += _name_needles(name, "local contact's name (services/demo_incidents.py)")
        needles.append(Needle(phone, "local contact's phone (services/demo_incidents.py)"))
    for _risk, _description, owner, *_rest in demo._ACTIONS:
        needles += _name_needles(owner, "action owner's name (services/demo.py)")

    where = "(services/demo_concerns.py)"
    people = {}
    for concern in demo_concerns.DEMO_CONCERNS:
        people[concern.person.display()] = concern.person
        texts = [
            concern.account,
            concern.location,
            concern.context,
            concern.others,
            concern.person.description,
            *(why for _day, _step, why in concern.steps),
            *(body for _day, _kind, body in concern.entries),
            concern.correction or "",
        ]
        for text in texts:
            needles += [Needle(piece, f"concern text {where}") for piece in _pieces(text)]
        if concern.referral is not None:
            needles.append(Needle(concern.referral[2], f"referral reference {where}"))
        if concern.attachment is not None:
            file_name, content = concern.attachment
            needles.append(Needle(file_name, f"attachment's name {where}"))
            needles += [
                Needle(piece, f"attachment's content {where}")
                for piece in _pieces(content.decode())
            ]
    for person in people.values():
        if person.kind is SubjectKind.APPRENTICE:
            needles += _name_needles(person.name, f"young person's name {where}")
        for detail in (person.learner_reference, person.employer, person.programme):
            if len(detail) >= SHORTEST_NEEDLE:
                needles.append(Needle(detail, f"young person's details {where}"))
        if person.date_of_birth is not None:
            born = person.date_of_birth
            for text in (born.isoformat(), f"{born:%d/%m/%Y}"):
                needles.append(Needle(text, f"young person's date of birth {where}"))
    return needles


def session_needles(site_name: str) -> list[Needle]:
    """The site's name (from the demo command's own output) and the session's own strings."""
    ours = "written by this session"
    return [
        Needle(site_name, "the demo site's name"),
        *_name_needles(MARKER_NAME, f"young person's name {ours} (killed process)"),
        Needle(MARKER_REFERENCE, f"learner reference {ours} (killed process)"),
        Needle(MARKER_ACCOUNT, f"concern account {ours} (killed process)"),
        *_name_needles(MARKER_STAFF, f"staff member's name {ours} (killed process)"),
        Needle(MARKER_ENTRY, f"chronology entry {ours} (logged session)"),
    ]


def all_needles(site_name: str) -> list[Needle]:
    unique: dict[str, Needle] = {}
    for needle in [*demo_needles(), *session_needles(site_name)]:
        unique.setdefault(needle.text, needle)
    return list(unique.values())


@dataclasses.dataclass(frozen=True)
class Hit:
    file: str
    needle: Needle
    encoding: str
    offset: int

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.needle.text!r} ({self.needle.what}) "
            f"in {self.encoding} at byte {self.offset}"
        )


def search(
    files: dict[str, bytes], needles: list[Needle], ciphertext: frozenset[str] = frozenset()
) -> list[Hit]:
    """Each needle found in each file (its first variant and place); in the `ciphertext` files,
    only needles long enough not to turn up by chance."""
    hits: list[Hit] = []
    for name, content in files.items():
        lowered = content.lower()
        for needle in needles:
            if name in ciphertext and len(needle.text) < SHORTEST_CASELESS_NEEDLE:
                continue
            for encoding, raw, caseless in needle.variants():
                offset = (lowered if caseless else content).find(raw)
                if offset >= 0:
                    hits.append(Hit(name, needle, encoding, offset))
                    break
    return hits


def key_file_to_search(content: bytes) -> bytes:
    """A key file with two kinds of value blanked out, at the same length: each slot's
    "login" (in clear by design: see the last test), and each base64 value (salts,
    nonces, wrapped keys), in which a short name would turn up by chance about once in 2,000
    runs. A string with a space in it is never base64, so no text is blanked with them."""
    logins = {slot["login"] for slot in json.loads(content)["slots"]}

    def stars(quoted: bytes) -> bytes:
        return b'"' + b"*" * (len(quoted) - 2) + b'"'

    def login(match: re.Match[bytes]) -> bytes:
        assert json.loads(match[1]) in logins, match[1]
        return b'"login": ' + stars(match[1])

    def encoded(match: re.Match[bytes]) -> bytes:
        try:
            binary = base64.b64encode(base64.b64decode(match[1], validate=True)) == match[1]
        except ValueError:
            binary = False
        return stars(match[0]) if binary else match[0]

    content = re.sub(rb'"login": ("(?:[^"\\]|\\.)*")', login, content)
    return re.sub(rb'"([A-Za-z0-9+/]{16,}={0,2})"', encoded, content)


# ---- what each file is ---------------------------------------------------------------------


def file_kind(relative: str, content: bytes) -> str:
    """Name the kind of a file the session left, checking that its bytes are what the name
    says. An unknown kind fails the test: a new kind of file at rest needs a look."""
    name = relative.rsplit("/", 1)[-1]

    def sqlcipher(kind: str) -> str:
        assert not content.startswith(b"SQLite format 3"), f"{relative} is plain SQLite"
        assert content and len(content) % PAGE_SIZE == 0, f"{relative}: not whole pages"
        return kind

    def json_format(expected: str) -> str:
        assert json.loads(content)["format"] == expected, relative
        return f"JSON ({expected})"

    if name.endswith(".lock"):
        assert content == b"", f"{relative}: a lock file with content"
        return "lock file (empty)"
    if name.endswith(".keys"):
        return json_format("prevent-desktop-keyslots")
    if name.endswith(".attempts"):
        return json_format("prevent-desktop-attempts")
    if name.endswith("-wal"):
        assert content[:4] in WAL_MAGIC, f"{relative}: not a WAL"
        return "SQLCipher WAL"
    if name.endswith("-shm"):
        return "SQLite WAL index (shm)"
    if name.endswith((".pdbundle", ".pdpair")):
        assert content.startswith(AGE_HEADER), f"{relative}: not an age file"
        return f"age-encrypted {name.rsplit('.', 1)[-1]}"
    if relative.startswith("data/logs/") and name.startswith("prevent-desktop.log"):
        content.decode("utf-8")
        return "log (text)"
    if name == "prevent.db":
        return sqlcipher("SQLCipher database")
    if re.fullmatch(r"prevent\.db\.replaced-\d{8}T\d{6}", name):
        return sqlcipher("SQLCipher database kept by restore")
    if relative.startswith("data/backups/") and name.endswith((".pdbak", ".db")):
        return sqlcipher("SQLCipher backup")
    return "unknown"


# ---- the session ---------------------------------------------------------------------------


class Runner:
    """Real processes, as in tests/cli/conftest.py, with their temporary folder and home
    redirected into folders of their own so that whatever they leave there is searched."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.db = self.data / "prevent.db"
        temporary, home = root / "tmp", root / "home"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PREVENT_DESKTOP_PASSPHRASE")
        }
        self.env.update(
            PREVENT_DESKTOP_KDF="fast",
            PREVENT_DESKTOP_PASSPHRASE=PASSPHRASE,
            TMPDIR=str(temporary),
            TEMP=str(temporary),
            TMP=str(temporary),
            SQLITE_TMPDIR=str(temporary),
            HOME=str(home),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_STATE_HOME=str(home / ".local" / "state"),
            QT_QPA_PLATFORM="offscreen",
        )
        for folder in (*(root / name for name in SEARCHED_FOLDERS), root / "reports"):
            folder.mkdir(parents=True, exist_ok=True)

    def cli(self, *args: str, passphrase: str = PASSPHRASE, code: int = 0) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "prevent_desktop", "--data-dir", str(self.data), *args],
            capture_output=True,
            text=True,
            env={**self.env, "PREVENT_DESKTOP_PASSPHRASE": passphrase},
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert completed.returncode == code, (args, completed.stdout, completed.stderr)
        return completed.stdout

    def python(self, code: str, *args: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=self.env,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout


# A lead's session as the app runs one: logging configured as run_gui does and the app's
# exception hook; a wrong passphrase, then a sign-in; every concern listed and opened (each
# opening is a logged write) with its attachments read; an entry added; and a bug whose message
# quotes a concern sent through the hook. Prints the log's path and the concerns' references.
LOGGED_SESSION = r"""
import json, os, sys, tempfile
from pathlib import Path

from prevent_desktop import paths
from prevent_desktop.domain.concern import EntryKind
from prevent_desktop.errors import WrongPassphrase
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.bug_dialog import ExceptionHook
from prevent_desktop.ui.logging_setup import configure_logging, stop_logging

data_dir, db, login, entry = sys.argv[1:5]
paths.set_data_dir(Path(data_dir))
log_file = configure_logging()
hook = ExceptionHook()
try:
    Workspace.sign_in(Path(db), login, "not the passphrase")
except WrongPassphrase as error:
    hook.handle(type(error), error, error.__traceback__)
workspace, _kek = Workspace.sign_in(Path(db), login, os.environ["PREVENT_DESKTOP_PASSPHRASE"])
references = {}
try:
    for summary in workspace.concerns.list_concerns():
        view = workspace.concerns.open_concern(summary.id)
        for attachment in view.attachments:
            workspace.concerns.read_attachment(attachment.id)
        references[view.details.person.display()] = summary.reference
        if view.attachments:
            workspace.concerns.add_entry(summary.id, EntryKind.NOTE, entry)
            try:
                try:
                    {}[view.details.person.name]
                except KeyError as missing:
                    raise ValueError(view.details.account) from missing
            except ValueError as error:
                hook.handle(type(error), error, error.__traceback__)
finally:
    workspace.close()
stop_logging()
print(json.dumps({"log": str(log_file), "tmp": tempfile.gettempdir(), "references": references}))
"""

# A lead logs a concern and adds a member of staff; the test then kills the process (SIGKILL)
# with the database open. SQLite checkpoints and deletes the WAL on a clean close: this is how
# the WAL and its index stay on disk holding data.
KILLED_WRITER = r"""
import os, sys, time
from datetime import UTC, date, datetime
from pathlib import Path

from prevent_desktop.domain.concern import ImmediateRisk, SubjectKind
from prevent_desktop.services.concern_views import ConcernDetails, ConcernInput, PersonDetails
from prevent_desktop.services.training_views import StaffInput
from prevent_desktop.services.workspace import Workspace

db, login, name, reference, account, staff = sys.argv[1:7]
workspace, _kek = Workspace.sign_in(Path(db), login, os.environ["PREVENT_DESKTOP_PASSPHRASE"])
person = PersonDetails(SubjectKind.APPRENTICE, name, learner_reference=reference)
workspace.concerns.log_concern(
    ConcernInput(
        observed_at=datetime.now(UTC),
        concern_type="Other",
        immediate_risk=ImmediateRisk.LOW,
        details=ConcernDetails(person=person, account=account, location="Workshop"),
    )
)
workspace.training.add_staff(StaffInput(staff, "Assessor", date.today(), "q@example.org"))
print("written", flush=True)
time.sleep(120)
"""


def _stranger_key() -> str:
    """Another laptop's or head office's public key, to encrypt to."""
    from pyrage import x25519

    return str(x25519.Identity.generate().to_public())


MARKERS = (MARKER_NAME, MARKER_REFERENCE, MARKER_ACCOUNT, MARKER_STAFF)


def _killed_write(run: Runner) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(run.db), LEAD, *MARKERS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=run.env,
    )
    try:
        assert writer.stdout is not None
        written = writer.stdout.readline().strip() == "written"
    finally:
        writer.kill()  # SIGKILL: no close, no checkpoint
        _out, err = writer.communicate(timeout=30)
    assert written, err


def run_session(run: Runner) -> tuple[str, Path]:
    """The scripted session; returns the site's name and the log file."""
    from prevent_desktop.domain.quarter import Quarter

    bundles, reports = run.root / "bundles", run.root / "reports"
    made = run.cli("demo")
    site = re.search(r"^Created demo database .* for (.+)$", made, re.MULTILINE)
    assert site is not None, made
    run.cli("check")
    run.cli("info", "--json")
    run.cli("info", "--user", "jbrown", passphrase="not the passphrase", code=3)
    run.cli("info", "--user", "jbrown")
    backup = run.data / "backups" / "before-restore.pdbak"
    run.cli("backup", "--out", str(backup))
    run.cli("restore", "--backup", str(backup))
    run.cli("head-office", "--key", _stranger_key(), "--policy", "full")
    lead = ("--user", LEAD)
    laptops = ("--out", str(bundles / "laptops.pdbundle"), "--recipient", _stranger_key())
    run.cli("export", *lead, *laptops)
    secret = run.root / "bundle-passphrase.txt"
    secret.write_text("a long ad hoc bundle passphrase\n")
    adhoc = ("--out", str(bundles / "adhoc.pdbundle"), "--bundle-passphrase-file", str(secret))
    run.cli("export", *lead, *adhoc)
    quarter = ("--quarter", str(Quarter.containing(date.today())))
    copies = ("--report-pdf", str(reports / "return.pdf"), "--report-xlsx", str(reports / "r.xlsx"))
    returned = ("--out", str(bundles / "return.pdbundle"))
    run.cli("export", *lead, "--to", "head-office", *quarter, *returned, *copies)
    run.cli("pair", *lead, "--out", str(bundles / "laptop-2.pdpair"))

    logged = json.loads(run.python(LOGGED_SESSION, str(run.data), str(run.db), LEAD, MARKER_ENTRY))
    assert logged["tmp"] == str(run.root / "tmp")  # the processes' temporary files come here
    reference = logged["references"]["Ryan Doyle"]
    run.cli("report", "concern", *lead, "--ref", reference, "--out", str(reports / "concern.pdf"))
    run.cli("report", "risk-register", "--out", str(reports / "register.csv"))
    run.cli("report", "training-matrix", "--out", str(reports / "training.pdf"))

    _killed_write(run)
    return site.group(1), Path(logged["log"])


# ---- reading it back, outside the searched folders -----------------------------------------


def _strings(value: object) -> Iterator[str]:
    """Every text in a service's view, dates as ISO and as UK dates."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, date | datetime):
        yield value.isoformat()
        yield value.strftime("%d/%m/%Y")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)


@dataclasses.dataclass(frozen=True)
class ReadBack:
    lead_read: str  # every concern as the lead reads it through the services
    plain_copy: bytes  # the database (its WAL applied) exported without encryption
    concern_rows: int  # with the WAL applied
    concern_rows_without_wal: int


def read_back(data: Path, into: Path) -> ReadBack:
    """Open copies of the database as the lead would, after the search: opening applies and
    checkpoints the WAL, which must not happen to the files searched."""
    from prevent_desktop.services.workspace import Workspace
    from prevent_desktop.store.engine import raw_key_literal

    into.mkdir()
    for name in ("prevent.db", "prevent.db-wal", "prevent.db-shm", "prevent.db.keys"):
        shutil.copyfile(data / name, into / name)
    (into / "no-wal").mkdir()
    shutil.copyfile(data / "prevent.db", into / "no-wal" / "prevent.db")
    workspace, _kek = Workspace.sign_in(into / "prevent.db", LEAD, PASSPHRASE)
    try:
        key = workspace.database.key
        texts: list[str] = []
        for summary in workspace.concerns.list_concerns():
            view = workspace.concerns.open_concern(summary.id, purpose=None)
            texts += _strings(view)
            for attachment in view.attachments:
                name, content = workspace.concerns.read_attachment(attachment.id)
                texts += [name, content.decode()]
    finally:
        workspace.close()

    def concern_rows(path: Path, export_to: Path | None = None) -> int:
        connection = sqlcipher3.connect(str(path), isolation_level=None)
        try:
            connection.execute(f'PRAGMA key = "{raw_key_literal(key)}"')
            if export_to is not None:
                connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(export_to),))
                connection.execute("SELECT sqlcipher_export('plain')")
                connection.execute("DETACH DATABASE plain")
            query = "SELECT count(*) FROM concern"
            return int(connection.execute(query).fetchone()[0])
        finally:
            connection.close()

    plain = into / "plain.db"
    with_wal = concern_rows(into / "prevent.db", plain)
    assert plain.read_bytes().startswith(b"SQLite format 3")
    return ReadBack(
        lead_read="\n".join(texts),
        plain_copy=plain.read_bytes(),
        concern_rows=with_wal,
        concern_rows_without_wal=concern_rows(into / "no-wal" / "prevent.db"),
    )


@dataclasses.dataclass
class Session:
    root: Path
    files: dict[str, bytes]  # every searched file's bytes, by path relative to root
    kinds: dict[str, str]
    needles: list[Needle]
    log_file: Path
    read_back: ReadBack


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    root = tmp_path_factory.mktemp("at-rest")
    run = Runner(root)
    site_name, log_file = run_session(run)
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for folder in SEARCHED_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }
    return Session(
        root=root,
        files=files,
        kinds={name: file_kind(name, content) for name, content in files.items()},
        needles=all_needles(site_name),
        log_file=log_file,
        read_back=read_back(run.data, root / "read-back"),
    )


def _searchable(session: Session) -> dict[str, bytes]:
    return {
        name: key_file_to_search(content) if name.endswith(".keys") else content
        for name, content in session.files.items()
    }


# ---- the tests -----------------------------------------------------------------------------


def test_the_session_left_every_kind_of_file_and_each_is_what_it_says(session: Session) -> None:
    assert [name for name, kind in session.kinds.items() if kind == "unknown"] == []
    found = set(session.kinds.values())
    for kind in (
        "SQLCipher database",
        "SQLCipher WAL",
        "SQLite WAL index (shm)",
        "JSON (prevent-desktop-keyslots)",
        "JSON (prevent-desktop-attempts)",
        "SQLCipher backup",
        "SQLCipher database kept by restore",
        "age-encrypted pdbundle",
        "age-encrypted pdpair",
        "log (text)",
    ):
        assert kind in found, kind
    assert sum(kind.startswith("age-encrypted") for kind in session.kinds.values()) == 4
    assert session.files["data/prevent.db-wal"], "the WAL is empty"
    assert session.log_file == session.root / "data" / "logs" / "prevent-desktop.log"
    log = session.files["data/logs/prevent-desktop.log"].decode()
    assert "Uncaught exception" in log and "message not logged" in log, log


def test_the_killed_write_was_in_the_wal_alone(session: Session) -> None:
    """So the WAL searched held the session's last concern, not just frames of old pages."""
    assert session.read_back.concern_rows == session.read_back.concern_rows_without_wal + 1
    assert MARKER_ACCOUNT in session.read_back.lead_read
    assert MARKER_ENTRY in session.read_back.lead_read


def test_no_demo_name_or_concern_text_in_any_file_at_rest(session: Session) -> None:
    ciphertext = frozenset(
        name for name, kind in session.kinds.items() if kind.startswith(CIPHERTEXT_KINDS)
    )
    hits = search(_searchable(session), session.needles, ciphertext)
    assert hits == [], "plaintext at rest:\n" + "\n".join(map(str, hits))


def test_the_search_finds_every_needle_in_the_plaintext(session: Session) -> None:
    """Not vacuous: what the lead reads, an unencrypted copy of the database and the reports
    (plaintext by request) show every needle to the same search."""
    from pypdf import PdfReader

    reports = session.root / "reports"
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(reports / "concern.pdf").pages)
    plaintext = {
        "read by the lead": session.read_back.lead_read.encode(),
        "unencrypted copy": session.read_back.plain_copy,
        "register.csv": (reports / "register.csv").read_bytes(),
    }
    found = {hit.needle.text for hit in search(plaintext, session.needles)}
    assert [n.text for n in session.needles if n.text not in found] == []
    # The byte search reads SQLite pages and a report's text as it reads the files at rest.
    staff = [n for n in session.needles if n.what.startswith("staff member's name")]
    assert len(search({"copy": session.read_back.plain_copy}, staff)) == len(staff)
    assert search({"report": pdf_text.encode()}, [Needle("Ryan Doyle", "name")])
    assert len(session.needles) > 150


def test_key_files_show_logins_and_no_other_part_of_a_name(session: Session) -> None:
    """Logins are in clear in key files by design: a slot is found by login before anything
    can be decrypted, and the unlock window lists who can sign in (docs/SECURITY.md says so,
    and that a site wanting no staff name on disk chooses logins without one). The demo's
    logins are made from surnames ("amorgan"). Apart from the logins, no part of a user's
    name is in a key file: the key files are plain JSON, so even short parts are looked for."""
    from prevent_desktop.services import demo

    users = [demo.DEMO_MANAGER[1], *(user[1] for user in demo.DEMO_USERS)]
    parts = {part.casefold() for name in users for part in name.split() if len(part) >= 4}
    keys = {name: content for name, content in session.files.items() if name.endswith(".keys")}
    assert len(keys) >= 3  # the database's, the backup's and the restored-over copy's
    shown = [
        f"{file}: {part!r}"
        for file, content in keys.items()
        for part in sorted(parts)
        if part.encode() in key_file_to_search(content).lower()
    ]
    assert shown == [], "\n".join(shown)
