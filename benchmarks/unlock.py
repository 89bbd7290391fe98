"""Unlocking: what the program adds on top of the deliberate cost of key derivation.

Baseline: one Argon2id derivation with the production parameters. Figure: a full unlock
(derive, unwrap, open, verify every page, check the schema, read the site) of a database
with a few thousand audited changes.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from prevent_desktop.domain.threat import ThreatLevel
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store.database import Database
from prevent_desktop.store.keyslots import DEFAULT_KDF, KeyFile, derive_key_encryption_key

PASSPHRASE = "benchmark passphrase 2026"
REPEATS = 5


def _median(action: Any) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        database, _ = Database.create(
            path,
            site_name="Bench",
            site_code="B",
            login="sam",
            display_name="Sam",
            passphrase=PASSPHRASE,
            safeguarding_lead=False,
            kdf=DEFAULT_KDF,
        )
        database.close()
        workspace, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
        start = date(2000, 1, 1)
        for day in range(2000):
            workspace.site.set_threat_level(ThreatLevel.SEVERE, start + timedelta(days=day))
        workspace.close()

        slot = KeyFile.for_database(path).slots[0]
        kdf = _median(lambda: derive_key_encryption_key(PASSPHRASE, slot.salt, slot.kdf))

        def unlock() -> None:
            ws, _ = Workspace.sign_in(path, "sam", PASSPHRASE)
            ws.site.site()
            ws.close()

        full = _median(unlock)
    return [
        {
            "name": "unlock (2,000 changes) vs key derivation",
            "figure_s": full,
            "baseline_s": kdf,
            "ratio": full / kdf,
            "overhead_s": full - kdf,
            "target": "overhead <= 0.5 s",
        }
    ]
