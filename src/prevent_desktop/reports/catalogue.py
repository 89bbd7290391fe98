"""Which reports exist and which writer makes each format: what `prevent-desktop report` offers.

Kept free of ReportLab and openpyxl imports so that building the command line stays fast; the
writer is imported only once a report is asked for. Every writer takes the same three things:
the workspace, the file, and the options (a concern's reference, redaction, a period); each
report says which options it takes, so a misplaced one is refused before anything is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from prevent_desktop.domain.concern import parse_concern_reference
from prevent_desktop.errors import UsageError

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace


@dataclass(frozen=True)
class ReportOptions:
    reference: str | None = None  # a concern's reference, C-YYYY-NNNN
    redact: bool = False
    start: date | None = None
    end: date | None = None
    plan: str | None = None  # an incident plan's title (incident-checklist)
    all: bool = False  # every incident plan in one pack (incident-checklist)
    log_id: str | None = None  # an incident or drill log (incident-log)
    quarter: str | None = None  # YYYYQn (quarterly)


Writer = Callable[["Workspace", Path, ReportOptions], None]

# kind -> {suffix: description}
KINDS: dict[str, dict[str, str]] = {
    "risk-register": {
        ".pdf": "the risk register, action plan and reviews as a PDF",
        ".xlsx": "the register and action plan as an Excel workbook",
        ".csv": "the register as CSV",
    },
    "action-plan": {
        ".csv": "the action plan as CSV, one row per action",
    },
    "concern": {
        ".pdf": "one concern's case summary as a PDF (safeguarding leads only)",
    },
    "referral-pack": {
        ".pdf": "one concern laid out as the National Prevent Referral Form (leads only)",
    },
    "concern-statistics": {
        ".csv": "counts of concerns by type, status, outcome and month, as CSV",
        ".pdf": "the same counts as a PDF",
    },
    "training-matrix": {
        ".pdf": "the training matrix with legend, compliance and due list as a PDF",
        ".xlsx": "the training matrix, compliance and due list as an Excel workbook",
    },
    "incident-checklist": {
        ".pdf": "an incident plan's printable checklist (--plan TITLE), or every plan (--all)",
    },
    "bomb-threat-form": {
        ".pdf": "the one-page bomb-threat call checklist, to keep by every phone",
    },
    "incident-log": {
        ".pdf": "one incident or drill log (--log ID): steps done, notes and outcome",
    },
    "evidence": {
        ".pdf": "the strategy evidence pack for inspection, signed off by you (managers only)",
    },
    "quarterly": {
        ".pdf": "the quarterly return (--quarter YYYYQn): a site's own, or at head office "
        "every site's with the organisation's position",
        ".xlsx": "the same as an Excel workbook, a sheet per area",
    },
}

# The options each report takes beyond --out; any other is a usage error.
NEEDS_REFERENCE = frozenset({"concern", "referral-pack"})
TAKES_REDACT = frozenset({"concern"})
TAKES_PERIOD = frozenset({"concern-statistics"})
TAKES_PLAN = frozenset({"incident-checklist"})
NEEDS_LOG = frozenset({"incident-log"})
NEEDS_QUARTER = frozenset({"quarterly"})


def check_output(kind: str, out: Path) -> str:
    """The format for `out`, or a UsageError naming the suffixes this report can take."""
    suffix = out.suffix.lower()
    formats = KINDS[kind]
    if suffix not in formats:
        choices = "; ".join(f"{ending} for {what}" for ending, what in formats.items())
        raise UsageError(
            f"Cannot tell which format to write from the name {out.name!r}. "
            f"End the --out file name with {choices}."
        )
    return suffix


def check_options(kind: str, options: ReportOptions) -> None:
    """A UsageError when an option is missing or does not belong to this report."""
    if kind in NEEDS_REFERENCE and not options.reference:
        raise UsageError(f"Say which concern with --ref, e.g. report {kind} --ref C-2025-0001.")
    if kind not in NEEDS_REFERENCE and options.reference:
        raise UsageError(f"The {kind} report is not about one concern: leave out --ref.")
    if options.reference and parse_concern_reference(options.reference) is None:
        raise UsageError(
            f"{options.reference!r} is not a concern reference. They look like C-2025-0001."
        )
    if options.redact and kind not in TAKES_REDACT:
        raise UsageError(f"--redact applies to the concern report only, not to {kind}.")
    if kind not in TAKES_PERIOD and (options.start or options.end):
        raise UsageError(f"--from and --to apply to concern-statistics only, not to {kind}.")
    if options.start and options.end and options.end < options.start:
        raise UsageError("The period ends (--to) before it starts (--from).")
    _check_incident_options(kind, options)


def _check_incident_options(kind: str, options: ReportOptions) -> None:
    plan = (options.plan or "").strip()
    if kind in TAKES_PLAN:
        if plan and options.all:
            raise UsageError("Give either --plan TITLE or --all, not both.")
        if not plan and not options.all:
            raise UsageError(
                f'Say which plan with --plan TITLE (e.g. --plan "Bomb threat received by '
                f'phone"), or print every plan with --all: report {kind} --all.'
            )
    elif plan or options.all:
        raise UsageError(f"--plan and --all apply to incident-checklist only, not to {kind}.")
    if kind in NEEDS_LOG and not (options.log_id or "").strip():
        raise UsageError(f"Say which incident or drill log with --log ID: report {kind} --log ID.")
    if kind not in NEEDS_LOG and options.log_id:
        raise UsageError(f"--log applies to incident-log only, not to {kind}.")
    if kind in NEEDS_QUARTER and not options.quarter:
        raise UsageError(f"Say which quarter with --quarter, e.g. report {kind} --quarter 2026Q4.")
    if kind not in NEEDS_QUARTER and options.quarter:
        raise UsageError(f"--quarter applies to the quarterly report only, not to {kind}.")


def writer_for(kind: str, suffix: str) -> Writer:
    if kind == "risk-register":
        if suffix == ".pdf":
            from prevent_desktop.reports.risk_register_pdf import write_risk_register_pdf

            return lambda workspace, out, _options: write_risk_register_pdf(workspace, out)
        from prevent_desktop.reports import risk_register_export

        export = (
            risk_register_export.write_xlsx if suffix == ".xlsx" else risk_register_export.write_csv
        )
        return lambda workspace, out, _options: export(workspace, out)
    if kind == "action-plan":
        from prevent_desktop.reports.risk_register_export import write_actions_csv

        return lambda workspace, out, _options: write_actions_csv(workspace, out)
    if kind in ("concern", "referral-pack"):
        return _concern_writer(kind)
    if kind == "concern-statistics":
        from prevent_desktop.reports import concern_statistics

        statistics = (
            concern_statistics.write_concern_statistics_pdf
            if suffix == ".pdf"
            else concern_statistics.write_concern_statistics
        )
        return lambda workspace, out, options: statistics(
            workspace, out, start=options.start, end=options.end
        )
    if kind == "training-matrix":
        if suffix == ".pdf":
            from prevent_desktop.reports.training_matrix_pdf import write_training_matrix_pdf

            return write_training_matrix_pdf
        from prevent_desktop.reports.training_matrix_xlsx import write_training_matrix_xlsx

        return write_training_matrix_xlsx
    if kind in ("incident-checklist", "bomb-threat-form", "incident-log"):
        from prevent_desktop.reports import incident_checklist_pdf as incident

        return {
            "incident-checklist": incident.write_incident_checklist,
            "bomb-threat-form": incident.write_bomb_threat_form,
            "incident-log": incident.write_incident_log,
        }[kind]
    if kind == "quarterly":
        return _quarterly_writer(suffix)
    if kind == "evidence":
        return _evidence_writer()
    raise UsageError(f"There is no {kind!r} report.")


def _evidence_writer() -> Writer:
    from prevent_desktop.reports.evidence_pdf import write_evidence_pack

    def write(workspace: Workspace, out: Path, _options: ReportOptions) -> None:
        write_evidence_pack(workspace, out)  # signs off as the signed-in manager

    return write


def _quarterly_writer(suffix: str) -> Writer:
    def write(workspace: Workspace, out: Path, options: ReportOptions) -> None:
        from prevent_desktop.domain.quarter import Quarter
        from prevent_desktop.services.quarterly_export import write_copies

        try:
            quarter = Quarter.parse(options.quarter or "")
        except ValueError as error:
            raise UsageError(str(error)) from None
        head_office = workspace.database.head_office
        if head_office:
            returns = workspace.head_office.returns(quarter)
            if not returns:
                raise UsageError(f"No site has sent a return for {quarter.label} yet.")
        else:
            returns = [workspace.quarterly.build(quarter)[0]]
        write_copies(
            returns,
            pdf=out if suffix == ".pdf" else None,
            xlsx=out if suffix == ".xlsx" else None,
            consolidated=head_office,
            organisation=workspace.site.site().name,
            branding=workspace.site.branding(),
        )

    return write


def _concern_writer(kind: str) -> Writer:
    from prevent_desktop.reports.concern_page import find_concern_id

    def write(workspace: Workspace, out: Path, options: ReportOptions) -> None:
        # The reference is looked up among the concerns this user may list; an unknown one
        # is a usage error before anything is opened or logged.
        concern_id = find_concern_id(workspace, options.reference or "")
        if kind == "concern":
            from prevent_desktop.reports.concern_pdf import write_case_summary

            write_case_summary(workspace, concern_id, out, redact_third_parties=options.redact)
        else:
            from prevent_desktop.reports.concern_referral_pack import write_referral_pack

            write_referral_pack(workspace, concern_id, out)

    return write
