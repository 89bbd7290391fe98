"""One session of the tabs benchmark (benchmarks/tabs.py), in a process of its own.

`python -m benchmarks.tab_session DB LOGIN MODE [--profile STEP]...`, with the passphrase in
BENCH_PASSPHRASE, on Qt's offscreen platform. The app controller starts as the app does, the
passphrase is typed into the real unlock window (no keychain) and Unlock pressed; the real main
window is built. Once the Overview (the tab in front) has loaded and the page check that runs
beside the session has finished, the tabs are brought forward through `MainWindow.show_tab`,
as the Go menu does, and timed until the window has painted what they show. MODE is:

- `cold`: the main window's preloading is switched off in this process (MainWindow._preload_next
  does nothing), so every tab but the Overview is still stale when it is brought forward: each
  is timed from `show_tab` to its first rows on screen (the paint after its
  `first_rows_shown` signal, for a tab that shows the first rows of a long load while the rest
  is read, else after `loaded`), and to its `loaded` signal and the paint after it. Then
  every tab is brought forward three more times, now loaded: a pure switch and repaint (the
  baseline).
- `preloaded`: the app as it is: the other tabs load behind the Overview, one at a time; once
  none is stale, each is brought forward for the first time and timed to its paint (a first
  show with nothing to load). Between them an empty QWidget added to the same tab widget is
  brought forward (the baseline). Then a search text is typed into the concern log's and the
  training matrix's filter boxes one key at a time through pytest-qt's QtBot.keyClick
  (QTest), and each key timed until the view is filtered and painted; the same keys with the
  box's signals blocked (the box repaints, nothing filters) are the baseline.

Python's cycle collector runs as in the app (run_gui): on the UI thread's timer
(ui/garbage_collector.py), not wherever an allocation crosses a threshold.

"Painted" is the end of the last window update (QEvent.UpdateRequest on the main window, which
paints every dirty widget of the window into its backing store) that follows: events are
processed until two passes of the event loop in a row paint nothing more. The filters apply
synchronously on textChanged (no debounce timer), so each keystroke's figure is the key event,
the filtering and the repaints it causes.

Resident memory (VmRSS and VmHWM from /proc/self/status) is read when the unlock window has
read who can sign in (before unlocking), once the key has been derived (Argon2id's 256 MiB make
the unlock's own peak; the peak is then reset through /proc/self/clear_refs, so that VmHWM from
there on is the open session's), when the main window is ready, and after every tab has been
visited, and in cold sessions after each tab's first load. Prints one line of JSON.
`--profile cold:TAB`, `--profile show:TAB` or `--profile filter:TAB` (repeatable) runs cProfile
over that step (on the UI thread, and on the database
worker's thread for the tasks submitted during it) and prints the top entries to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from keyring.backends import fail
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qt_compat import qt_api

from prevent_desktop import app as app_module
from prevent_desktop.app import AppController, use_uk_locale
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.garbage_collector import MainThreadGarbageCollector

MODES = ("cold", "preloaded")
WARM_REPEATS = 3  # each loaded tab brought forward again this many times (cold mode)
TIMEOUT_MS = 600_000
PAINT_TIMEOUT_S = 30.0
PROFILE_LINES = 15
MB = 1_000_000  # memory figures are in MB of 10^6 bytes


# ---- waiting and painting ----------------------------------------------------------------------


def run_loop_until(done: Callable[[], bool], what: str, *signals: Any) -> None:
    """Run Qt's event loop until `done()`, checked whenever one of `signals` fires (and every
    50 ms as a safety net). The loop sleeps in Qt's dispatcher meanwhile: nothing busy-waits,
    so the worker thread is not slowed. Moments are taken by the signals' own handlers, never
    when this notices them."""
    if done():
        return
    loop = QEventLoop()

    def check(*_args: Any) -> None:
        if done():
            loop.quit()

    for signal in signals:
        signal.connect(check)
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(check)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    for signal in signals:
        signal.disconnect(check)
    if not done():
        raise TimeoutError(f"gave up waiting for {what}")


class PaintWatch(QObject):
    """Watches a top-level window's updates: each QEvent.UpdateRequest paints every dirty widget
    of the window; a zero timer started as it arrives fires once that painting is over, and
    notes the moment."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.updates = 0
        self.last_painted: float | None = None
        self._pending = 0
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:
            self.updates += 1
            self._pending += 1
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self._pending -= 1
        self.last_painted = time.perf_counter()

    def settle(self) -> float:
        """Process events until two passes in a row start no update and none is pending; the
        end of the last update's painting (or now, if nothing needed painting)."""
        self.last_painted = None
        quiet = 0
        deadline = time.perf_counter() + PAINT_TIMEOUT_S
        while quiet < 2:
            before = self.updates
            QApplication.processEvents()
            quiet = quiet + 1 if self.updates == before and self._pending == 0 else 0
            if time.perf_counter() > deadline:
                raise TimeoutError("the window kept repainting")
        return self.last_painted if self.last_painted is not None else time.perf_counter()


