"""Stand-ins for the dialogs the operating system shows (file choosers) and for the app's
yes/no questions, and a finder for the dialog a test is waiting for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from prevent_desktop.ui import confirmation

FileDialogCalls = list[tuple[Any, ...]]


def _file_dialog(monkeypatch: pytest.MonkeyPatch, method: str, path: Path) -> FileDialogCalls:
    calls: FileDialogCalls = []

    def dialog(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, method, staticmethod(dialog))
    return calls


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> FileDialogCalls:
    """Every "Save as" dialog answers `path`; returns the arguments of each one shown."""
    return _file_dialog(monkeypatch, "getSaveFileName", path)


def open_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> FileDialogCalls:
    """Every "Open" dialog answers `path`; returns the arguments of each one shown."""
    return _file_dialog(monkeypatch, "getOpenFileName", path)


def answer(monkeypatch: pytest.MonkeyPatch, *answers: bool) -> list[tuple[str, str, str]]:
    """Answer the next questions in turn; returns (title, text, action) of each one asked."""
    asked: list[tuple[str, str, str]] = []
    queue = list(answers)

    def ask(_parent: Any, title: str, text: str, action: str, details: str = "") -> bool:
        asked.append((title, text, action))
        return queue.pop(0)

    monkeypatch.setattr(confirmation, "ask", ask)
    return asked


def visible(window: QWidget, kind: type[QDialog], name: str | None = None) -> Any:
    """The newest visible dialog of `kind` under `window` (named `name`), or None."""
    found = [d for d in window.findChildren(kind) if shiboken6.isValid(d) and d.isVisible()]
    if name is not None:
        found = [d for d in found if d.objectName() == name]
    return found[-1] if found else None
