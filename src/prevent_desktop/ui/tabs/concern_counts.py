"""The strip of counts above the concern log, for those who see every concern: what awaits
review, referrals and their reviews, and overdue follow-ups. Two of them are buttons that
filter the list (Alt+W and Alt+V)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from prevent_desktop.services.concern_views import LeadCounts


class CountsStrip(QWidget):
    """The lead's (and manager's) counts. Two of them filter the list when clicked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.awaiting_button = QPushButton(self)
        self.awaiting_button.setToolTip("Show the concerns awaiting review")
        self.referrals_label = QLabel(self)
        self.reviews_label = QLabel(self)
        self.reviews_label.setToolTip(
            "Channel reviews fall due 6 and 12 months after support ends (shown from a "
            "fortnight before)"
        )
        self.overdue_button = QPushButton(self)
        self.overdue_button.setToolTip("Show the concerns whose follow-up is overdue")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        for part in self._parts():
            layout.addWidget(part)
        layout.addStretch(1)
        self.clear()

    def show_counts(self, counts: LeadCounts) -> None:
        def text(count: int, words: str, warn: bool = False) -> str:
            return f"{'⚠ ' if warn and count else ''}{words}: {count}"

        # "&": Alt+W and Alt+V filter by the two counts (Alt+A is the Account menu).
        self.awaiting_button.setText(text(counts.awaiting_review, "A&waiting review", True))
        self.referrals_label.setText(
            text(counts.referrals_awaiting_outcome, "Referrals awaiting outcome")
        )
        self.reviews_label.setText(text(counts.referral_reviews_due, "Referral reviews due", True))
        self.overdue_button.setText(text(counts.follow_ups_overdue, "Follow-ups o&verdue", True))
        self.awaiting_button.setEnabled(counts.awaiting_review > 0)
        self.overdue_button.setEnabled(counts.follow_ups_overdue > 0)
        for widget in self._parts():
            widget.setVisible(True)

    def _parts(self) -> tuple[QPushButton | QLabel, ...]:
        return (self.awaiting_button, self.referrals_label, self.reviews_label, self.overdue_button)

    def texts(self) -> list[str]:
        """What each part says, without the buttons' mnemonic markers."""
        return [part.text().replace("&", "") for part in self._parts()]

    def clear(self) -> None:
        for part in self._parts():
            part.setText("")
            part.setVisible(False)