# ---- memory ------------------------------------------------------------------------------------


def memory() -> dict[str, float]:
    """Resident set now (VmRSS) and its peak so far (VmHWM), in MB."""
    status = Path("/proc/self/status")
    found: dict[str, float] = {}
    if status.exists():
        for line in status.read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) * 1024 / MB
        return {"rss": found["VmRSS"], "hwm": found["VmHWM"]}
    # Not Linux: only the peak is known (ru_maxrss is kB on Linux, bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = peak / MB if sys.platform == "darwin" else peak * 1024 / MB
    return {"rss": peak_mb, "hwm": peak_mb}


def reset_peak() -> bool:
    """Start VmHWM afresh from the current resident set (Linux: /proc/self/clear_refs "5");
    False where that cannot be done, and the peak then still holds the unlock's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# ---- profiling ---------------------------------------------------------------------------------


class Profiler:
    """cProfile over one step: the UI thread, and the worker thread's tasks submitted during
    it (the loads run there)."""

    def __init__(self, steps: list[str]) -> None:
        self.steps = steps

    @contextmanager
    def around(self, step: str, worker: Any) -> Iterator[None]:
        if step not in self.steps:
            yield
            return
        self.step = step
        self.ui = cProfile.Profile()
        self.worker = cProfile.Profile()
        real_submit = worker.submit
        profile = self.worker

        def submit(task: Callable[[Any], Any], *args: Any, **kwargs: Any) -> Any:
            return real_submit(lambda context: profile.runcall(task, context), *args, **kwargs)

        worker.submit = submit
        self.ui.enable()
        try:
            yield
        finally:
            self.ui.disable()
            worker.submit = real_submit
            self.report()

    def report(self) -> None:
        for name, profile in (("UI thread", self.ui), ("worker thread", self.worker)):
            out = io.StringIO()
            try:
                stats = pstats.Stats(profile, stream=out)
            except TypeError:  # nothing was recorded on that thread
                continue
            stats.sort_stats("cumulative").print_stats(PROFILE_LINES)
            print(f"==== profile of {self.step}: {name} ====\n{out.getvalue()}", file=sys.stderr)


# ---- the session -------------------------------------------------------------------------------


class Session:
    def __init__(self, db: Path, login: str, passphrase: str, mode: str, profile: list[str]):
        self.db, self.login, self.passphrase, self.mode = db, login, passphrase, mode
        self.profiler = Profiler(profile)
        self.loads: dict[str, list[float]] = {}  # each tab's loaded signals, as they came
        self.windows: list[Any] = []
        self.result: dict[str, Any] = {"mode": mode, "login": login}

    def start(self) -> None:
        real_main_window = app_module._real_main_window
        if self.mode == "cold":
            # In this process only: no tab loads behind the one in front.
            from prevent_desktop.ui.main_window import MainWindow

            def no_preload(self: MainWindow) -> None:
                """Nothing: every tab but the one in front stays stale until brought forward."""

            MainWindow._preload_next = no_preload  # type: ignore[method-assign]

        def main_window(worker: Any, workspace: Any, keychain: Any) -> Any:
            # The key derivation (Argon2id, 256 MiB) is over: its peak is the unlock's, not
            # the open database's. Noted, then the peak is measured afresh from here.
            self.result["memory_unlocked"] = memory()
            self.result["peak_reset"] = reset_peak()
            window = real_main_window(worker, workspace, keychain)
            for tab in window.tabs:  # connected before any load can be shown
                tab.loaded.connect(
                    lambda name=tab.title: self.loads.setdefault(name, []).append(
                        time.perf_counter()
                    )
                )
            self.windows.append(window)
            return window

        app_module._real_main_window = main_window
        # No keychain: never the real one, and no remembered sign-in skipping the passphrase.
        no_keychain = Keychain(backend=fail.Keyring())  # type: ignore[no-untyped-call]
        self.controller = AppController(self.db, keychain=no_keychain)
        self.controller.start()
        unlock = self.controller.unlock_window
        assert unlock is not None
        run_loop_until(lambda: not unlock.busy, "the unlock window to read the users")
        if unlock.error_text:
            raise RuntimeError(unlock.error_text)
        # The worker's loading of the session's modules is queued behind the user list:
        # let it finish, so that the baseline is the unlock window with nothing running.
        self.settle_worker()
        self.result["memory_unlock_window"] = memory()

        unlock.ui.userCombo.setCurrentText(self.login)
        unlock.ui.passphraseEdit.setText(self.passphrase)
        started = time.perf_counter()
        unlock.unlock()
        run_loop_until(lambda: bool(self.windows) or bool(unlock.error_text), "the main window")
        if unlock.error_text:
            raise RuntimeError(unlock.error_text)
        self.window = self.windows[0]
        self.tabs = list(self.window.tabs)
        front = self.window.ui.tabs.currentWidget()
        run_loop_until(lambda: front.title in self.loads, "the tab in front", front.loaded)
        self.result["ready"] = self.loads[front.title][0] - started
        if self.mode == "preloaded":
            run_loop_until(
                lambda: (
                    all(t.title in self.loads and not t.stale for t in self.tabs)
                    and self.window._preloading is None
                ),
                "every tab's preload",
                *(t.loaded for t in self.tabs),
            )
            self.result["preloaded"] = max(self.loads[t.title][0] for t in self.tabs) - started
        page_check = self.controller._page_check
        run_loop_until(
            lambda: page_check is None or page_check.finished, "the page check beside the session"
        )
        self.result["page_check_done"] = time.perf_counter() - started
        self.settle_worker()
        self.watch = PaintWatch(self.window)
        self.watch.settle()
        self.result["memory_ready"] = memory()
        size = self.window.size()
        self.result["window"] = [size.width(), size.height()]
        self.result["tabs"] = [t.title for t in self.tabs]

    def settle_worker(self) -> None:
        """Wait, in the event loop, until the database worker has nothing queued or running."""
        worker = self.controller.worker
        run_loop_until(lambda: not worker._jobs, "the worker to finish its tasks")

    # ---- tabs --------------------------------------------------------------------------------

    def show(self, widget: QWidget) -> float:
        """Bring `widget` forward (a loaded tab, or the blank page) and time it to its paint."""
        self.watch.settle()
        started = time.perf_counter()
        tabs = self.window.ui.tabs
        if widget in self.tabs:
            self.window.show_tab(widget)
        else:
            tabs.setCurrentWidget(widget)
        assert tabs.currentWidget() is widget
        assert not getattr(widget, "stale", False), "a loaded tab was expected"
        return self.watch.settle() - started

    def show_cold(self, tab: Any) -> dict[str, float]:
        """Bring a stale tab forward: time to its first rows (`first_rows_shown`, for a tab
        that shows them while the rest loads) or its `loaded`, whichever comes first, and the
        paint after it; then to `loaded` and the paint after that."""
        assert tab.stale, f"{tab.title} was expected stale (preloading off)"
        self.watch.settle()
        count = len(self.loads.get(tab.title, []))
        firsts: list[float] = []

        def first_rows() -> None:
            firsts.append(time.perf_counter())

        def is_loaded() -> bool:
            return len(self.loads.get(tab.title, [])) > count

        tab.first_rows_shown.connect(first_rows)
        started = time.perf_counter()
        try:
            with self.profiler.around(f"cold:{tab.title}", self.controller.worker):
                self.window.show_tab(tab)
                run_loop_until(
                    lambda: bool(firsts) or is_loaded(),
                    f"{tab.title}'s first rows",
                    tab.loaded,
                    tab.first_rows_shown,
                )
                first_painted = self.watch.settle()
                run_loop_until(is_loaded, f"{tab.title}", tab.loaded)
                painted = self.watch.settle()
        finally:
            tab.first_rows_shown.disconnect(first_rows)
        loaded = self.loads[tab.title][count]
        first = min([*firsts[:1], loaded])
        return {
            "first": max(first_painted, first) - started,
            "loaded": loaded - started,
            "shown": max(painted, loaded) - started,
        }

    def measure_cold(self) -> None:
        cold: dict[str, dict[str, float]] = {}
        memory_after: dict[str, dict[str, float]] = {}
        for tab in self.tabs[1:]:
            cold[tab.title] = self.show_cold(tab)
            memory_after[tab.title] = memory()
        self.result["memory_after_load"] = memory_after
        again: dict[str, list[float]] = {t.title: [] for t in self.tabs}
        for _ in range(WARM_REPEATS):
            for tab in self.tabs:
                if tab is self.window.ui.tabs.currentWidget():
                    continue
                again[tab.title].append(self.show(tab))
        self.result["cold"] = cold
        self.result["again"] = {name: statistics.median(t) for name, t in again.items() if t}

    def measure_preloaded(self) -> None:
        blank = QWidget()
        self.window.ui.tabs.addTab(blank, "Benchmark blank")
        first: dict[str, float] = {}
        blanks: list[float] = []
        for tab in self.tabs[1:]:
            with self.profiler.around(f"show:{tab.title}", self.controller.worker):
                first[tab.title] = self.show(tab)
            blanks.append(self.show(blank))
        self.show(self.tabs[0])
        blanks.append(self.show(blank))
        self.result["first_show"] = first
        self.result["blank"] = blanks
        self.result["filters"] = {
            "Concern log": self.type_in(self.tab_titled("Concern log"), concern_texts),
            "Training matrix": self.type_in(self.tab_titled("Training matrix"), training_texts),
        }

    def tab_titled(self, title: str) -> Any:
        return next(t for t in self.tabs if t.title == title)

    # ---- filters -----------------------------------------------------------------------------

    def type_in(self, tab: Any, texts_of: Callable[[Any], list[str]]) -> dict[str, Any]:
        """Type each text into the tab's search box and delete it again, one key at a time,
        timing each key to the paint; then the same keys with the box's signals blocked."""
        self.show(tab)
        edit: QLineEdit = tab.filter_bar.search_edit
        self.window.activateWindow()
        edit.setFocus()
        texts = texts_of(tab)
        shown_before = tab.proxy.rowCount()
        filtered: list[float] = []
        unfiltered: list[float] = []
        rows: list[int] = []
        with self.profiler.around(f"filter:{tab.title}", self.controller.worker):
            for text in texts:
                filtered += self.type_and_delete(edit, text, rows, tab)
        for text in texts:
            edit.blockSignals(True)
            try:
                unfiltered += self.type_and_delete(edit, text, [], tab)
            finally:
                edit.clear()
                edit.blockSignals(False)
        assert tab.proxy.rowCount() == shown_before, "the filter should show every row again"
        return {
            "texts": texts,
            "keys": filtered,
            "baseline_keys": unfiltered,
            "rows_total": shown_before,
            "rows_shown_min": min(rows) if rows else None,
        }

    def type_and_delete(self, edit: QLineEdit, text: str, rows: list[int], tab: Any) -> list[float]:
        times = []
        keys: list[Any] = [*text, *([Qt.Key.Key_Backspace] * len(text))]
        for key in keys:
            self.watch.settle()
            started = time.perf_counter()
            qt_api.QtTest.QTest.keyClick(edit, key)  # what pytest-qt's QtBot.keyClick calls
            times.append(self.watch.settle() - started)
            rows.append(tab.proxy.rowCount())
        assert edit.text() == "", f"the search box should be empty again, not {edit.text()!r}"
        return times


