"""Windows that still work on a small screen at 200% scaling.

A 1366×768 laptop at 200% is 683×384 points. Tabs and dialogs put what can be tall or wide
inside a scroll area, so on such a screen they scroll instead of running off its edge; on a
screen with room the scroll area is as big as what it holds and no scroll bar shows. The
scroll areas take no Tab stop of their own: moving the focus scrolls the focused control into
view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def scroll_area(parent: QWidget) -> tuple[QScrollArea, QWidget]:
    """A frameless scroll area, sized to what it holds, and the widget to lay out in it."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # Its size hint is its contents' (not Qt's default of about 36×24 lines), so a dialog
    # opens at its natural size wherever the screen has room for it.
    scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    body = QWidget(scroll)
    scroll.setWidget(body)
    return scroll, body


def scrolling_body(page: QWidget) -> QWidget:
    """The widget a tab lays its contents out on, in a scroll area that fills the tab."""
    scroll, body = scroll_area(page)
    scroll.setObjectName("tabScrollArea")
    body.setObjectName("tabBody")
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return body


def fit_to_screen(window: QWidget, wanted: QSize) -> None:
    """Resize to `wanted`, but no bigger than the screen the window is on has room for."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().size() if screen is not None else wanted
    window.resize(wanted.boundedTo(room).expandedTo(window.minimumSizeHint()))


class _Stacker(QObject):
    def __init__(self, window: QWidget, columns: QBoxLayout, needed: int) -> None:
        super().__init__(window)
        self._columns = columns
        self._needed = needed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(event, QResizeEvent):
            narrow = event.size().width() < self._needed
            self._columns.setDirection(
                QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
            )
        return False


def stack_when_narrow(window: QWidget, columns: QBoxLayout) -> None:
    """Two columns side by side go one above the other when `window` is narrower than they
    need (a small screen at 200%), so that it scrolls only downwards. Call it once the
    columns hold their contents; Tab already goes down the left column first."""
    needed = columns.minimumSize().width() + 40  # and the window's margins
    window.installEventFilter(_Stacker(window, columns, needed))
