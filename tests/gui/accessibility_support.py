"""What the accessibility tests look for in a window: its controls, their names, the Tab
order that reaches them, their mnemonics, and the WCAG contrast of a pair of colours.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

# Inputs: each needs a name a screen reader can say (its own, or its label's).
INPUTS: tuple[type[QWidget], ...] = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,  # QSpinBox, QDateEdit, QDateTimeEdit
    QAbstractItemView,
)
BUTTONS: tuple[type[QWidget], ...] = (QCheckBox, QRadioButton, QPushButton, QToolButton)
# Parts of another control that Qt builds and names itself (a spin box's line edit, a
# table's header and corner button, a line edit's clear button, a tab bar's scroll arrows).
_OWNERS: tuple[type[QWidget], ...] = (
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QLineEdit,
    QTabBar,
    QMenuBar,
    QCalendarWidget,
)


def _inside_another_control(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, _OWNERS):
            return True
        parent = parent.parentWidget()
    return False


def _display_only(widget: QWidget) -> bool:
    """A button drawn as a label (the register's threat badge): neither clicked nor focused."""
    return (
        widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        and widget.focusPolicy() == Qt.FocusPolicy.NoFocus
    )


def controls(root: QWidget) -> list[QWidget]:
    """Every control a person can use in `root` as it is shown now (visible, enabled)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS + BUTTONS) or isinstance(widget, QHeaderView):
            continue
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if _inside_another_control(widget, root) or _display_only(widget):
            continue
        found.append(widget)
    return found


def visible_text(widget: QWidget) -> str:
    """A button's own words, without the mnemonic marker; "" for "…" or "▲"."""
    if not isinstance(widget, QAbstractButton):
        return ""
    text = widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
    return text if re.search(r"\w", text) else ""


def label_buddies(root: QWidget) -> set[int]:
    """The ids of the widgets some label in `root`'s window names (QLabel.setBuddy)."""
    window = root.window()
    named = set()
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and re.search(r"\w", label.text()):
            named.add(id(buddy))
    return named


def name_of(widget: QWidget, buddies: set[int]) -> str:
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, BUTTONS) and visible_text(widget):
        return visible_text(widget)
    if id(widget) in buddies:
        return "(its label)"
    return ""


def describe(widget: QWidget) -> str:
    parents = []
    parent = widget.parentWidget()
    while parent is not None and len(parents) < 3:
        parents.append(parent.objectName() or type(parent).__name__)
        parent = parent.parentWidget()
    text = ""
    if isinstance(widget, QAbstractButton):
        text = f" {widget.text()!r}"
    elif isinstance(widget, QLineEdit):
        text = f" placeholder={widget.placeholderText()!r}"
    elif isinstance(widget, QComboBox):
        text = f" current={widget.currentText()!r}"
    name = widget.objectName() or ""
    return f"{type(widget).__name__}{text} {name} in {' < '.join(parents)}".strip()


def unnamed_controls(root: QWidget) -> list[str]:
    buddies = label_buddies(root)
    return [describe(w) for w in controls(root) if not name_of(w, buddies)]


def arrow_keys_reach(widget: QWidget) -> bool:
    """An unchecked radio button of a group: Tab stops on the checked one of the group, and
    the arrow keys move between them (Qt takes Tab focus off the others itself)."""
    return (
        isinstance(widget, QRadioButton)
        and not widget.isChecked()
        and (widget.autoExclusive() or widget.group() is not None)
    )


def unreachable_by_tab(root: QWidget) -> list[str]:
    """Controls whose focus policy refuses Tab."""
    return [
        describe(w)
        for w in controls(root)
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) and not arrow_keys_reach(w)
    ]


def reading_order_first(root: QWidget) -> QWidget:
    """The control nearest the top left corner that Tab can reach: where a walk starts."""
    reachable = [w for w in controls(root) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]

    def position(widget: QWidget) -> tuple[int, int]:
        corner = widget.mapTo(root, widget.rect().topLeft())
        return corner.y(), corner.x()

    return focus_target(min(reachable, key=position))


def missed_by_tab(root: QWidget, visited: list[QWidget]) -> list[str]:
    """Controls of `root` that a Tab walk did not reach."""
    seen = {id(w) for w in visited}
    return [
        describe(w)
        for w in controls(root)
        if id(focus_target(w)) not in seen and not arrow_keys_reach(w)
    ]


