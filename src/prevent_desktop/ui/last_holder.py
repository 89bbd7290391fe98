"""When a change would leave nobody holding the safeguarding key, the service refuses it; the
manager is then asked whether to go ahead anyway (a departed lead must still be removable)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from prevent_desktop.services.safeguarding_access import LastSafeguardingHolder
from prevent_desktop.ui import confirmation


def retry_when_confirmed(
    parent: QWidget,
    retry_with_force: Callable[[], None],
    otherwise: Callable[[BaseException], None],
) -> Callable[[BaseException], None]:
    """A failure handler: on LastSafeguardingHolder, ask and retry with force; anything else
    (or No) goes to `otherwise`."""

    def handle(error: BaseException) -> None:
        if isinstance(error, LastSafeguardingHolder) and confirmation.ask(
            parent,
            "Safeguarding access",
            "This removes the last copy of the safeguarding key on this database.",
            "&Continue anyway",
            error.message
            + " Only the safeguarding recovery key can then give a lead access again.",
        ):
            retry_with_force()
            return
        otherwise(error)

    return handle
