"""Asking before an action that takes something away from someone.

One function, so that tests can answer for the user (monkeypatch `ask`) and every question
reads the same way: a specific verb on the button rather than "Yes".
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget, title: str, text: str, action: str, details: str = "") -> bool:
    """True when the user chose `action`; Cancel is the default so Enter never destroys."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"Prevent Desktop — {title}")
    box.setText(text)
    if details:
        box.setInformativeText(details)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    # The parent's actions include Lock: Ctrl+L must work even while this question is open.
    box.addActions(parent.actions())
    box.exec()
    return box.clickedButton() is go