def dead_mnemonics(root: QWidget) -> list[str]:
    """Labels with an Alt+letter that lands nowhere: no buddy, or one that takes no focus."""
    dead = []
    for label in root.findChildren(QLabel):
        if not label.isVisibleTo(root) or mnemonic(label.text()) is None:
            continue
        if label.textFormat() == Qt.TextFormat.RichText:
            continue
        buddy = label.buddy()
        if buddy is None or focus_target(buddy).focusPolicy() == Qt.FocusPolicy.NoFocus:
            dead.append(f"label {label.text()!r}")
    return dead


def focus_cycle(window: QWidget, start: QWidget, limit: int = 400) -> list[QWidget]:
    """Press Tab from `start` until focus comes back to it: the widgets visited, in order."""
    window.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert QApplication.focusWidget() is start, f"{describe(start)} did not take the focus"
    visited = [start]
    for _ in range(limit):
        window.focusNextChild()
        QApplication.processEvents()
        current = QApplication.focusWidget()
        assert current is not None, "Tab took the focus out of the window"
        if current is start:
            return visited
        visited.append(current)
    raise AssertionError(f"Tab did not come back to {describe(start)} in {limit} presses")


def focus_target(widget: QWidget) -> QWidget:
    """The widget that really takes focus for `widget` (an editable combo's line edit...)."""
    proxy = widget.focusProxy()
    while proxy is not None:
        widget = proxy
        proxy = widget.focusProxy()
    return widget


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" in a button or menu title, lower case."""
    match = re.search(r"(?<!&)&([^&\s])", text)
    return match.group(1).lower() if match else None


# ---- colour --------------------------------------------------------------------------------


def _channel(value: float) -> float:
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    red, green, blue = (_channel(c) for c in (colour.red(), colour.green(), colour.blue()))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: QColor | str, second: QColor | str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""
    one, two = sorted((luminance(QColor(first)), luminance(QColor(second))), reverse=True)
    return (one + 0.05) / (two + 0.05)


def mnemonic_owners(root: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> what answers it in `root` as shown: buttons, labels with a buddy, tabs
    and, for a main window, its menu titles."""
    owners: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        letter = mnemonic(text)
        if letter:
            owners.setdefault(letter, []).append(what)

    window = root.window()
    for menu_bar in window.findChildren(QMenuBar):
        for action in menu_bar.actions():
            if action.isVisible():
                add(action.text(), f"menu {action.text()!r}")
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), f"button {widget.text()!r}")
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), f"label {widget.text()!r}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), f"tab {widget.tabText(index)!r}")
    return owners


def mnemonic_clashes(root: QWidget) -> dict[str, list[str]]:
    return {key: whats for key, whats in mnemonic_owners(root).items() if len(whats) > 1}


def _outer_scroll_area(widget: QWidget, root: QWidget) -> QScrollArea | None:
    found = None
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QScrollArea):
            found = parent
        parent = parent.parentWidget()
    return found


def _rect(widget: QWidget, inside: QWidget) -> QRect:
    return widget.rect().translated(widget.mapTo(inside, widget.rect().topLeft()))


def _places(before: QWidget, after: QWidget, root: QWidget) -> tuple[QRect, QRect]:
    """Where two widgets sit for reading order: in the same scroll area, where they sit on
    its (unscrolled) contents; otherwise a scroll area stands for everything in it."""
    first, second = _outer_scroll_area(before, root), _outer_scroll_area(after, root)
    if first is not None and first is second:
        content = first.widget()
        return _rect(before, content), _rect(after, content)
    return _rect(first or before, root), _rect(second or after, root)


def order_problems(visited: list[QWidget], root: QWidget) -> list[str]:
    """Steps of a Tab walk through `root` that go against reading order: back up to a widget
    wholly above the last one in the same column, or back left along the same line. Moving
    on to the top of a column further right is fine (a form's second column, a splitter's
    right pane). The walk is a cycle, so one step back to the top (the wrap) is allowed."""
    # Cell widgets take their turn inside their table (and may be scrolled out of view).
    inside = [
        w
        for w in visited
        if root.isAncestorOf(w)
        and not isinstance(w.parentWidget().parentWidget(), QAbstractItemView)
    ]
    problems = []
    for before, after in zip(inside, inside[1:] + inside[:1], strict=True):
        if before is after:
            continue
        a, b = _places(before, after, root)
        back_up = b.bottom() < a.top() and b.left() < a.right()
        same_line = b.top() <= a.bottom() and a.top() <= b.bottom()
        back_left = same_line and b.right() < a.left()
        if back_up or back_left:
            problems.append(f"{describe(before)} -> {describe(after)}")
    return problems if len(problems) > 1 else []
