"""The Strategy tab's read-only pieces: the tree of objectives, areas and commitments with
their evidence, and the detail of whatever is selected in it.

A commitment without evidence says so in words ("⚠ No evidence yet") beside a warning icon,
so the flag survives a black-and-white print of a screenshot and does not rely on colour.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from prevent_desktop.domain.strategy_commitments import EvidenceKind
from prevent_desktop.services.strategy_evidence_views import (
    EVIDENCE_LISTED,
    NO_EVIDENCE,
    AreaEvidence,
    CommitmentEvidence,
    ConcernFigures,
    EvidenceItem,
    ObjectiveEvidence,
    StrategyEvidenceView,
    more_evidence,
)

FLAG = f"⚠ {NO_EVIDENCE}"
CONCERNS_HIDDEN = "Concern figures are shown to managers and safeguarding leads only."
_ROLE = Qt.ItemDataRole.UserRole  # the view object an item stands for


def commitment_status(commitment: CommitmentEvidence) -> str:
    """The tree's status words; its icon stands beside them, so no symbol leads the text."""
    return commitment.status


def objective_status(objective: ObjectiveEvidence) -> str:
    if not objective.has_evidence:
        return NO_EVIDENCE
    risks = sum(item.kind is EvidenceKind.RISKS for item in objective.items)
    courses = len(objective.items) - risks
    return (
        f"{_count(risks, 'risk')}, {_count(courses, 'course')}; "
        f"{objective.commitments_evidenced} of {len(objective.commitments)} commitments evidenced"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class StrategyTree(QTreeWidget):
    """Objectives first, then each area's commitments; evidence as the commitments' children."""

    COLUMNS = ("Strategy", "Objectives", "Evidence")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("strategyTree")
        self.setAccessibleName("Strategy objectives and commitments with their evidence")
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 340)
        style = self.style()
        self._flag_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._held_icon = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        self._review_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.commitment_items: dict[str, QTreeWidgetItem] = {}  # number -> item

    def show_view(self, view: StrategyEvidenceView, *, gaps_only: bool = False) -> None:
        # A reload (any change anywhere is broadcast) keeps the row chosen and the scrolling.
        path, scrolled = self._current_path(), self.verticalScrollBar().value()
        self._fill(view, gaps_only)
        self._restore(path, scrolled)

    def _current_path(self) -> list[int]:
        path: list[int] = []
        item = self.currentItem()
        while item is not None:
            parent = item.parent()
            path.insert(
                0,
                parent.indexOfChild(item) if parent else self.indexOfTopLevelItem(item),
            )
            item = parent
        return path

    def _restore(self, path: list[int], scrolled: int) -> None:
        item = self.topLevelItem(path[0]) if path else None
        for index in path[1:]:
            item = item.child(index) if item is not None else None
        if item is not None:
            self.setCurrentItem(item)
        self.verticalScrollBar().setValue(scrolled)

    def _fill(self, view: StrategyEvidenceView, gaps_only: bool) -> None:
        self.clear()
        self.commitment_items.clear()
        objectives = self._group(
            f"Objectives — {view.objectives_summary}",
            None,
        )
        for objective in view.objectives:
            if gaps_only and objective.has_evidence:
                continue
            item = self._row(objectives, objective.heading, "", objective_status(objective))
            self._mark(item, objective.has_evidence, False, objective)
            self._children(item, objective.items, objective.hint)
        for area in view.areas:
            group = self._group(
                f"{area.heading} — {area.evidenced} of {len(area.commitments)} commitments "
                "have evidence",
                area,
            )
            for commitment in area.commitments:
                if gaps_only and commitment.has_evidence:
                    continue
                item = self._row(
                    group,
                    f"{commitment.number} {commitment.text}",
                    commitment.objective_codes,
                    commitment_status(commitment),
                )
                self._mark(item, commitment.has_evidence, commitment.awaiting_review, commitment)
                self._children(item, commitment.items, commitment.hint)
                self.commitment_items[commitment.number] = item
        self._concerns(view.concerns)
        for index in range(self.topLevelItemCount()):
            self.topLevelItem(index).setExpanded(True)

    # ---- rows ------------------------------------------------------------------------------

    def _group(self, text: str, area: AreaEvidence | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self, [text, "", ""])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        item.setData(0, _ROLE, area)
        return item

    @staticmethod
    def _row(parent: QTreeWidgetItem, *texts: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, list(texts))
        for column, text in enumerate(texts):
            item.setToolTip(column, text)
        return item

    def _mark(self, item: QTreeWidgetItem, held: bool, awaiting: bool, value: object) -> None:
        item.setData(0, _ROLE, value)
        if not held:
            item.setIcon(2, self._flag_icon)
            font = QFont(item.font(2))
            font.setBold(True)
            item.setFont(2, font)
        else:
            item.setIcon(2, self._review_icon if awaiting else self._held_icon)

    def _children(
        self, parent: QTreeWidgetItem, items: tuple[EvidenceItem, ...], hint: str
    ) -> None:
        if not items:
            child = self._row(parent, f"What would count: {hint}", "", "")
            child.setData(0, _ROLE, parent.data(0, _ROLE))
            return
        for evidence in items[:EVIDENCE_LISTED]:
            child = self._row(
                parent, f"{evidence.kind.label}: {evidence.title}", "", evidence.detail
            )
            child.setData(0, _ROLE, parent.data(0, _ROLE))
        if len(items) > EVIDENCE_LISTED:
            child = self._row(parent, more_evidence(len(items)), "", "")
            child.setData(0, _ROLE, parent.data(0, _ROLE))

    def _concerns(self, figures: ConcernFigures | None) -> None:
        if figures is None:
            self._group(f"Concern handling — {CONCERNS_HIDDEN}", None)
            return
        group = self._group(
            f"Concern handling — {figures.start:%d/%m/%Y} to {figures.end:%d/%m/%Y}, counts only",
            None,
        )
        group.setData(0, _ROLE, figures)
        for line in figures.lines():
            self._row(group, line, "", "").setData(0, _ROLE, figures)

    def selected_value(self) -> object:
        item = self.currentItem()
        return None if item is None else item.data(0, _ROLE)


