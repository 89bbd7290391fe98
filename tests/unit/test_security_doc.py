"""docs/SECURITY.md says how each protection is tested, by test name: every name it cites must
still exist, so that the document cannot quietly drift from the suite."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "SECURITY.md"
CITED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")


def test_every_test_the_security_document_cites_exists() -> None:
    cited = CITED.findall(DOC.read_text(encoding="utf-8"))
    assert len(cited) > 40
    missing = []
    for path, name in cited:
        source = ROOT / path
        if not source.is_file():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", source.read_text(), re.MULTILINE):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_threat_model_covers_what_the_issue_asks() -> None:
    text = DOC.read_text(encoding="utf-8")
    for heading in (
        "### 1. A lost or stolen laptop",
        "### 2. A curious colleague",
        "### 3. A tampered or foreign USB stick",
        "### 4. A lost passphrase",
        "## Out of scope",
        "A compromised operating system while the database is unlocked",
    ):
        assert heading in text
