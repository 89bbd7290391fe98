"""The first tab: the threat level, what needs action, training compliance by course and the
register by RAG band, and for a new site the getting-started checklist.

Every item links to the tab that holds it, filtered to exactly those records: the tab emits
`link_activated(Link)` and the main window does the switching, so this tab knows no other.
On its first load after an unlock it also asks what fell due since the last session.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from prevent_desktop.domain.risk import Rag
from prevent_desktop.domain.uk_date import uk_date
from prevent_desktop.services.overview_views import (
    Destination,
    Link,
    Overview,
    SinceLastSession,
)
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.ui.bar_chart import Bar, BarChart
from prevent_desktop.ui.scrolling import scrolling_body
from prevent_desktop.ui.tabs.overview_panels import (
    ActionList,
    Checklist,
    SinceLastSessionPanel,
    panel,
)
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.threat_level_badge import ThreatLevelBadge
from prevent_desktop.ui.worker import DatabaseWorker

RAG_COLOURS = {Rag.RED: "#c62828", Rag.AMBER: "#f9a825", Rag.GREEN: "#2e7d32"}
# Compliance bands for the chart's colour only; the percentage is always written beside it.
COMPLIANCE_GOOD, COMPLIANCE_FAIR = 90, 75


@dataclass(frozen=True)
class OverviewData:
    overview: Overview
    since: SinceLastSession | None  # only on the first load of a session


def compliance_colour(percent: int) -> str:
    if percent >= COMPLIANCE_GOOD:
        return RAG_COLOURS[Rag.GREEN]
    return RAG_COLOURS[Rag.AMBER] if percent >= COMPLIANCE_FAIR else RAG_COLOURS[Rag.RED]


class OverviewTab(TabPage):
    title = "Overview"
    purpose = "What needs action across the register, the concern log, training and plans."
    record_types = frozenset(
        {
            "risk",
            "risk_action",
            "risk_review",
            "setting",
            "threat_level",
            "concern",
            "concern_step",
            "concern_referral",
            "staff_member",
            "course",
            "training_record",
            "job_role",
            "incident_plan",
            "incident_contact",
            "incident_log",
            "sync",
        }
    )
    shows_empty_state = False

    link_activated = Signal(object)  # a Link, for the main window to follow

    def __init__(self, worker: DatabaseWorker, workspace: Workspace) -> None:
        super().__init__(worker, workspace)
        self._generation = 0
        self._session_started = False
        self.data: Overview | None = None

        # Scrolls rather than squeezes: at 200% scaling the page is taller than the window.
        content = scrolling_body(self)
        layout = QVBoxLayout(content)
        self.since_panel = SinceLastSessionPanel(content)
        layout.addWidget(self.since_panel)

        threat_row = QHBoxLayout()
        threat_row.addWidget(QLabel("National threat level:", content))
        self.threat_badge = ThreatLevelBadge(content)
        self.threat_badge.set_interactive(False)
        threat_row.addWidget(self.threat_badge)
        self.threat_meaning = QLabel(content)
        threat_row.addWidget(self.threat_meaning, 1)
        layout.addLayout(threat_row)

        self.checklist = Checklist(content)
        self.checklist.hide()
        layout.addWidget(self.checklist)
        self.action_list = ActionList(content)
        layout.addWidget(self.action_list)

        charts = QHBoxLayout()
        training_frame, training_layout = panel(
            "trainingChart", "Training compliance by course", content
        )
        self.training_chart = BarChart("Training compliance by course", training_frame)
        training_layout.addWidget(self.training_chart)
        training_layout.addStretch(1)
        rag_frame, rag_layout = panel("ragChart", "Open risks by residual RAG band", content)
        self.rag_chart = BarChart("Open risks by residual RAG band", rag_frame)
        rag_layout.addWidget(self.rag_chart)
        self.next_drill_label = QLabel(rag_frame)
        self.next_drill_label.setObjectName("nextDrill")
        self.next_drill_label.setWordWrap(True)
        rag_layout.addWidget(self.next_drill_label)
        rag_layout.addStretch(1)
        charts.addWidget(training_frame, 3)
        charts.addWidget(rag_frame, 2)
        layout.addLayout(charts)
        layout.addStretch(1)

        for source in (self.since_panel, self.checklist, self.action_list):
            source.link_activated.connect(self.link_activated)
        self.training_chart.row_activated.connect(self.link_activated)
        self.rag_chart.row_activated.connect(self.link_activated)

    # ---- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        generation, workspace = self._generation, self.workspace
        first = not self._session_started
        self._session_started = True

        def load(_task: object) -> OverviewData:
            # The session's mark is written first; the snapshot's large reads come after it,
            # so they stay kept for the other tabs (they share them, until the next write).
            since = workspace.overview.start_session() if first else None
            return OverviewData(workspace.overview.overview(), since)

        self.worker.submit(
            load,
            lambda data: self._show(data) if generation == self._generation else None,
            parent_widget=self,
        )

    def clear(self) -> None:
        self._generation += 1
        self.data = None
        self.since_panel.show_since(SinceLastSession(None))
        self.checklist.hide()
        self.action_list.set_items(())
        self.training_chart.set_bars([])
        self.rag_chart.set_bars([])
        self.threat_badge.set_level(None)
        self.threat_meaning.clear()
        self.next_drill_label.clear()
        self.title_changed.emit(self.title)

    def _show(self, data: OverviewData) -> None:
        overview = self.data = data.overview
        if data.since is not None:
            self.since_panel.show_since(data.since)
        level = overview.threat.level
        self.threat_badge.set_level(level)
        self.threat_meaning.setText(
            f"{level.meaning.capitalize()} (since {uk_date(overview.threat.effective_on)})"
        )
        self.checklist.set_items(overview.checklist)
        self.checklist.setVisible(not overview.checklist_done)
        self.action_list.set_items(overview.actions)
        self.training_chart.set_bars(
            [
                Bar(
                    course.name,
                    course.percent,
                    100,
                    f"{course.percent}% ({course.done} of {course.required})"
                    if course.required
                    else "nobody required",
                    compliance_colour(course.percent),
                    Link(Destination.TRAINING_COURSE, course.course_id),
                )
                for course in overview.training_by_course
            ],
            "No courses yet.",
        )
        most = max(overview.risks_by_rag.values(), default=0)
        self.rag_chart.set_bars(
            [
                Bar(
                    rag.label,
                    count,
                    most,
                    f"{count} risk{'s' if count != 1 else ''}",
                    RAG_COLOURS[rag],
                    Link(Destination.RISKS_BY_RAG, rag.value),
                )
                for rag, count in overview.risks_by_rag.items()
            ]
        )
        if overview.next_drill is not None:
            title, on = overview.next_drill
            when = "overdue since" if on < overview.today else "on"
            self.next_drill_label.setText(f"Next drill: {title}, {when} {uk_date(on)}.")
        else:
            self.next_drill_label.setText("No drill is planned: set a drill interval on a plan.")
        overdue = sum(item.count for item in overview.actions if item.overdue)
        self.title_changed.emit(f"{self.title} ({overdue})" if overdue else self.title)
        self.loaded.emit()