class StrategyDetail(QTextBrowser):
    """The selected objective, area or commitment in full, with its evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("strategyDetail")
        self.setAccessibleName("Details of the selected part of the strategy")
        self.setOpenLinks(False)

    def show_value(self, value: object) -> None:
        if isinstance(value, CommitmentEvidence):
            self.setHtml(_commitment_html(value))
        elif isinstance(value, ObjectiveEvidence):
            self.setHtml(_objective_html(value))
        elif isinstance(value, AreaEvidence):
            self.setHtml(
                f"<h3>{escape(value.heading)}</h3><p>{escape(value.aim)}</p>"
                f"<p>{value.evidenced} of {len(value.commitments)} commitments have evidence.</p>"
            )
        elif isinstance(value, ConcernFigures):
            lines = "".join(f"<li>{escape(line)}</li>" for line in value.lines())
            self.setHtml(
                "<h3>Concern handling</h3><p>Counts from the concern log, "
                f"{value.start:%d/%m/%Y} to {value.end:%d/%m/%Y}: no names or details.</p>"
                f"<ul>{lines}</ul>"
            )
        else:
            self.setHtml("<p>Choose an objective or a commitment to see its evidence in full.</p>")


def _evidence_html(items: tuple[EvidenceItem, ...], hint: str) -> str:
    if not items:
        return f"<p><b>What would count:</b> {escape(hint)}</p>"
    rows = "".join(
        f"<li><b>{escape(i.kind.label)}:</b> {escape(i.title)}<br/>{escape(i.detail)}</li>"
        for i in items
    )
    return f"<ul>{rows}</ul>"


def _commitment_html(commitment: CommitmentEvidence) -> str:
    kinds = ", ".join(kind.label for kind in commitment.kinds)
    return (
        f"<h3>{escape(commitment.number)} {escape(commitment.text)}</h3>"
        f"<p>Area {commitment.area.number}, {escape(commitment.area.label)}. "
        f"Serves {escape(commitment.objective_codes or 'no particular objective')}. "
        f"Kinds of evidence: {escape(kinds)}.</p>"
        f"<p><b>{escape(_flagged(commitment_status(commitment)))}</b></p>"
        + _evidence_html(commitment.items, commitment.hint)
    )


def _objective_html(objective: ObjectiveEvidence) -> str:
    serving = ", ".join(objective.commitments) or "none"
    return (
        f"<h3>{escape(objective.heading)}</h3><p>{escape(objective.text)}</p>"
        f"<p>Commitments serving it: {escape(serving)} "
        f"({objective.commitments_evidenced} with evidence).</p>"
        f"<p><b>{escape(_flagged(objective_status(objective)))}</b></p>"
        + _evidence_html(objective.items, objective.hint)
    )


def _flagged(status: str) -> str:
    # The detail has no icon: the warning sign goes into the words.
    return FLAG if status == NO_EVIDENCE else status
