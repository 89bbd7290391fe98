"""The Overview tab: needs action, charts, the getting-started checklist, what fell due since
the last session, and every link landing on its tab filtered to exactly those records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.concern import ConcernStatus
from prevent_desktop.domain.risk import Rag
from prevent_desktop.domain.training import CellStatus
from prevent_desktop.services.overview import LAST_SESSION_META
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.store.models import MetaEntry
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.tabs.concern_log import ConcernLogTab
from prevent_desktop.ui.tabs.incident_plan import IncidentPlanTab
from prevent_desktop.ui.tabs.overview import OverviewTab
from prevent_desktop.ui.tabs.risk_register import RiskRegisterTab
from prevent_desktop.ui.tabs.training_matrix import TrainingMatrixTab
from prevent_desktop.ui.worker import DatabaseWorker
from tests.gui.shell_support import Screenshot, drain, show_main_window
from tests.gui.training_support import build_sample, visible_names
from tests.unit.concern_support import sample_input, sign_in


def _window(
    qtbot: QtBot, worker: DatabaseWorker, workspace: Workspace, keychain: Keychain
) -> tuple[MainWindow, OverviewTab]:
    window = show_main_window(qtbot, worker, workspace, keychain)
    tab = window.overview_tab
    assert tab is not None
    qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    return window, tab


@pytest.fixture
def shown(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> tuple[MainWindow, OverviewTab]:
    return _window(qtbot, worker, workspace, memory_keychain)


def test_the_overview_is_the_first_tab_with_the_checklist_of_a_new_site(
    qtbot: QtBot, shown: tuple[MainWindow, OverviewTab], screenshot: Screenshot
) -> None:
    window, tab = shown
    assert window.ui.tabs.currentWidget() is tab
    assert tab.threat_badge.text() == "Substantial"
    assert "strong possibility" in tab.threat_meaning.text()
    assert tab.checklist.isVisible()
    assert tab.checklist.heading.text() == "Getting started: 0 of 4 done"
    assert [b.accessibleName() for b in tab.checklist.buttons] == [
        "Fill in your local contacts",
        "Add your staff list",
        "Set head office's public key",
        "Review the starter risk register",
    ]
    # Every band is written out, not only coloured.
    assert [bar.label for bar in tab.rag_chart.bars] == ["Red", "Amber", "Green"]
    assert all(bar.text.endswith(("risk", "risks")) for bar in tab.rag_chart.bars)
    assert "nobody required" in tab.training_chart.describe()
    assert not tab.since_panel.isVisible()  # a first session has nothing to list
    qtbot.wait(50)
    screenshot(window, "overview_new_site")


def test_needs_action_links_to_the_filtered_training_matrix(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    build_sample(workspace)  # Cara's Prevent awareness expired five days ago
    window, tab = _window(qtbot, worker, workspace, memory_keychain)
    labels = [b.accessibleName() for b in tab.action_list.buttons]
    assert "Show training expired" in labels
    button = tab.action_list.buttons[labels.index("Show training expired")]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    matrix = window.tab_of(TrainingMatrixTab)
    assert matrix is not None and window.ui.tabs.currentWidget() is matrix
    qtbot.waitUntil(lambda: matrix.model.rowCount() > 0, timeout=10_000)
    assert matrix.proxy.current_filter.status is CellStatus.EXPIRED
    assert visible_names(matrix) == ["Cara Davies"]
    assert window.ui.tabs.tabText(0).startswith("Overview (")  # overdue items counted


def test_the_rag_chart_opens_the_register_on_that_band_by_keyboard(
    qtbot: QtBot, shown: tuple[MainWindow, OverviewTab]
) -> None:
    window, tab = shown
    tab.rag_chart.setFocus()
    qtbot.keyClick(tab.rag_chart, Qt.Key.Key_Down)  # Red -> Amber
    qtbot.keyClick(tab.rag_chart, Qt.Key.Key_Return)
    register = window.tab_of(RiskRegisterTab)
    assert register is not None and window.ui.tabs.currentWidget() is register
    assert register.proxy.risk_filter.rag is Rag.AMBER
    assert register.filter_bar.rag_combo.currentData() == Rag.AMBER


def test_concerns_awaiting_the_lead_link_to_the_log(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    tom = sign_in(workspace.database.path, "tom")
    tom.concerns.log_concern(sample_input())
    tom.close()
    window, tab = _window(qtbot, worker, workspace, memory_keychain)
    names = [b.accessibleName() for b in tab.action_list.buttons]
    tab.action_list.buttons[names.index("Show concerns awaiting the lead")].click()
    log = window.tab_of(ConcernLogTab)
    assert log is not None and window.ui.tabs.currentWidget() is log
    # Applied once the whole log is there, not to the newest concerns shown while it loads.
    qtbot.waitUntil(
        lambda: log.proxy.concern_filter.status == ConcernStatus.REPORTED.value, timeout=10_000
    )
    assert not log.loading and log.proxy.rowCount() == 1


def test_listed_concerns_stay_listed_until_the_filters_are_cleared(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    ids = [workspace.concerns.log_concern(sample_input()).ids[0] for _ in range(2)]
    window, _tab = _window(qtbot, worker, workspace, memory_keychain)
    log = window.tab_of(ConcernLogTab)
    assert log is not None
    qtbot.waitUntil(lambda: log.model.rowCount() == 2, timeout=10_000)
    window.show_tab(log)
    log.show_only(frozenset(ids[:1]))
    assert log.proxy.rowCount() == 1 and "from the Overview" in log.notice.text()
    log.refresh()  # a reload keeps the restriction
    drain(worker)
    assert log.proxy.rowCount() == 1
    log.filter_bar.clear_button.click()
    assert log.proxy.rowCount() == 2 and log.notice.text() == ""


def test_what_fell_due_since_the_last_session_is_listed_and_followed(
    qtbot: QtBot,
    workspace: Workspace,
    worker: DatabaseWorker,
    memory_keychain: Keychain,
    screenshot: Screenshot,
) -> None:
    sample = build_sample(workspace)
    last = datetime.combine(sample.expired_on - timedelta(days=3), datetime.min.time(), UTC)
    actor = workspace.actor
    with workspace.database.writer(user_id=actor.user_id, login=actor.login) as session:
        session.merge(MetaEntry(key=LAST_SESSION_META + actor.user_id, value=last.isoformat()))
    window, tab = _window(qtbot, worker, workspace, memory_keychain)
    panel = tab.since_panel
    assert panel.isVisible()
    seen = last.astimezone().strftime("%d/%m/%Y")
    assert panel.heading.text().startswith(f"Since your last session ({seen}")
    texts = [b.text() for b in panel.buttons]
    assert any("Prevent awareness expired for Cara Davies" in t for t in texts), texts
    qtbot.wait(50)  # let the layout settle before the picture
    screenshot(window, "overview_since_last_session")
    panel.buttons[0].click()
    assert window.ui.tabs.currentWidget() is window.tab_of(TrainingMatrixTab)
    panel.dismiss_button.click()
    assert not panel.isVisible()


def test_ctrl_numbers_go_to_each_tab(qtbot: QtBot, shown: tuple[MainWindow, OverviewTab]) -> None:
    window, _tab = shown
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.tabs.currentWidget() is window.tab_of(IncidentPlanTab)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.tabs.currentWidget() is window.overview_tab


def test_the_head_office_item_opens_its_settings(
    qtbot: QtBot, shown: tuple[MainWindow, OverviewTab]
) -> None:
    window, tab = shown
    names = [b.accessibleName() for b in tab.checklist.buttons]
    tab.checklist.buttons[names.index("Set head office's public key")].click()
    qtbot.waitUntil(lambda: _head_office_dialog_open(window), timeout=5_000)


def _head_office_dialog_open(window: MainWindow) -> bool:
    from prevent_desktop.ui.settings_dialog import SettingsDialog

    dialog = window.findChild(SettingsDialog)
    return (
        dialog is not None
        and dialog.isVisible()
        and dialog.stack.currentWidget() is dialog.head_office
    )


def test_the_contacts_item_chooses_a_contact_to_fill_in(
    qtbot: QtBot, shown: tuple[MainWindow, OverviewTab]
) -> None:
    window, tab = shown
    tab.checklist.buttons[0].click()
    plans = window.tab_of(IncidentPlanTab)
    assert plans is not None and window.ui.tabs.currentWidget() is plans
    qtbot.waitUntil(lambda: plans.data is not None, timeout=10_000)
    tab.checklist.buttons[0].click()
    chosen = plans.contact_table.current_contact()
    assert chosen is not None and chosen.missing


def test_free_text_in_the_since_panel_is_shown_as_written(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    from prevent_desktop.services.risk_views import ActionInput

    risk = workspace.risks.list_risks()[0]
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    long = "Staff & visitors: R&D briefing " + "with every employer " * 12
    workspace.risks.add_action(risk.id, ActionInput(long, "Sam", yesterday))
    last = datetime.now(UTC) - timedelta(days=3)
    actor = workspace.actor
    with workspace.database.writer(user_id=actor.user_id, login=actor.login) as session:
        session.merge(MetaEntry(key=LAST_SESSION_META + actor.user_id, value=last.isoformat()))
    _shown, tab = _window(qtbot, worker, workspace, memory_keychain)
    button = next(b for b in tab.since_panel.buttons if "Staff" in b.toolTip())
    # "&" is not a mnemonic: shown as written, and no Alt+key is taken by it.
    assert "Staff && visitors" in button.text() and "R&&D" in button.text()
    assert button.text().endswith("…") and long.strip() in button.toolTip()
