"""The Training matrix tab: who has done which Prevent and safeguarding training."""

from __future__ import annotations

from prevent_desktop.ui.tabs.tab_page import TabPage


class TrainingMatrixTab(TabPage):
    title = "Training matrix"
    purpose = (
        "Which Prevent and safeguarding training each member of staff has completed, when it "
        "expires, and where the gaps are."
    )
    evidence = (
        "Evidence for areas 2 and 4 of the strategy: building staff understanding and "
        "confidence, and training for delivery teams."
    )
    # The matrix has a row per person, so a change to the users changes it too.
    record_types = frozenset({"user"})
