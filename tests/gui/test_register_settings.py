"""Risk register settings: categories (register editors) and RAG bands (managers)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from prevent_desktop.domain.risk import Rag
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.keychain import Keychain
from prevent_desktop.ui.main_window import MainWindow
from prevent_desktop.ui.register_settings_dialog import RegisterSettingsDialog
from prevent_desktop.ui.worker import DatabaseWorker
from tests.conftest import STAFF_PASSPHRASE
from tests.gui.shell_support import Screenshot, show_main_window, sign_in


@pytest.fixture
def window(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> MainWindow:
    # `workspace` before `worker`: the worker then stops before the database closes.
    return show_main_window(qtbot, worker, workspace, memory_keychain)


def _dialog(qtbot: QtBot, window: MainWindow) -> RegisterSettingsDialog:
    dialog = window.open_register_settings()
    qtbot.waitUntil(lambda: dialog.category_list.count() > 0)
    return dialog


def test_manager_adds_a_category_and_changes_the_bands(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, screenshot: Screenshot
) -> None:
    dialog = _dialog(qtbot, window)
    assert dialog.category_list.count() == 8
    assert dialog.amber_from.value() == 5 and dialog.red_from.value() == 15
    screenshot(dialog, "register_settings")

    dialog.new_category.setText("Apprentice accommodation")
    qtbot.mouseClick(dialog.add_category_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.category_list.count() == 9)
    assert workspace.risks.categories()[-1].name == "Apprentice accommodation"

    dialog.new_category.setText("apprentice ACCOMMODATION")  # a duplicate: refused inline
    qtbot.mouseClick(dialog.add_category_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already" in dialog._category_message.label.text())
    assert dialog.category_list.count() == 9

    dialog.category_list.setCurrentRow(8)  # the new, unused one
    dialog._rename_category("Apprentice travel")
    qtbot.waitUntil(lambda: dialog.category_list.item(8).text() == "Apprentice travel")
    dialog.category_list.setCurrentRow(0)  # used by risks: refused with the reason
    qtbot.mouseClick(dialog.remove_category_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "use the category" in dialog._category_message.label.text())
    dialog.category_list.setCurrentRow(8)
    qtbot.mouseClick(dialog.remove_category_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.category_list.count() == 8)

    dialog.red_from.setValue(4)  # below amber: cannot be saved
    assert not dialog.save_thresholds_button.isEnabled()
    dialog.amber_from.setValue(4)
    dialog.red_from.setValue(10)
    assert "Red 10–25" in dialog.legend.text()
    with qtbot.waitSignal(window.changed, timeout=5000):
        qtbot.mouseClick(dialog.save_thresholds_button, Qt.MouseButton.LeftButton)
    assert workspace.risks.rag_thresholds().legend()[0] == (Rag.RED, 10, 25)


def test_staff_see_the_settings_but_change_nothing(
    qtbot: QtBot, workspace: Workspace, worker: DatabaseWorker, memory_keychain: Keychain
) -> None:
    tom = sign_in(workspace, "tom", STAFF_PASSPHRASE)
    try:
        staff_window = MainWindow(worker, tom, memory_keychain)
        qtbot.addWidget(staff_window)
        dialog = _dialog(qtbot, staff_window)
        assert not dialog.add_category_button.isVisibleTo(dialog)
        assert not dialog.save_thresholds_button.isVisibleTo(dialog)
        assert not dialog.amber_from.isEnabled()
    finally:
        tom.close()
