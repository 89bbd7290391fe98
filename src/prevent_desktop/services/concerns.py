"""The concern log: from a member of staff's first notice to the lead's decision and closure.

Who sees what (checked here, whatever the UI shows):
- staff log concerns and see only their own, with their own account and its status;
- managers who are not leads see the list (reference, dates, status, type, risk level, lead)
  and the statistics, never who it is about, the account, the chronology or attachments;
- safeguarding leads who hold the safeguarding key see and decide everything.
Opening a concern's details, an attachment or a printout is logged (ConcernAccess, audited).

The service is assembled from parts, each a module of its own: reading (logging and
viewing), decisions (the lead's work), lists (configuration and statistics).
"""

from __future__ import annotations

from prevent_desktop.services.concern_base import (
    MAX_ATTACHMENT_BYTES,
    MAX_TEXT,
    OPTION_KINDS,
    RETENTION_SETTING,
)
from prevent_desktop.services.concern_decisions import ConcernDecisions
from prevent_desktop.services.concern_lists import ConcernLists
from prevent_desktop.services.concern_reading import ConcernReading

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MAX_TEXT",
    "OPTION_KINDS",
    "RETENTION_SETTING",
    "ConcernService",
]


class ConcernService(ConcernReading, ConcernDecisions, ConcernLists):
    """Everything the concern log does, for one signed-in user."""
