"""One timed unlock through the app's own windows, in a process of its own (benchmarks/unlock.py).

`python -m benchmarks.unlock_session DB LOGIN` with the passphrase in BENCH_PASSPHRASE, on Qt's
offscreen platform. The app controller starts as the app does and shows the unlock window; once
the window has read who can sign in, the key derivation alone is timed (the baseline), then the
passphrase is typed and Unlock pressed, and the clock runs until the main window is built and
the tab in front (the Overview) has shown its first load: the window is then ready, and the
other tabs load behind it, one at a time (ui/main_window.py). The run goes on until every tab
has loaded, and reports that moment too. Python's cycle collector runs as in the app (run_gui):
on the UI thread's timer. Prints one line of JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from keyring.backends import fail
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from prevent_desktop import app as app_module
from prevent_desktop.app import AppController, use_uk_locale
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.keyslots import KeyFile, derive_key_encryption_key
from prevent_desktop.ui.garbage_collector import MainThreadGarbageCollector

KDF_REPEATS = 3
POLL_MS = 5
TIMEOUT_MS = 600_000


def wait_until(done: Callable[[], bool], what: str) -> None:
    """Run the event loop until `done()`: asked every few milliseconds from inside Qt's own
    loop, which waits without holding Python's lock, so the worker thread is not slowed."""
    if done():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError(f"gave up waiting for {what}")


def kdf_times(db: Path, login: str, passphrase: str) -> list[float]:
    slot = KeyFile.for_database(db).slot_for_login(login)
    times = []
    for _ in range(KDF_REPEATS):
        start = time.perf_counter()
        derive_key_encryption_key(passphrase, slot.salt, slot.kdf)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    db, login = Path(sys.argv[1]), sys.argv[2]
    passphrase = os.environ["BENCH_PASSPHRASE"]
    use_uk_locale()
    _application = QApplication(sys.argv[:1])  # kept alive for the whole session
    # Python's cycle collector on the UI thread's timer, as run_gui has it: left to itself it
    # runs full collections in the worker, mid-load, which the app never does.
    collector = MainThreadGarbageCollector()
    collector.start()
    loaded_at: dict[str, float] = {}
    windows: list[Any] = []

    real_main_window = app_module._real_main_window

    def main_window(worker: Any, workspace: Any, keychain: Any) -> Any:
        window = real_main_window(worker, workspace, keychain)
        loaded_at["main window built"] = time.perf_counter()
        # Connected before control returns to the event loop, so no first load is missed.
        for tab in window.tabs:
            tab.loaded.connect(
                lambda name=tab.title: loaded_at.setdefault(name, time.perf_counter())
            )
        windows.append(window)
        return window

    # The app's own main window, watched: the controller is left to build it as it would
    # (with a factory of its own it would take the window for a test's stand-in).
    app_module._real_main_window = main_window
    # No keychain: the benchmark must never touch the real one, and a remembered sign-in
    # would skip the passphrase.
    no_keychain = Keychain(backend=fail.Keyring())  # type: ignore[no-untyped-call]
    controller = AppController(db, keychain=no_keychain)
    controller.start()
    unlock = controller.unlock_window
    assert unlock is not None
    wait_until(lambda: not unlock.busy, "the unlock window to read the users")
    if unlock.error_text:
        raise RuntimeError(unlock.error_text)
    kdf = kdf_times(db, login, passphrase)

    unlock.ui.userCombo.setCurrentText(login)
    unlock.ui.passphraseEdit.setText(passphrase)
    started = time.perf_counter()
    unlock.unlock()
    wait_until(lambda: bool(windows) or bool(unlock.error_text), "the main window")
    if unlock.error_text:
        raise RuntimeError(unlock.error_text)
    tabs = [tab.title for tab in windows[0].tabs]
    front = windows[0].ui.tabs.currentWidget().title
    wait_until(lambda: all(t in loaded_at for t in tabs), "every tab's first load")
    # As each load was shown, not when polled.
    ready, finished = loaded_at[front], max(loaded_at[t] for t in tabs)
    print(
        json.dumps(
            {
                "kdf": kdf,
                "ready": ready - started,
                "every_tab": finished - started,
                "moments": {name: at - started for name, at in loaded_at.items()},
            }
        ),
        flush=True,
    )
    controller.shutdown()
    collector.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
