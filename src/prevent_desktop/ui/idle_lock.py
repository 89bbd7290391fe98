"""Auto-lock: an application-wide event filter that notices when nobody has touched the app.

Every mouse, key, wheel or touch event in any window restarts one single-shot timer; when it
runs out, `idle_timeout` fires and the app controller locks. Timer-based rather than polling so
an idle app costs nothing, and application-wide so that typing in a dialog counts as activity.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
    }
)
MILLISECONDS_PER_MINUTE = 60_000


class IdleLock(QObject):
    idle_timeout = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(10 * MILLISECONDS_PER_MINUTE)
        self._timer.timeout.connect(self.idle_timeout)
        self._watching = False

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval_ms(self, milliseconds: int) -> None:
        """Milliseconds of inactivity before `idle_timeout` (tests use a fraction of a second)."""
        self._timer.setInterval(max(1, int(milliseconds)))
        if self._timer.isActive():
            self._timer.start()

    def set_minutes(self, minutes: int) -> None:
        self.set_interval_ms(minutes * MILLISECONDS_PER_MINUTE)

    @property
    def active(self) -> bool:
        return self._watching

    @property
    def remaining_ms(self) -> int:
        """Milliseconds until the lock, or -1 while not watching."""
        return self._timer.remainingTime() if self._timer.isActive() else -1

    def start(self) -> None:
        """Watch for activity from now on (after an unlock)."""
        application = QCoreApplication.instance()
        if application is not None and not self._watching:
            application.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (while locked there is nothing to protect)."""
        application = QCoreApplication.instance()
        if application is not None and self._watching:
            application.removeEventFilter(self)
        self._watching = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._timer.start()
        return False
