"""Which reports exist and which writer makes each format: what `prevent-desktop report` offers.

Kept free of ReportLab and openpyxl imports so that building the command line stays fast; the
writer is imported only once a report is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from prevent_desktop.errors import UsageError

if TYPE_CHECKING:
    from prevent_desktop.services.workspace import Workspace

Writer = Callable[["Workspace", Path], None]

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
}


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


def writer_for(kind: str, suffix: str) -> Writer:
    if kind == "risk-register":
        if suffix == ".pdf":
            from prevent_desktop.reports.risk_register_pdf import write_risk_register_pdf

            return write_risk_register_pdf
        from prevent_desktop.reports import risk_register_export

        return (
            risk_register_export.write_xlsx if suffix == ".xlsx" else risk_register_export.write_csv
        )
    if kind == "action-plan":
        from prevent_desktop.reports.risk_register_export import write_actions_csv

        return write_actions_csv
    raise UsageError(f"There is no {kind!r} report.")
