"""A site's quarterly return: what head office needs to see of the site's Prevent duty for one
quarter, as plain JSON-able data (the bundle carries it; the reports print it).

The return (schema 1). Dates are ISO "YYYY-MM-DD", moments ISO datetimes in UTC; days of the
quarter are UTC days, as the concern statistics count them. Codes are the domain's enum values
(risk and action status, RAG, training cell status, concern status, risk level, referral agency
and outcome); the statistics' counts are keyed by the labels people read.

    schema            1
    quarter           "2026Q4"; start, end: its first and last days
    label             "Q4 2026 (October–December)"                                   (added)
    as_of             the day deadlines are judged on: the quarter's last day, or the day the
                      return was made while the quarter is still running             (added)
    site              {id, name, code}
    made_at, made_by  when (UTC) and by whom (display name) the return was made
    threat_level      {level, label, effective_on}: the national level in force on as_of
    concern_policy    "statistics" | "pseudonymised" | "full"
    rag_thresholds    {amber_from, red_from}: the site's bands for residual scores    (added)
    risks             every live risk of the register (closed ones too; those added after
                      as_of left out): {id, reference, title, area (label), category (added),
                      owner, status, inherent_score, residual_score, rag, next_review_on,
                      review_overdue, objectives (codes "O1".."O5"),
                      actions: [{id, description, owner, due_on, status, overdue}],
                      reviews_in_quarter: [{reviewed_on, residual_score, comment}],
                      changed_in_quarter (the risk, an action or a review of it was created,
                      changed or deleted in the quarter, on any laptop of the site)}
    training          {due_soon_days,
                       overall: {required, valid, percent},
                       by_course: [{course, required, valid, due_soon, expired, missing,
                                    percent}],
                       by_role: [{role, required, valid, percent}],
                       staff: [{name, job_role, cells: {course name: cell status}}]}
                      for the staff in post on as_of. "valid" counts required training in date
                      (due soon included); percent is rounded down, null when nothing is
                      required
    incidents         {plans: [{id, title, kind ("drilled": practised on a schedule,
                                "response": used when it happens), last_reviewed_on,
                                next_review_on, review_overdue, reviews_in_quarter: [dates],
                                drill_every_months, last_drill_on, next_drill_on,
                                drill_overdue (the last four added)}],
                       drills: [{id (added), plan, kind ("drill" | "incident", added),
                                 is_drill, started_at, closed_at, outcome ("full" only)}]}
                      drills: every log (drill or real incident) started in the quarter
    concerns          {statistics: {opened, closed, open_at_end,
                                    by_type, by_status, by_risk_level, by_outcome, by_month
                                      (concerns recorded in the quarter; status and outcome
                                      as they stood on as_of),
                                    open_by_type, open_by_status (open on as_of),
                                    referrals: {made, by_agency, by_outcome,
                                                by_agency_and_outcome: [{agency, outcome,
                                                count}]} (referrals made in the quarter)},
                       records: [{reference, reported_on, type, immediate_risk, status,
                                  referrals: [{agency, made_on, outcome}], closed_on,
                                  person}]}
                      records: one per concern recorded in, or open during, the quarter;
                      [] for "statistics". person is {pseudonym} for "pseudonymised";
                      for "full" {name, learner_reference, date_of_birth, employer,
                      programme}, and the record has "account" too.

Who may send what: a manager or a safeguarding lead makes a return; only a lead holding the
safeguarding key may send concern records (pseudonymised or in full), and each concern sent
is written to that concern's access log ("Quarterly return to head office").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from prevent_desktop.domain.roles import Permission
from prevent_desktop.errors import PermissionDenied, ValidationError
from prevent_desktop.services.quarterly_activity import incidents_section, training_section
from prevent_desktop.services.quarterly_concerns import concerns_section
from prevent_desktop.services.quarterly_register import risks_section

if TYPE_CHECKING:
    from prevent_desktop.domain.quarter import Quarter
    from prevent_desktop.services.workspace import Workspace

SCHEMA = 1
POLICIES = ("statistics", "pseudonymised", "full")


def build_return(
    workspace: Workspace,
    quarter: Quarter,
    *,
    concern_policy: str,
    today: date | None = None,
    pseudonym: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The site's return for `quarter` (see the module docstring for its content).

    `concern_policy` says how much of the concern log goes: "statistics" (counts only),
    "pseudonymised" (a record per concern, the person replaced by `pseudonym(group key)`,
    where the group key is the same for every concern about one person) or "full".
    `pseudonym` belongs to the caller, who keeps its key. Raises PermissionDenied when the
    user may not send what was asked, ValidationError for an unknown policy or a quarter
    that has not started."""
    today = today or date.today()
    _check_policy(workspace, concern_policy, pseudonym)
    if quarter.start > today:
        raise ValidationError(
            f"{quarter.label} has not started yet: make the return for this quarter or an "
            "earlier one."
        )
    as_of = min(quarter.end, today)
    site = workspace.site.site()
    thresholds = workspace.risks.rag_thresholds()
    return {
        "schema": SCHEMA,
        "quarter": str(quarter),
        "label": quarter.label,
        "start": quarter.start.isoformat(),
        "end": quarter.end.isoformat(),
        "as_of": as_of.isoformat(),
        "site": {"id": site.id, "name": site.name, "code": site.code},
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "made_by": workspace.actor.display_name,
        "threat_level": _threat_level(workspace, as_of),
        "concern_policy": concern_policy,
        "rag_thresholds": {"amber_from": thresholds.amber_from, "red_from": thresholds.red_from},
        "risks": risks_section(workspace, quarter, as_of),
        "training": training_section(workspace, as_of),
        "incidents": incidents_section(
            workspace, quarter, as_of, with_outcomes=concern_policy == "full"
        ),
        # Last: reading concern records writes their access log, so nothing may fail after.
        "concerns": concerns_section(workspace, quarter, as_of, concern_policy, pseudonym),
    }


def _check_policy(
    workspace: Workspace, policy: str, pseudonym: Callable[[str], str] | None
) -> None:
    actor = workspace.actor
    actor.require(Permission.LIST_CONCERNS, "make the quarterly return")
    if policy not in POLICIES:
        raise ValidationError(
            f"Unknown concern policy {policy!r}: choose statistics, pseudonymised or full."
        )
    if policy == "statistics":
        return
    if not workspace.concerns.holds_key():
        if actor.can(Permission.READ_CONCERNS):
            reason = "safeguarding access has not been granted to them on this database yet"
        else:
            reason = "only a safeguarding lead may read who a concern is about"
        raise PermissionDenied(
            f"{actor.display_name} ({actor.role_label}) may not send concern records to head "
            f"office: {reason}. Send statistics only, or ask a safeguarding lead to make the "
            "return."
        )
    if policy == "pseudonymised" and pseudonym is None:
        raise ValidationError(
            "A pseudonymised return needs the pseudonym key; none was given, so nothing was sent."
        )


def _threat_level(workspace: Workspace, as_of: date) -> dict[str, str]:
    """The level in force on `as_of`: the most recently recorded change effective by then
    (the same rule the status bar follows for today)."""
    history = workspace.site.threat_history()
    entry = next((e for e in history if e.effective_on <= as_of), None)
    if entry is None:
        entry = workspace.site.current_threat_level()
    return {
        "level": entry.level.value,
        "label": entry.level.label,
        "effective_on": entry.effective_on.isoformat(),
    }
