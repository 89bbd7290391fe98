"""The compiled Designer forms are current, and Qt stays inside the ui package."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import prevent_desktop
from prevent_desktop.ui.forms import compile as forms

PACKAGE = Path(prevent_desktop.__file__).resolve().parent
QT_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:PySide6|shiboken6)\b", re.MULTILINE)
# The composition root wires the windows together, so it is the one module outside ui/ that
# may touch Qt (see its docstring).
ALLOWED_OUTSIDE_UI = {PACKAGE / "app.py"}


def test_every_form_is_compiled_and_current(capsys: pytest.CaptureFixture[str]) -> None:
    status = forms.main(["--check"])
    assert status == 0, capsys.readouterr().out
    assert forms.sources(), "no .ui sources found"
    for source in forms.sources():
        first_line = forms.target_for(source).read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# Generated from ui/{source.name} by `make ui`: do not edit."


def test_check_reports_a_stale_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sources, generated = tmp_path / "ui", tmp_path / "forms"
    sources.mkdir()
    generated.mkdir()
    shutil.copy(forms.SOURCES_DIR / "unlock_window.ui", sources)
    monkeypatch.setattr(forms, "SOURCES_DIR", sources)
    monkeypatch.setattr(forms, "FORMS_DIR", generated)
    monkeypatch.setattr(forms, "REPOSITORY", tmp_path)

    assert forms.main(["--check"]) == 1  # not compiled yet
    assert forms.main([]) == 0
    assert (generated / "unlock_window_ui.py").exists()
    assert forms.main(["--check"]) == 0
    capsys.readouterr()

    edited = (sources / "unlock_window.ui").read_text().replace("Remember on", "Keep on")
    (sources / "unlock_window.ui").write_text(edited)
    assert forms.main(["--check"]) == 1
    assert "out of date: ui/unlock_window.ui" in capsys.readouterr().out


def test_only_the_ui_package_imports_qt() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "ui") or path in ALLOWED_OUTSIDE_UI:
            continue
        if QT_IMPORT.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
