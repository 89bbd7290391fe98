"""Guessing passphrases at the laptop: a growing wait after wrong ones (issue 10, item 5).

Real encrypted databases and real key files; only the clock is moved, so that a five-minute
wait does not take five minutes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from prevent_desktop.errors import (
    ExitCode,
    PassphraseThrottled,
    ReadOnlyLocation,
    WrongPassphrase,
)
from prevent_desktop.services.access import reset_access
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import guess_throttle, keyslots
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import DEFAULT_KDF, KdfParams, KeyFile
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, STAFF_PASSPHRASE, create_site
from tests.unit.concern_support import ACCOUNT, sample_input
from tests.unit.test_full_and_readonly_media import mounted_tmpfs

WRONG = "not the passphrase at all"


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(guess_throttle, "clock", fake)
    yield fake


def _guess(path: Path, login: str, passphrase: str) -> None:
    database, _user_id, _kek = Database.unlock(path, login, passphrase, verify_pages=False)
    database.close()


def _wrong(path: Path, login: str = "sam") -> WrongPassphrase:
    with pytest.raises(WrongPassphrase) as caught:
        _guess(path, login, WRONG)
    return caught.value


def _counts(path: Path) -> dict[str, dict[str, float]]:
    file = guess_throttle.attempts_path(path)
    return json.loads(file.read_text())["users"] if file.exists() else {}


def test_the_wait_doubles_from_the_third_wrong_passphrase_up_to_five_minutes() -> None:
    waits = [guess_throttle.wait_after(failures) for failures in range(14)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3:10] == [2, 4, 8, 16, 32, 64, 128]
    assert waits[10:] == [256, 300, 300, 300]


def test_three_wrong_passphrases_then_a_wait_that_refuses_even_the_right_one(
    created_db: Path, clock: Clock
) -> None:
    first, second = _wrong(created_db), _wrong(created_db)
    assert first.retry_after == second.retry_after == 0
    assert "in a row" not in first.message

    third = _wrong(created_db)
    assert third.retry_after == 2
    assert "3 wrong passphrases in a row: wait 2 seconds before trying again" in third.message

    # Within the wait, the right passphrase is not even tried.
    clock.now += 1.5
    with pytest.raises(PassphraseThrottled) as refused:
        _guess(created_db, "sam", PASSPHRASE)
    assert "wait 1 second before trying again" in refused.value.message
    assert refused.value.exit_code == ExitCode.WRONG_SECRET
    assert next(iter(_counts(created_db).values()))["failures"] == 3  # a refusal is no try

    clock.now += 0.5
    _guess(created_db, "sam", PASSPHRASE)
    assert _counts(created_db) == {}  # the right passphrase clears the count


def test_each_further_wrong_passphrase_doubles_the_wait(created_db: Path, clock: Clock) -> None:
    seen = []
    for _ in range(7):
        error = _wrong(created_db)
        seen.append(error.retry_after)
        clock.now += error.retry_after
    assert seen == [0, 0, 2, 4, 8, 16, 32]
    assert "8 wrong passphrases in a row: wait 1 minute 4 seconds" in _wrong_message(created_db)


def _wrong_message(path: Path) -> str:
    return _wrong(path).message


def test_the_wait_is_per_user(workspace: Workspace, clock: Clock) -> None:
    path = workspace.database.path
    for _ in range(3):
        _wrong(path, "tom")
    with pytest.raises(PassphraseThrottled):
        _guess(path, "tom", WRONG)
    _guess(path, "dana", LEAD_PASSPHRASE)  # another user is not held up


def test_a_clock_set_back_never_makes_the_wait_longer(created_db: Path, clock: Clock) -> None:
    for _ in range(3):
        _wrong(created_db)
    clock.now -= 86_400
    with pytest.raises(PassphraseThrottled) as refused:
        _guess(created_db, "sam", PASSPHRASE)
    assert refused.value.retry_after <= 2


def test_re_entering_a_passphrase_when_signed_in_is_held_up_too(
    workspace: Workspace, clock: Clock
) -> None:
    """Someone at an unlocked laptop could otherwise guess through "show the recovery key"."""
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            workspace.recovery_key(WRONG)
    with pytest.raises(PassphraseThrottled):
        workspace.recovery_key(PASSPHRASE)
    clock.now += 2
    assert workspace.recovery_key(PASSPHRASE)


def test_a_new_passphrase_from_a_manager_or_the_recovery_key_clears_the_count(
    workspace: Workspace, clock: Clock
) -> None:
    path = workspace.database.path
    for _ in range(3):
        _wrong(path, "tom")
    tom = next(u for u in workspace.users.list_users() if u.login == "tom")
    workspace.users.reset_passphrase(tom.id, "a brand new one for tom 5")
    assert tom.id not in _counts(path)
    _guess(path, "tom", "a brand new one for tom 5")

    recovery = bytes.fromhex(workspace.database.recovery_key().replace("-", ""))
    workspace.close()
    for _ in range(3):
        _wrong(path, "sam")
    reset_access(path, recovery, "sam", "the manager starts again 9")
    _guess(path, "sam", "the manager starts again 9")


def test_a_damaged_count_file_is_started_afresh(created_db: Path, clock: Clock) -> None:
    guess_throttle.attempts_path(created_db).write_bytes(b"\x00not json")
    _wrong(created_db)
    assert next(iter(_counts(created_db).values()))["failures"] == 1
    _guess(created_db, "sam", PASSPHRASE)


def test_a_read_only_folder_keeps_the_count_in_memory(tmp_path: Path, clock: Clock) -> None:
    """A database on a read-only stick: no file can be written, and the wait still holds."""
    with mounted_tmpfs(tmp_path / "stick", "8m") as stick:
        create_site(stick / "site.db")
        subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
        try:
            for _ in range(3):
                _wrong(stick / "site.db")
            with pytest.raises(PassphraseThrottled):
                _guess(stick / "site.db", "sam", PASSPHRASE)
            clock.now += 2
            # The passphrase is now tried, and accepted; only then does the read-only folder
            # stop the database opening (SQLite needs to write its journal beside it).
            with pytest.raises(ReadOnlyLocation):
                _guess(stick / "site.db", "sam", PASSPHRASE)
            assert not guess_throttle.attempts_path(stick / "site.db").exists()
        finally:
            guess_throttle._in_memory.clear()


def test_a_slot_made_cheaper_is_strengthened_at_its_owners_next_sign_in(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raising DEFAULT_KDF must reach slots made before: each is re-wrapped when its owner
    next signs in, keeping the key pair and safeguarding key it holds."""
    path = workspace.database.path
    cheaper = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
    with monkeypatch.context() as patch:
        patch.setattr(keyslots, "FAST_KDF", cheaper)
        dana, _kek = Workspace.sign_in(path, "dana", LEAD_PASSPHRASE)
        dana.users.change_own_passphrase(LEAD_PASSPHRASE, LEAD_PASSPHRASE + " again")
        dana.close()
    before = KeyFile.for_database(path).slot_for_login("dana")
    assert before.kdf == cheaper
    tom = Workspace.sign_in(path, "tom", STAFF_PASSPHRASE)[0]
    concern_id = tom.concerns.log_concern(sample_input()).ids[0]
    tom.close()

    dana, kek = Workspace.sign_in(path, "dana", LEAD_PASSPHRASE + " again")
    after = KeyFile.for_database(path).slot_for_login("dana")
    assert after.kdf == keyslots.FAST_KDF and after.salt != before.salt
    assert after.personal_public == before.personal_public and after.owner_set
    assert dana.concerns.open_concern(concern_id).details.account == ACCOUNT
    dana.close()
    # The key-encryption key handed back (what a keychain remembers) is the new slot's.
    Workspace.sign_in_with_kek(path, "dana", kek).close()


