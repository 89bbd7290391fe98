"""Incident plan checklists, the bomb-threat call form and incident logs, read back with pypdf."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest

from prevent_desktop.domain.incident import LogKind, Phase
from prevent_desktop.errors import UsageError, ValidationError
from prevent_desktop.reports.catalogue import ReportOptions, check_options
from prevent_desktop.reports.incident_checklist_pdf import (
    MISSING_CONTACT,
    write_bomb_threat_form,
    write_incident_checklist,
    write_incident_log,
)
from prevent_desktop.services.incident_views import ContactInput
from prevent_desktop.services.workspace import Workspace

BOMB = "Bomb threat received by phone"


def text_of(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return len(reader.pages), text


def squash(text: str) -> str:
    return " ".join(text.split())


def test_one_plan_checklist(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "bomb.pdf"
    write_incident_checklist(workspace, out, ReportOptions(plan="bomb threat received BY PHONE"))
    pages, text = text_of(out)
    plan = workspace.incidents.plan_by_title(BOMB)
    assert BOMB in text
    for step in plan.steps:
        assert squash(step.text) in text, step.text
    for phase in {step.phase for step in plan.steps}:
        assert phase.label in text
    assert Phase.IMMEDIATELY.label in text
    for heading in ("Done", "Time", "Initials", "Notes", "Incident lead", "Deputy"):
        assert heading in text
    for contact in plan.contacts:
        assert squash(contact.name) in text
    assert "999" in text
    # A fresh site has not filled in its local contacts: each is flagged in bold words.
    assert plan.missing_contacts
    assert MISSING_CONTACT in text
    assert f"Version {plan.version}" in text
    assert "Not yet reviewed" in text or "Reviewed " in text
    assert f"Next review {plan.next_review_on:%d/%m/%Y}" in text
    assert f"Page {pages} of {pages}" in text


def test_filled_in_contact_and_review_are_printed(workspace: Workspace, tmp_path: Path) -> None:
    incidents = workspace.incidents
    plan = incidents.plan_by_title(BOMB)
    local = plan.missing_contacts[0]
    incidents.save_contact(
        local.id, ContactInput(local.name, "Leeds City Council", "0113 222 4444", local=True)
    )
    incidents.record_review(plan.id, on=date(2026, 3, 2))
    out = tmp_path / "bomb.pdf"
    write_incident_checklist(workspace, out, ReportOptions(plan=BOMB))
    _pages, text = text_of(out)
    assert "0113 222 4444" in text and "Leeds City Council" in text
    assert "Reviewed 02/03/2026" in text
    assert text.count(MISSING_CONTACT) == len(incidents.plan_by_title(BOMB).missing_contacts)


def test_all_plans_pack(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    write_incident_checklist(workspace, out, ReportOptions(all=True))
    plans = workspace.incidents.plans()
    assert len(plans) == 10
    pages, text = text_of(out)
    assert pages >= len(plans)
    for plan in plans:
        assert squash(plan.title) in text, plan.title
    assert "0800 789 321" in text
    # Each plan starts on a new page and carries its own footer.
    reader = pypdf.PdfReader(out)
    starts = [
        index
        for index, page in enumerate(reader.pages)
        for plan in plans
        if squash(page.extract_text()).startswith(squash(plan.title))
    ]
    assert len(starts) == len(plans)
    for index in starts:
        assert "Version " in reader.pages[index].extract_text()


def test_checklist_needs_a_plan(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(UsageError):
        write_incident_checklist(workspace, out, ReportOptions())
    with pytest.raises(ValidationError, match="Dynamic lockdown"):
        write_incident_checklist(workspace, out, ReportOptions(plan="No such plan"))
    assert not out.exists()
    with pytest.raises(UsageError, match="--plan"):
        check_options("incident-checklist", ReportOptions())
    with pytest.raises(UsageError):
        check_options("incident-checklist", ReportOptions(plan=BOMB, all=True))
    with pytest.raises(UsageError):
        check_options("training-matrix", ReportOptions(all=True))
    with pytest.raises(UsageError, match="--log"):
        check_options("incident-log", ReportOptions())
    check_options("incident-checklist", ReportOptions(plan=BOMB))
    check_options("bomb-threat-form", ReportOptions())


def test_bomb_threat_form_is_one_page(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "form.pdf"
    write_bomb_threat_form(workspace, out)
    pages, text = text_of(out)
    assert pages == 1
    for expected in (
        "Bomb threat call checklist",
        "Number shown on the phone display",
        "The exact words of the threat",
        "Where is the bomb",
        "When will it go off?",
        "What does it look like?",
        "What kind of bomb",
        "What will make it go off?",
        "Did you place the bomb?",
        "Why?",
        "What is your name?",
        "Where are you?",
        "What is your address?",
        "Male",
        "Female",
        "Disguised",
        "Familiar",
        "PA system",
        "Machinery",
        "Taped / recorded message",
        "Incoherent",
        "Time the call ended",
        "Call taken by",
        "call 999 at once",
        "Do not hang up the line",
    ):
        assert expected in text, expected


def test_drill_log(workspace: Workspace, tmp_path: Path) -> None:
    incidents = workspace.incidents
    plan = incidents.plan_by_title(BOMB)
    started = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    log_id = incidents.start(plan.id, LogKind.DRILL, at=started).ids[0]
    first = incidents.log(log_id).steps[0]
    incidents.tick(first.id, at=datetime(2026, 5, 4, 9, 3, tzinfo=UTC))
    incidents.add_note(
        log_id, "Second note: building clear", at=datetime(2026, 5, 4, 9, 20, tzinfo=UTC)
    )
    incidents.add_note(log_id, "First note: call logged", at=datetime(2026, 5, 4, 9, 5, tzinfo=UTC))
    incidents.close(
        log_id,
        "Drill went well; practise the call form.",
        at=datetime(2026, 5, 4, 9, 40, tzinfo=UTC),
    )
    out = tmp_path / "log.pdf"
    write_incident_log(workspace, out, ReportOptions(log_id=log_id))
    _pages, text = text_of(out)
    assert "Drill log" in text and BOMB in text
    assert f"version {plan.version}" in text
    assert squash(first.text) in text
    assert "✓" in text and workspace.actor.display_name in text
    assert "not done" in text
    assert text.index("First note: call logged") < text.index("Second note: building clear")
    assert "Drill went well; practise the call form." in text
    assert "04/05/2026" in text
    with pytest.raises(UsageError):
        write_incident_log(workspace, tmp_path / "x.pdf", ReportOptions())
