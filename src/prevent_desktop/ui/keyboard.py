"""Keyboard use that several windows share: Tab order in reading order, Ctrl+F to search.

Qt's Tab order is the order widgets were made in (and a widget moved into a splitter goes to
the end), which is rarely the order they are shown in. Pages that build their parts out of
order say the order they are read in with `set_tab_order`.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QWidget


def set_tab_order(*widgets: QWidget) -> None:
    """Tab goes through `widgets` in this order. A part that takes no focus itself (a filter
    bar, a group box) stands for the controls inside it, in their own order."""
    stops = [stop for widget in widgets for stop in tab_stops(widget)]
    for first, second in pairwise(stops):
        QWidget.setTabOrder(first, second)


def tab_stops(widget: QWidget) -> list[QWidget]:
    """`widget` if it takes the focus, else the controls inside it in their Tab order (Qt's
    setTabOrder ignores a widget that takes no focus)."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus or widget.focusProxy() is not None:
        return [widget]
    window = widget.window()
    stops = []
    current = window.nextInFocusChain()
    while current is not None and current is not window:
        if (
            widget.isAncestorOf(current)
            and current.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not _part_of_a_control(current, widget)
        ):
            stops.append(current)
        current = current.nextInFocusChain()
    return stops


def _part_of_a_control(candidate: QWidget, container: QWidget) -> bool:
    """A combo box's line edit, a table's viewport: moved with their control, not alone."""
    parent = candidate.parentWidget()
    while parent is not None and parent is not container:
        if parent.focusPolicy() != Qt.FocusPolicy.NoFocus:
            return True
        parent = parent.parentWidget()
    return False


def buttons_in_shown_order(box: QDialogButtonBox) -> list[QWidget]:
    """A button box's buttons left to right: the platform decides where OK and Cancel go."""
    layout = box.layout()
    shown = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [widget for widget in shown if widget is not None and widget in box.buttons()]


def search_shortcut(owner: QWidget, field: QLineEdit) -> QShortcut:
    """Ctrl+F (the platform's Find key) puts the cursor in `field`, its text selected, while
    `owner` is shown: each tab has its own search box, and only the one in view answers."""
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), owner)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)

    def focus() -> None:
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    shortcut.activated.connect(focus)
    find = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
    if find:
        field.setToolTip(f"Search ({find})")
    return shortcut