def test_strengthening_never_undoes_a_reset_made_meanwhile(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process (a manager's `passwd --as`) may change the slot during the Argon2id
    of strengthening it: the reset stands."""
    path = workspace.database.path
    cheaper = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
    with monkeypatch.context() as patch:
        patch.setattr(keyslots, "FAST_KDF", cheaper)
        dana, _kek = Workspace.sign_in(path, "dana", LEAD_PASSPHRASE)  # as strong as any
        dana.users.change_own_passphrase(LEAD_PASSPHRASE, LEAD_PASSPHRASE + " again")
        dana.close()
        dana, _kek = Workspace.sign_in(path, "dana", LEAD_PASSPHRASE + " again")
    dana_id = dana.actor.user_id
    workspace.users.reset_passphrase(dana_id, "reset by the manager 77", force_last_holder=True)
    try:
        assert dana.users.strengthen_own_slot(LEAD_PASSPHRASE + " again") is None
    finally:
        dana.close()
    slot = KeyFile.for_database(path).slot_for_user(dana_id)
    assert slot is not None and not slot.owner_set  # the manager's reset, not undone
    Workspace.sign_in(path, "dana", "reset by the manager 77")[0].close()


def test_one_guess_costs_at_least_half_a_second_here() -> None:
    """The production Argon2id parameters, timed on the machine that runs the tests. A
    faster machine would fail this: the parameters must then rise. Noise only slows a guess,
    so this lower bound cannot fail by chance on a busy machine."""
    # In a fresh process, so that the suite's memory does not colour it.
    script = (
        "import statistics, time\n"
        "from prevent_desktop.store.keyslots import DEFAULT_KDF, derive_key_encryption_key\n"
        "times = []\n"
        "for _ in range(3):\n"
        "    start = time.perf_counter()\n"
        "    derive_key_encryption_key('a guess', b'0123456789abcdef', DEFAULT_KDF)\n"
        "    times.append(time.perf_counter() - start)\n"
        "print(min(times), statistics.median(times))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    fastest, median = float(out[0]), float(out[1])
    print(f"\nOne Argon2id guess ({DEFAULT_KDF}): fastest {fastest:.3f} s, median {median:.3f} s")
    assert fastest >= 0.5, f"one guess took only {fastest:.3f} s: raise DEFAULT_KDF"
