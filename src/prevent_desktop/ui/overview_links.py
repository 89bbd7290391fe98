"""Following an Overview item: switch to the tab that holds it and filter it to exactly those
records. Kept apart from the main window so the mapping from Destination to tab reads in one
place, and so the tabs never call each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from prevent_desktop.domain.risk import Rag
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.overview_views import Destination, Link
from prevent_desktop.ui.tabs.concern_log import ConcernLogTab
from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
from prevent_desktop.ui.tabs.tab_page import TabPage
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab

AnyTab = TypeVar("AnyTab", bound=TabPage)

if TYPE_CHECKING:
    from prevent_desktop.ui.main_window import MainWindow


def follow_link(window: MainWindow, link: Link) -> None:
    destination = link.destination
    if destination is Destination.HEAD_OFFICE_SETTINGS:
        window.open_head_office_settings()
        return
    if destination in (Destination.RISKS_OVERDUE, Destination.RISKS_BY_RAG):
        _risks(window, link)
    elif destination in (
        Destination.CONCERNS_AWAITING_LEAD,
        Destination.CONCERNS_LISTED,
        Destination.CONCERNS_FOLLOW_UP_OVERDUE,
    ):
        _concerns(window, link)
    elif destination in (
        Destination.TRAINING_STATUS,
        Destination.TRAINING_COURSE,
        Destination.TRAINING_STAFF,
    ):
        _training(window, link)
    else:
        _incidents(window, link)


def _shown(
    window: MainWindow,
    kind: type[AnyTab],
    show: Callable[[AnyTab], None],
    *,
    picks_a_record: bool = False,
) -> None:
    """Bring the window's tab of this kind to the front (if it has one) and `show(tab)`: at
    once for a filter, or once the records are there for what `picks_a_record` (a course or a
    plan that a tab brought forward before its first load does not have yet)."""
    tab = window.tab_of(kind)
    if tab is None:
        return
    window.show_tab(tab)
    if picks_a_record:
        tab.when_loaded(lambda: show(tab))
    else:
        show(tab)


def _risks(window: MainWindow, link: Link) -> None:
    def show(tab: RiskRegisterTab) -> None:
        if link.destination is Destination.RISKS_BY_RAG and link.value:
            tab.show_rag(Rag(link.value))
        else:
            tab.show_overdue()

    _shown(window, RiskRegisterTab, show)


def _concerns(window: MainWindow, link: Link) -> None:
    def show(tab: ConcernLogTab) -> None:
        if link.destination is Destination.CONCERNS_AWAITING_LEAD:
            tab.show_awaiting_lead()
        elif link.destination is Destination.CONCERNS_FOLLOW_UP_OVERDUE:
            tab.show_follow_ups_overdue()
        else:
            tab.show_only(link.ids)

    # Once loaded: a first load shows the newest concerns before the rest, and a filter from
    # here must work on every concern.
    _shown(window, ConcernLogTab, show, picks_a_record=True)


def _training(window: MainWindow, link: Link) -> None:
    def show(tab: TrainingMatrixTab) -> None:
        if link.destination is Destination.TRAINING_STATUS and link.value:
            tab.show_status(CellStatus(link.value))
        elif link.destination is Destination.TRAINING_COURSE and link.value:
            tab.show_course(link.value)
        else:
            tab.show_staff_list()

    _shown(window, TrainingMatrixTab, show, picks_a_record=True)


def _incidents(window: MainWindow, link: Link) -> None:
    def show(tab: IncidentPlanTab) -> None:
        if link.destination is Destination.INCIDENT_PLAN and link.value:
            tab.show_plan(link.value)
        else:
            tab.show_contacts()

    _shown(window, IncidentPlanTab, show, picks_a_record=True)
