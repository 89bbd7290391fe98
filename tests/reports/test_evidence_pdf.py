"""The strategy evidence pack read back: every commitment, the gaps in words, the sign-off."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from prevent_desktop.errors import PermissionDenied
from prevent_desktop.reports.evidence_pdf import FLAG, write_evidence_pack
from prevent_desktop.resources_access import load_json
from prevent_desktop.services.strategy_evidence import StrategyEvidenceService
from prevent_desktop.services.workspace import Workspace
from tests.conftest import LEAD_PASSPHRASE, STAFF_PASSPHRASE

GAP = "Focussing on narrowing the attainment gap for all apprentices"


def _text(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(path)
    # Wrapped cells break lines mid-phrase; compare on single spaces.
    return reader, " ".join("\n".join(page.extract_text() for page in reader.pages).split())


def _delete(workspace: Workspace, reference: str) -> None:
    risk = next(r for r in workspace.risks.list_risks() if r.reference == reference)
    workspace.risks.delete_risk(risk.id)


def test_the_pack_walks_every_commitment_and_is_signed_off(
    workspace: Workspace, tmp_path: Path
) -> None:
    _delete(workspace, "R-008")  # the only evidence for the attainment gap
    out = tmp_path / "evidence.pdf"
    sign_off = write_evidence_pack(workspace, out)

    reader, text = _text(out)
    for area in load_json("strategy.json")["areas"]:
        assert f"{area['number']}. {area['title']}" in text
        for commitment in area["commitments"]:
            assert commitment["text"] in text, commitment["text"]
    today = f"{date.today():%d/%m/%Y}"
    for expected in (
        "Prevent strategy: inspection evidence pack",
        "Leeds Training Centre (LTC)",
        "Substantial",
        "20 of 21 commitments have evidence",
        "Commitments without evidence",
        f"{FLAG}: {GAP}",
        "What would count: A risk or action that tracks achievement gaps",
        "R-001 Leaders do not promote shared values",
        "Dynamic lockdown (Run, Hide, Tell)",
        "Objectives",
        "O1 Shared values and learner voice",
        "Concern handling",
        f"Signed off by Sam Patel, Manager, on {today}",
        "Signature",
        "____ / ____ / ________",
        "Page 1 of",
        "CONFIDENTIAL: not encrypted",
    ):
        assert expected in text, expected
    assert sign_off.statement == f"Signed off by Sam Patel, Manager, on {today}"
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    # Every date is written dd/mm/yyyy.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert reader.metadata is not None and reader.metadata.author == "Sam Patel"
    assert StrategyEvidenceService(workspace.database, workspace.actor).last_sign_off() == sign_off


def test_the_flag_is_words_on_every_commitment_without_evidence(
    workspace: Workspace, tmp_path: Path
) -> None:
    _delete(workspace, "R-008")
    _delete(workspace, "R-004")  # the curriculum's only risk
    out = tmp_path / "evidence.pdf"
    write_evidence_pack(workspace, out)
    _reader, text = _text(out)
    flagged = StrategyEvidenceService(workspace.database, workspace.actor).evidence()
    missing = flagged.without_evidence
    assert len(missing) >= 3
    for commitment in missing:
        assert f"{FLAG}: {commitment.text}" in text, commitment.text
    # Listed on page 1, flagged again in its area's table with its status.
    assert text.count(FLAG) >= 3 * len(missing)


@pytest.mark.parametrize(
    ("login", "passphrase", "who"),
    [
        ("dana", LEAD_PASSPHRASE, "Dana Okafor (Safeguarding lead (DSL / Prevent lead))"),
        ("tom", STAFF_PASSPHRASE, "Tom Reed (Staff)"),
    ],
)
def test_only_a_manager_may_sign_the_pack_off(
    workspace: Workspace, tmp_path: Path, login: str, passphrase: str, who: str
) -> None:
    other, _kek = Workspace.sign_in(workspace.database.path, login, passphrase)
    out = tmp_path / "evidence.pdf"
    try:
        with pytest.raises(PermissionDenied, match=re.escape(f"{who} may not sign off")):
            write_evidence_pack(other, out)
    finally:
        other.close()
    assert not out.exists()
    assert StrategyEvidenceService(workspace.database, workspace.actor).last_sign_off() is None


def test_page_one_carries_the_organisation_and_its_logo(
    workspace: Workspace, tmp_path: Path
) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), (31, 78, 121)).save(buffer, "PNG")
    workspace.site.set_report_logo(buffer.getvalue())
    out = tmp_path / "evidence.pdf"
    write_evidence_pack(workspace, out)
    page = pypdf.PdfReader(out).pages[0]
    images = page["/Resources"].get_object().get("/XObject")
    assert images is not None and len(images.get_object()) == 1
    assert "Leeds Training Centre" in page.extract_text()


def test_a_long_list_of_evidence_is_cut_short_with_a_count(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevent_desktop.reports import evidence_pdf
    from prevent_desktop.services import strategy_evidence_views

    monkeypatch.setattr(evidence_pdf, "EVIDENCE_LISTED", 1)
    monkeypatch.setattr(strategy_evidence_views, "EVIDENCE_LISTED", 1)
    out = tmp_path / "evidence.pdf"
    write_evidence_pack(workspace, out)
    _reader, text = _text(out)
    # The incident plans commitment holds every plan: one is listed, the rest counted.
    assert re.search(r"… and \d+ more of the same kinds in the register, matrix and plans", text)
