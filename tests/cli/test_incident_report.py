"""`prevent-desktop report incident-checklist | bomb-threat-form | incident-log` end to end."""

from __future__ import annotations

from pathlib import Path

import pypdf

from prevent_desktop.services.workspace import Workspace
from tests.conftest import PASSPHRASE

BOMB = "Bomb threat received by phone"


def _report(run, kind: str, db: Path, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("report", kind, "--db", str(db), "--out", str(out), *extra)


def _text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_one_plan_by_a_staff_member(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Plans hold no confidential data: any signed-in user may print them.
    out = tmp_path / "bomb.pdf"
    result = _report(run, "incident-checklist", demo_db, out, "--plan", BOMB, "--user", "jbrown")
    assert result.code == 0, result.err
    assert str(out) in result.out
    text = _text(out)
    for expected in (BOMB, "Immediately", "Within the hour", "Afterwards", "999", "Version "):
        assert expected in text, expected
    assert "Next review" in text and "Initials" in text


def test_all_plans(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pack.pdf"
    result = _report(run, "incident-checklist", demo_db, out, "--all")
    assert result.code == 0, result.err
    text = _text(out)
    for title in (BOMB, "Dynamic lockdown (Run, Hide, Tell)", "Evacuation and invacuation"):
        assert title in text, title
    assert "0800 789 321" in text


def test_checklist_needs_plan_or_all(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "plan.pdf"
    result = _report(run, "incident-checklist", demo_db, out)
    assert result.code == 2 and "--plan" in result.err and "--all" in result.err
    assert "Traceback" not in result.err and not out.exists()
    result = _report(run, "incident-checklist", demo_db, out, "--plan", BOMB, "--all")
    assert result.code == 2 and not out.exists()
    result = _report(run, "incident-checklist", demo_db, out, "--plan", "No such plan")
    assert result.code != 0 and "Traceback" not in result.err and not out.exists()
    assert BOMB in result.err  # the refusal lists the plans there are
    result = _report(run, "bomb-threat-form", demo_db, out, "--all")
    assert result.code == 2 and not out.exists()
    result = _report(run, "incident-log", demo_db, out)
    assert result.code == 2 and "--log" in result.err and not out.exists()


def test_bomb_threat_form(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "form.pdf"
    result = _report(run, "bomb-threat-form", demo_db, out, "--user", "jbrown")
    assert result.code == 0, result.err
    assert len(pypdf.PdfReader(out).pages) == 1
    text = _text(out)
    for expected in ("Where is the bomb", "What is your name?", "Number shown on the phone"):
        assert expected in text, expected
    bad = tmp_path / "form.xlsx"
    result = _report(run, "bomb-threat-form", demo_db, bad)
    assert result.code == 2 and ".pdf" in result.err and not bad.exists()


def test_incident_log(run, demo_db: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workspace, _kek = Workspace.sign_in(demo_db, "amorgan", PASSPHRASE)
    try:
        log = workspace.incidents.log(workspace.incidents.logs()[0].id)
    finally:
        workspace.close()
    out = tmp_path / "log.pdf"
    result = _report(run, "incident-log", demo_db, out, "--log", log.id, "--user", "jbrown")
    assert result.code == 0, result.err
    text = _text(out)
    assert f"{log.kind.label} log" in text and log.plan_title in text
    assert log.started_by_name in text
    for note in log.notes:
        assert " ".join(note.text.split()) in text
    if log.outcome:
        assert " ".join(log.outcome.split()) in text
    result = _report(run, "incident-log", demo_db, tmp_path / "none.pdf", "--log", "no-such-id")
    assert result.code != 0 and "Traceback" not in result.err
    assert not (tmp_path / "none.pdf").exists()
