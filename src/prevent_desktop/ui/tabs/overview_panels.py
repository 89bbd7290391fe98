"""The Overview's panels: what fell due since the last session, the getting-started checklist
and the "needs action" list. Each line that leads somewhere is a button (reachable with Tab,
read by screen readers), and its state is in words ("Overdue", "Done") as well as colour."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from prevent_desktop.domain.uk_date import uk_date, uk_date_time
from prevent_desktop.services.overview import SINCE_LAST_SESSION_SHOWN
from prevent_desktop.services.overview_views import (
    ActionItem,
    ChecklistItem,
    Link,
    SinceLastSession,
)

EVENT_TEXT_SHOWN = 110  # characters of a "since your last session" line
PANEL_STYLE = (
    "QFrame#{name} {{ border: 1px solid palette(mid); border-radius: 6px;"
    " background: palette(base); }}"
)
TAG_STYLES = {
    # The word is the message; the tint helps the eye. Dark text on light tints reads in a
    # dark palette too.
    "Overdue": "color: #5c0d08; background: #f9d6d2; border-radius: 3px; padding: 1px 6px;",
    "Due soon": "color: #4a3b00; background: #fbe9a6; border-radius: 3px; padding: 1px 6px;",
    "Done": "color: #113d16; background: #cfe9d1; border-radius: 3px; padding: 1px 6px;",
    "To do": "color: #1d3b5c; background: #dbe8f7; border-radius: 3px; padding: 1px 6px;",
}


def panel(name: str, title: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(parent)
    frame.setObjectName(name)
    frame.setStyleSheet(PANEL_STYLE.format(name=name))
    layout = QVBoxLayout(frame)
    heading = QLabel(title, frame)
    heading.setObjectName(f"{name}Title")
    heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
    heading.setWordWrap(True)
    layout.addWidget(heading)
    return frame, layout


def tag(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet(TAG_STYLES[text])
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _clear(layout: QGridLayout | QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()


class ActionList(QFrame):
    """Needs action: one row per kind of item, most pressing first."""

    link_activated = Signal(object)  # a Link

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("needsAction")
        self.setStyleSheet(PANEL_STYLE.format(name="needsAction"))
        outer = QVBoxLayout(self)
        self.heading = QLabel("Needs action", self)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        outer.addWidget(self.heading)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        outer.addLayout(self.grid)
        self.buttons: list[QPushButton] = []

    def set_items(self, items: tuple[ActionItem, ...]) -> None:
        _clear(self.grid)
        self.buttons = []
        if not items:
            done = QLabel("✓ Nothing needs action today.", self)
            done.setObjectName("nothingNeedsAction")
            self.grid.addWidget(done, 0, 0, 1, 3)
            return
        for row, item in enumerate(items):
            self.grid.addWidget(tag(item.state, self), row, 0)
            text = QLabel(f"<b>{item.label}: {item.count}</b><br>{_escape(item.detail)}", self)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            self.grid.addWidget(text, row, 1)
            button = QPushButton("Show", self)
            button.setAccessibleName(f"Show {item.label.lower()}")
            button.setToolTip(f"Open the {item.count} item(s) in their tab, filtered")
            button.clicked.connect(lambda _=False, link=item.link: self.link_activated.emit(link))
            self.grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.buttons.append(button)


class Checklist(QFrame):
    """Getting started: shown while anything on it is still to do."""

    link_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gettingStarted")
        self.setStyleSheet(PANEL_STYLE.format(name="gettingStarted"))
        outer = QVBoxLayout(self)
        self.heading = QLabel("Getting started", self)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        outer.addWidget(self.heading)
        intro = QLabel(
            "The strategy's starter register, courses and incident plans are in place. "
            "Fill these in first; each line ticks itself once the data is there.",
            self,
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        outer.addLayout(self.grid)
        self.buttons: list[QPushButton] = []

    def set_items(self, items: tuple[ChecklistItem, ...]) -> None:
        _clear(self.grid)
        self.buttons = []
        done = sum(item.done for item in items)
        self.heading.setText(f"Getting started: {done} of {len(items)} done")
        for row, item in enumerate(items):
            self.grid.addWidget(tag("Done" if item.done else "To do", self), row, 0)
            text = QLabel(f"<b>{item.label}</b><br>{_escape(item.hint)}", self)
            text.setWordWrap(True)
            self.grid.addWidget(text, row, 1)
            if not item.done and item.link is not None:
                button = QPushButton("Go there", self)
                button.setAccessibleName(item.label)
                button.clicked.connect(
                    lambda _=False, link=item.link: self.link_activated.emit(link)
                )
                self.grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
                self.buttons.append(button)


class SinceLastSessionPanel(QFrame):
    """What fell due since this user's last session here, until dismissed."""

    link_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sinceLastSession")
        self.setStyleSheet(
            "QFrame#sinceLastSession { border: 2px solid palette(highlight);"
            " border-radius: 6px; background: palette(base); }"
        )
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.heading.setWordWrap(True)
        top.addWidget(self.heading, 1)
        self.dismiss_button = QPushButton("&Dismiss", self)
        self.dismiss_button.setAccessibleName("Dismiss what fell due since your last session")
        self.dismiss_button.clicked.connect(self.hide)
        top.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        self.rows = QVBoxLayout()
        outer.addLayout(self.rows)
        self.more = QLabel(self)
        outer.addWidget(self.more)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_since(self, since: SinceLastSession) -> None:
        _clear(self.rows)
        self.buttons = []
        if since.last_seen is None or not since.events:
            self.hide()
            return
        count = len(since.events)
        self.heading.setText(
            f"Since your last session ({uk_date_time(since.last_seen)}), "
            f"{count} {'thing' if count == 1 else 'things'} fell due"
        )
        for event in since.events[:SINCE_LAST_SESSION_SHOWN]:
            text = f"{uk_date(event.on)}  {event.text}"
            # Free text (a risk's title, an action): "&" must not become a mnemonic, and a
            # long line must not widen the page; the whole of it is in the tooltip.
            shown = text if len(text) <= EVENT_TEXT_SHOWN else text[: EVENT_TEXT_SHOWN - 1] + "…"
            button = QPushButton(shown.replace("&", "&&"), self)
            button.setToolTip(text)
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setAccessibleName(f"{event.text}, due {uk_date(event.on)}")
            button.clicked.connect(lambda _=False, link=event.link: self._follow(link))
            self.rows.addWidget(button)
            self.buttons.append(button)
        extra = len(since.events) - SINCE_LAST_SESSION_SHOWN
        self.more.setText(f"…and {extra} more, listed under Needs action." if extra > 0 else "")
        self.more.setVisible(extra > 0)
        self.show()

    def _follow(self, link: Link) -> None:
        self.link_activated.emit(link)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