# ---- what to type ------------------------------------------------------------------------------


def _middle(items: list[Any]) -> Any:
    return items[len(items) // 2]


def concern_texts(tab: Any) -> list[str]:
    """A reporter's name, a type of concern and a reference from the log itself (and for a
    lead, who a concern is about): what someone looking for a concern types."""
    model = tab.model
    rows = [model.row_item(model.index(r, 0)) for r in range(model.rowCount())]
    if not rows:
        return []
    one, other = _middle(rows), rows[len(rows) // 3]
    texts = [one.reported_by_name.lower(), other.concern_type.lower(), one.reference.lower()]
    if one.person:
        texts.append(one.person.lower())
    return texts


def training_texts(tab: Any) -> list[str]:
    """A name, a surname and the start of an email address from the matrix."""
    model = tab.model
    staff = [model.staff(r) for r in range(model.rowCount())]
    active = [s for s in staff if s.active] or staff
    if not active:
        return []
    one, other = _middle(active), active[len(active) // 3]
    surname = other.name.split()[-1].lower()
    return [one.name.lower(), surname, other.email.split("@")[0].lower()]


# ---- main --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tab_session")
    parser.add_argument("db", type=Path)
    parser.add_argument("login")
    parser.add_argument("mode", choices=MODES)
    parser.add_argument(
        "--profile", action="append", default=[], help="cold:TAB, show:TAB or filter:TAB"
    )
    args = parser.parse_args()
    qt_api.set_qt_api("pyside6")  # type: ignore[no-untyped-call]
    use_uk_locale()
    _application = QApplication(sys.argv[:1])  # kept alive for the whole session
    # Python's cycle collector on the UI thread's timer, as run_gui has it: left to itself it
    # runs full collections in the worker, mid-load, which the app never does.
    collector = MainThreadGarbageCollector()
    collector.start()
    session = Session(args.db, args.login, os.environ["BENCH_PASSPHRASE"], args.mode, args.profile)
    try:
        session.start()
        if args.mode == "cold":
            session.measure_cold()
        else:
            session.measure_preloaded()
        session.result["memory_visited"] = memory()
    finally:
        if hasattr(session, "controller"):
            session.controller.shutdown()
        collector.stop()
    print(json.dumps(session.result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
