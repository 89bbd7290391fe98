"""The Strategy tab: the organisation's Prevent strategy, objective by objective and commitment
by commitment, with the evidence this site holds for each, and the evidence pack for an
inspector.

One load on the worker builds the whole view; any change to the records it draws on (risks,
training, plans, contacts, concerns, the sign-off) reloads it. Everyone may read it; only a
manager may produce the pack, which signs it off over their name (the service refuses anyone
else, so the button is disabled for them, with the reason beside it).
"""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from prevent_desktop.services.context import ChangeSet
from prevent_desktop.services.strategy_evidence import StrategyEvidenceService
from prevent_desktop.services.strategy_evidence_views import SignOff, StrategyEvidenceView
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui import confirmation
from prevent_desktop.ui.pdf_printing import offer_saved
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.styles import NOTE_STYLE
from prevent_desktop.ui.tabs.strategy_tree import StrategyDetail, StrategyTree
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.worker import DatabaseWorker, report_failure

PDF_FILTER = "PDF document (*.pdf)"
WRITER = "prevent_desktop.reports.evidence_pdf"  # imported on the worker: ReportLab stays lazy
MANAGERS_ONLY = "Only a manager can produce the evidence pack: it is signed off over their name."


class StrategyTab(TabPage):
    title = "Strategy"
    purpose = (
        "The organisation's Prevent strategy: its five objectives and the commitments under "
        "its four areas, each with the evidence this site holds for it."
    )
    evidence = "Shows which commitments of every area the site's records evidence, and which not."
    record_types = frozenset(
        {
            "risk",
            "risk_action",
            "risk_review",
            "course",
            "staff_member",
            "training_record",
            "incident_plan",
            "incident_log",
            "incident_contact",
            "concern",
            "concern_step",
            "concern_referral",
            "setting",
            "job_role",
            "threat_level",
        }
    )
    shows_empty_state = False

    pack_written = Signal(object)  # the Path of an evidence pack just written

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        self.service = StrategyEvidenceService(workspace.database, workspace.actor)
        self.can_sign_off = self.service.can_sign_off
        self._generation = 0  # bumped by clear(): loads started before it are dropped
        self.view: StrategyEvidenceView | None = None

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("strategySummary")
        self.summary_label.setAccessibleName("Evidence summary")
        self.summary_label.setStyleSheet("font-weight: 600;")
        self.summary_label.setWordWrap(True)
        self.sign_off_label = QLabel(self)
        self.sign_off_label.setObjectName("strategySignOff")
        self.sign_off_label.setAccessibleName("Last sign-off of the evidence pack")
        self.sign_off_label.setStyleSheet(NOTE_STYLE)
        self.gaps_only = QCheckBox("Show &only gaps", self)
        self.gaps_only.setToolTip("Only the objectives and commitments without evidence")
        self.gaps_only.setAccessibleName("Show only objectives and commitments without evidence")
        self.pack_button = QPushButton("Evidence &pack…", self)
        self.pack_button.setAccessibleName("Sign off and save the evidence pack as PDF")
        self.pack_button.setToolTip(
            "Save the strategy, commitment by commitment, with its evidence and your sign-off, "
            "for an inspector"
            if self.can_sign_off
            else MANAGERS_ONLY
        )
        self.pack_button.setEnabled(self.can_sign_off)
        self.managers_only = QLabel(MANAGERS_ONLY, self)
        self.managers_only.setStyleSheet(NOTE_STYLE)
        self.managers_only.setVisible(not self.can_sign_off)
        self.tree = StrategyTree(self)
        self.detail = StrategyDetail(self)

        # The summary sits straight in the page's column: a word-wrapped label nested in a
        # row does not get the height its second line needs.
        actions = QHBoxLayout()
        actions.addWidget(self.sign_off_label, 1)
        actions.addWidget(self.managers_only)
        actions.addWidget(self.pack_button)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.tree)
        body.addWidget(self.detail)
        body.setSizes([820, 420])
        # Scrolls rather than squeezes at 200% scaling on a small screen.
        layout = QVBoxLayout(scrolling_body(self))
        layout.addWidget(self.summary_label)
        layout.addLayout(actions)
        layout.addWidget(self.gaps_only)
        layout.addWidget(body, 1)
        self.setTabOrder(self.pack_button, self.gaps_only)
        self.setTabOrder(self.gaps_only, self.tree)
        self.setTabOrder(self.tree, self.detail)

        self.tree.currentItemChanged.connect(
            lambda *_: self.detail.show_value(self.tree.selected_value())
        )
        self.gaps_only.toggled.connect(lambda _on: self._fill_tree())
        self.pack_button.clicked.connect(self.save_pack)
        self.detail.show_value(None)

    # ---- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, service = self._generation, self.service
        self.worker.submit(
            lambda _task: service.evidence(),
            lambda view: self._show(view) if generation == self._generation else None,
            parent_widget=self,
        )

    def clear(self) -> None:
        self._generation += 1
        self.view = None
        self.tree.clear()
        self.detail.show_value(None)
        self.summary_label.clear()
        self.sign_off_label.clear()
        self.title_changed.emit(self.title)

    def _show(self, view: StrategyEvidenceView) -> None:
        self.view = view
        self.summary_label.setText(summary_text(view))
        self.sign_off_label.setText(sign_off_text(view.last_sign_off))
        self._fill_tree()
        gaps = len(view.without_evidence)
        self.title_changed.emit(f"{self.title} (⚠ {gaps})" if gaps else self.title)
        self.loaded.emit()

    def _fill_tree(self) -> None:
        if self.view is not None:
            self.tree.show_view(self.view, gaps_only=self.gaps_only.isChecked())
            self.detail.show_value(self.tree.selected_value())

    # ---- the evidence pack ---------------------------------------------------------------------

    def choose_file(self) -> Path | None:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        suggested = Path(documents) / f"Prevent evidence pack {date.today():%Y-%m-%d}.pdf"
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            "Prevent Desktop — Save the evidence pack (the file is NOT encrypted)",
            str(suggested),
            PDF_FILTER,
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def save_pack(self) -> None:
        """Ask where, confirm the sign-off, then write the pack on the worker."""
        if not self.can_sign_off:
            return
        path = self.choose_file()
        if path is None:
            return
        actor = self.workspace.actor
        if not confirmation.ask(
            self,
            "Sign off the evidence pack",
            f"Sign off the evidence pack as {actor.display_name}, {actor.role_label}?",
            "Sign off and save",
            f"The pack will say “Signed off by {actor.display_name}, {actor.role_label}, on "
            f"{date.today():%d/%m/%Y}”, and the sign-off is recorded in the audit log.",
        ):
            return
        workspace = self.workspace

        def write(_task: object) -> SignOff:
            writer = importlib.import_module(WRITER).write_evidence_pack
            sign_off: SignOff = writer(workspace, path)
            return sign_off

        self.worker.submit(
            write,
            lambda _sign_off: self._written(path),
            lambda error: report_failure(error, self.window()),
            progress="Saving the evidence pack…",
            parent_widget=self,
        )

    def _written(self, path: Path) -> None:
        # The sign-off is a setting: the broadcast reloads this tab with it.
        self.changed.emit(ChangeSet("setting", "update", ()))
        self.pack_written.emit(path)
        offer_saved(self.window(), path, "evidence pack")


def summary_text(view: StrategyEvidenceView) -> str:
    text = f"{view.summary}; {view.objectives_summary}."
    gaps = len(view.without_evidence)
    if gaps:
        text += f" ⚠ {gaps} flagged “No evidence yet”."
    if view.review_note:
        text += f" {view.review_note[0].upper()}{view.review_note[1:]}."
    return text


def sign_off_text(sign_off: SignOff | None) -> str:
    if sign_off is None:
        return "The evidence pack has not been signed off yet."
    statement = sign_off.statement
    return (
        f"Last evidence pack {statement[0].lower()}{statement[1:]} "
        f"({sign_off.evidenced} of {sign_off.total} commitments had evidence)."
    )
