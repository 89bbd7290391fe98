"""How an incoming version of a record meets the local one.

Version vectors say what each side had seen. When one includes the other, the newer version
simply wins (whatever the laptops' clocks say, so a skewed clock cannot reorder history).
When neither does, both laptops changed the record without seeing each other's change: the
later clock stamp wins (ties broken by device id, inside the stamp), the loser is kept on the
Conflicts list, and the vectors are joined so the same pair never conflicts twice.

Append-only records (chronologies, review histories, incident log notes, access entries) never
change once written; the only change accepted is the erasure that comes with deletion. (An
incident log's steps are not among them: ticking a step updates it.)
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

from prevent_desktop.sync.hlc import HlcStamp

APPEND_ONLY_TYPES = frozenset(
    {
        "concern_entry",
        "concern_step",
        "concern_access",
        "risk_review",
        "incident_log_note",
    }
)


# Deleting a concern (at the end of retention) erases its content; the erasure must win over
# any change made meanwhile on another laptop, and the losing version is not kept.
ERASABLE_TYPES = frozenset(
    {"concern", "concern_entry", "concern_step", "concern_referral", "concern_attachment"}
)


# Values that win a concurrent edit whichever side made them: a leaver deactivated on one
# laptop stays deactivated though someone changed their record on another meanwhile.
STICKY_VALUES: dict[str, dict[str, Any]] = {"user": {"active": False}}


class Outcome(enum.Enum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflicts"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    # Values to write (None: leave the local row as it is).
    write: dict[str, Any] | None
    # The losing version when there was a conflict.
    loser: dict[str, Any] | None = None
    winner_hlc: str = ""
    # A change that lost to a deletion at the end of retention: counted, never kept.
    erased: bool = False
    # The merged values are neither side's version: they need a new stamp of this laptop's
    # so that the other laptops take them.
    restamp: bool = False


def compare_vectors(mine: dict[str, int], theirs: dict[str, int]) -> str:
    """'same', 'mine' (mine includes theirs), 'theirs', or 'concurrent'."""
    devices = set(mine) | set(theirs)
    mine_ahead = any(mine.get(d, 0) > theirs.get(d, 0) for d in devices)
    theirs_ahead = any(theirs.get(d, 0) > mine.get(d, 0) for d in devices)
    if mine_ahead and theirs_ahead:
        return "concurrent"
    if mine_ahead:
        return "mine"
    if theirs_ahead:
        return "theirs"
    return "same"


def joined(mine: dict[str, int], theirs: dict[str, int]) -> str:
    vector = {d: max(mine.get(d, 0), theirs.get(d, 0)) for d in set(mine) | set(theirs)}
    return json.dumps(vector, sort_keys=True, separators=(",", ":"))


def decide(
    record_type: str,
    local: dict[str, Any] | None,
    incoming: dict[str, Any],
    local_vector: dict[str, int],
    incoming_vector: dict[str, int],
) -> Decision:
    if local is None:
        return Decision(Outcome.ADDED, incoming)
    if record_type in APPEND_ONLY_TYPES:
        erasure = incoming["deleted"] and not local["deleted"]
        return Decision(Outcome.UPDATED, incoming) if erasure else Decision(Outcome.UNCHANGED, None)
    if incoming["hlc"] == local["hlc"]:
        if (
            local_vector == incoming_vector
            or compare_vectors(local_vector, incoming_vector) == "mine"
        ):
            return Decision(Outcome.UNCHANGED, None)
        # The same version reached us by another route with a fuller history: keep the
        # fuller vector, or the next edit would look concurrent with changes already seen.
        return Decision(Outcome.UNCHANGED, {"versions": joined(local_vector, incoming_vector)})
    relation = compare_vectors(local_vector, incoming_vector)
    if relation == "theirs":
        return Decision(Outcome.UPDATED, incoming)
    if relation in ("mine", "same"):
        if relation == "same" and _stamp(incoming) > _stamp(local):
            # Equal vectors with different stamps only come from damaged history; the later
            # stamp wins everywhere, so the laptops still agree.
            return Decision(Outcome.UPDATED, incoming)
        return Decision(Outcome.UNCHANGED, None)
    vector = joined(local_vector, incoming_vector)
    if record_type in ERASABLE_TYPES and incoming["deleted"] != local["deleted"]:
        if incoming["deleted"]:
            return Decision(Outcome.CONFLICT, {**incoming, "versions": vector}, erased=True)
        return Decision(Outcome.CONFLICT, {"versions": vector}, erased=True)
    incoming_wins = _stamp(incoming) > _stamp(local)
    winner, loser = (incoming, local) if incoming_wins else (local, incoming)
    sticky = {
        name: value
        for name, value in STICKY_VALUES.get(record_type, {}).items()
        if loser.get(name) == value and winner.get(name) != value
    }
    if sticky:
        return Decision(
            Outcome.CONFLICT,
            {**winner, **sticky, "versions": vector},
            loser=loser,
            winner_hlc=winner["hlc"],
            restamp=True,
        )
    if incoming_wins:
        return Decision(
            Outcome.CONFLICT,
            {**incoming, "versions": vector},
            loser=local,
            winner_hlc=incoming["hlc"],
        )
    return Decision(Outcome.CONFLICT, {"versions": vector}, loser=incoming, winner_hlc=local["hlc"])


def _stamp(values: dict[str, Any]) -> HlcStamp:
    return HlcStamp.decode(values["hlc"])
