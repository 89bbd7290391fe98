"""The organisation's position from the sites' quarterly returns: totals across sites, and one
line per site. Used by the quarterly PDF and workbook and by head office's screen.

    organisation_position(returns) -> {
        "sites": number of returns,
        "quarters": the quarters they cover, sorted,
        "training": {"required", "valid", "percent"}: every site's required training summed;
                    percent rounded down (as domain/training.Compliance), None if none required,
        "risks", "red_risks": live risks not closed, and those red on residual score,
        "risk_reviews_overdue", "actions_overdue",
        "plans_review_overdue",
        "drills", "incidents": incident logs started in the quarter, drills and real ones,
        "concerns_opened", "concerns_closed": in the quarter,
        "open_concerns": {"total", "by_type", "by_status"}: open at the end of the quarter,
        "referrals": {"made", "by_agency", "by_outcome",
                      "by_agency_and_outcome": [{"agency", "outcome", "count"}]},
        "site_rows": [site_position(return) for each return, by site name],
    }

Every count is taken from the returns' own rows where they carry them (a risk's
review_overdue flag, an action's overdue flag), so the totals always agree with the sections
printed below them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from prevent_desktop.domain.concern import ConcernStatus, ReferralAgency, ReferralOutcome
from prevent_desktop.reports.quarterly_format import quarter_label, site_text

_SUMMED = (
    "risks",
    "red_risks",
    "risk_reviews_overdue",
    "actions_overdue",
    "plans_review_overdue",
    "drills",
    "incidents",
    "concerns_opened",
    "concerns_closed",
)


def site_position(ret: dict[str, Any]) -> dict[str, Any]:
    """One site's line: the figures head office compares across sites."""
    risks = [r for r in _list(ret.get("risks")) if r.get("status") != "closed"]
    every_risk = _list(ret.get("risks"))
    overall = _dict(_dict(ret.get("training")).get("overall"))
    plans = _list(_dict(ret.get("incidents")).get("plans"))
    logs = _list(_dict(ret.get("incidents")).get("drills"))
    statistics = _dict(_dict(ret.get("concerns")).get("statistics"))
    referrals = _dict(statistics.get("referrals"))
    threat = _dict(ret.get("threat_level"))
    return {
        "site": site_text(ret),
        "site_id": str(_dict(ret.get("site")).get("id", "")),
        "quarter": str(ret.get("quarter", "")),
        "quarter_label": quarter_label(ret),
        "threat_level": str(threat.get("label", "")),
        "concern_policy": str(ret.get("concern_policy", "")),
        "training_required": int(overall.get("required") or 0),
        "training_valid": int(overall.get("valid") or 0),
        "training_percent": overall.get("percent"),
        "risks": len(risks),
        "red_risks": sum(1 for r in risks if r.get("rag") == "red"),
        "risk_reviews_overdue": sum(1 for r in every_risk if r.get("review_overdue")),
        "actions_overdue": sum(
            1 for r in every_risk for a in _list(r.get("actions")) if a.get("overdue")
        ),
        "plans_review_overdue": sum(1 for p in plans if p.get("review_overdue")),
        "drills": sum(1 for log in logs if log.get("is_drill")),
        "incidents": sum(1 for log in logs if not log.get("is_drill")),
        "concerns_opened": int(statistics.get("opened") or 0),
        "concerns_closed": int(statistics.get("closed") or 0),
        "open_concerns": int(statistics.get("open_at_end") or 0),
        "referrals": int(referrals.get("made") or 0),
    }


def organisation_position(returns: list[dict[str, Any]]) -> dict[str, Any]:
    rows = sorted((site_position(ret) for ret in returns), key=lambda row: row["site"].casefold())
    required = sum(row["training_required"] for row in rows)
    valid = sum(row["training_valid"] for row in rows)
    statistics = [_dict(_dict(ret.get("concerns")).get("statistics")) for ret in returns]
    referrals = [_dict(s.get("referrals")) for s in statistics]
    pairs: Counter[tuple[str, str]] = Counter()
    for made in referrals:
        for line in _list(made.get("by_agency_and_outcome")):
            pairs[(str(line.get("agency", "")), str(line.get("outcome", "")))] += int(
                line.get("count") or 0
            )
    agencies, outcomes = _labels(ReferralAgency), _labels(ReferralOutcome)
    return {
        "sites": len(returns),
        "quarters": sorted({row["quarter"] for row in rows}),
        "training": {
            "required": required,
            "valid": valid,
            # Rounded down, as Compliance.whole_percent: 1,999 of 2,000 is not 100%.
            "percent": None if required == 0 else 100 * valid // required,
        },
        **{key: sum(row[key] for row in rows) for key in _SUMMED},
        "open_concerns": {
            "total": sum(row["open_concerns"] for row in rows),
            "by_type": _summed((s.get("open_by_type") for s in statistics), None),
            "by_status": _summed(
                (s.get("open_by_status") for s in statistics), _labels(ConcernStatus)
            ),
        },
        "referrals": {
            "made": sum(row["referrals"] for row in rows),
            "by_agency": _summed((r.get("by_agency") for r in referrals), agencies),
            "by_outcome": _summed((r.get("by_outcome") for r in referrals), outcomes),
            "by_agency_and_outcome": [
                {"agency": agency, "outcome": outcome, "count": count}
                for (agency, outcome), count in sorted(
                    pairs.items(),
                    key=lambda item: (_rank(item[0][0], agencies), _rank(item[0][1], outcomes)),
                )
            ],
        },
        "site_rows": rows,
    }


def _summed(counts: Iterable[Any], order: list[str] | None) -> dict[str, int]:
    """Counts keyed by label, added up: in the domain's order when there is one, else the
    largest first."""
    total: Counter[str] = Counter()
    for one in counts:
        for key, value in _dict(one).items():
            total[str(key)] += int(value or 0)
    if order is None:
        return dict(total.most_common())
    return dict(sorted(total.items(), key=lambda item: _rank(item[0], order)))


def _labels(kind: Iterable[Any]) -> list[str]:
    return [member.label for member in kind]


def _rank(value: str, order: list[str]) -> tuple[int, str]:
    return (order.index(value), "") if value in order else (len(order), value)


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
