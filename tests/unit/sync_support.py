"""Laptops of one site for the sync tests: the first made as a new site, the others joined
from its pairing file, each a real encrypted database in its own folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from prevent_desktop.domain.roles import Role
from prevent_desktop.domain.strategy import StrategyArea
from prevent_desktop.services.risk_views import RiskInput
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.models import AuditEntry
from prevent_desktop.store.sync_models import RemoteAuditEntry
from prevent_desktop.sync.bundle_import import UnknownDevice
from prevent_desktop.sync.record_codec import encode_row, record_types
from tests.conftest import LEAD_PASSPHRASE, PASSPHRASE, add_user_with_own_passphrase


class Fleet:
    """A site's laptops, each signed in as its manager (who is also the lead: one session
    per laptop does everything, safeguarding key included)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.laptops: list[Workspace] = []
        self.bundles = 0

    def first(self) -> Workspace:
        path = self.folder / "laptop-0" / "prevent.db"
        ws = Workspace.create_site(
            path,
            site_name="Leeds Training Centre",
            site_code="LTC",
            login="sam",
            display_name="Sam Patel",
            passphrase=PASSPHRASE,
            safeguarding_lead=True,
        )
        add_user_with_own_passphrase(
            ws, "dana", "Dana Okafor", Role.SAFEGUARDING_LEAD, True, LEAD_PASSPHRASE
        )
        self.laptops.append(ws)
        return ws

    def join(self) -> Workspace:
        index = len(self.laptops)
        pairing = self.folder / f"pair-{index}.pdpair"
        code = self.laptops[0].sync.make_pairing_file(pairing)
        ws = Workspace.join_site(
            self.folder / f"laptop-{index}" / "prevent.db",
            pairing,
            code,
            login="sam",
            passphrase=PASSPHRASE,
        )
        self.laptops.append(ws)
        return ws

    def bundle_path(self) -> Path:
        self.bundles += 1
        return self.folder / f"bundle-{self.bundles}.pdbundle"

    def send(self, sender: int, receiver: int, *, trust: bool = False) -> Any:
        """One sync: sender exports for its paired laptops, receiver imports."""
        path = self.bundle_path()
        self.laptops[sender].sync.export_to_paired(path)
        return self.laptops[receiver].sync.import_bundle(path, trust=trust)

    def pair_all(self) -> None:
        """Every laptop paired with every other: the first hears from each new one (with the
        fingerprint confirmed), then the others exchange bundles addressed to each other."""
        for index in range(1, len(self.laptops)):
            try:
                self.send(index, 0)
            except UnknownDevice:
                self.send(index, 0, trust=True)
        for a in range(1, len(self.laptops)):
            for b in range(1, len(self.laptops)):
                if a != b:
                    path = self.bundle_path()
                    recipient = self.laptops[b].sync.this_device().age_recipient
                    self.laptops[a].sync.export_to_paired(path, extra_recipients=[recipient])
                    self.laptops[b].sync.import_bundle(path, trust=True)

    def close(self) -> None:
        for ws in self.laptops:
            ws.close()


def paired_fleet(folder: Path) -> Iterator[Fleet]:
    """Two paired laptops; the second has had one bundle from the first (a fixture's body)."""
    fleet = Fleet(folder / "site")
    fleet.first()
    fleet.join()
    fleet.pair_all()
    fleet.send(0, 1)
    yield fleet
    fleet.close()


def snapshot(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Every synced record as its bundle JSON, by type and id: what must converge."""
    out: dict[str, list[dict[str, Any]]] = {}
    with ws.database.reader() as session:
        for kind in record_types():
            rows = session.execute(select(kind.table).order_by(kind.table.c.id)).mappings()
            out[kind.name] = [encode_row(kind, dict(row), lambda _d: None) for row in rows]
    return out


def audit_ids(ws: Workspace) -> set[str]:
    with ws.database.reader() as session:
        return set(session.scalars(select(AuditEntry.id))) | set(
            session.scalars(select(RemoteAuditEntry.id))
        )


def risk_input(title: str, owner: str = "Sam Patel") -> RiskInput:
    return RiskInput(
        title=title,
        area=StrategyArea.LEADERSHIP_VALUES,
        owner=owner,
        inherent_likelihood=3,
        inherent_impact=3,
        residual_likelihood=2,
        residual_impact=2,
        next_review_on=date(2027, 1, 31),
    )
