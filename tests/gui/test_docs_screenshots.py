"""The README's screenshots: every tab, on the demo data, taken offscreen by this test.

`make screenshots` runs it with PREVENT_DESKTOP_UPDATE_DOCS=1 and writes docs/screenshots/;
in the ordinary suite it takes the same pictures into a temporary folder and checks that
docs/ holds one for every tab, so a new tab cannot ship without its picture."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from prevent_desktop.services.demo import build_demo
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import PASSPHRASE
from tests.gui.shell_support import drain, show_main_window

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
UPDATE_DOCS = "PREVENT_DESKTOP_UPDATE_DOCS"
SIZE = (1280, 800)


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")


def test_every_tab_is_pictured_from_the_demo_data(
    qtbot: QtBot, tmp_path: Path, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    path = tmp_path / "demo.db"
    build_demo(path, PASSPHRASE, "small").close()
    # The safeguarding lead: the concern log shows what a lead works with.
    lead, _kek = Workspace.sign_in(path, "pshah", PASSPHRASE)
    try:
        window = show_main_window(qtbot, worker, lead, memory_keychain)
        window.resize(*SIZE)
        target = DOCS if os.environ.get(UPDATE_DOCS) == "1" else tmp_path / "shots"
        target.mkdir(parents=True, exist_ok=True)
        taken = []
        for tab in window.tabs:
            window.show_tab(tab)
            drain(worker)
            qtbot.wait(150)  # the layout settles after the data arrives
            name = f"{slug(tab.title)}.png"
            assert window.grab().save(str(target / name))
            image = QImage(str(target / name))
            assert (image.width(), image.height()) == SIZE
            taken.append(name)
        window.close()
    finally:
        drain(worker)
        lead.close()
    # docs/ has exactly the tabs there are (run `make screenshots` after adding one).
    assert sorted(taken) == sorted(p.name for p in DOCS.glob("*.png"))
