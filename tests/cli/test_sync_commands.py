"""Sync from the command line: two laptops' databases, real bundle files, real processes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CODE = re.compile(r"Pairing code .*: ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){5})")


def test_pair_join_export_import_both_ways(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = data_dir / "a" / "site.db", data_dir / "b" / "site.db"
    a.parent.mkdir()
    b.parent.mkdir()
    made = run(
        "init", "--db", str(a), "--site", "Hull Skills Hub", "--user", "kim", "--safeguarding-lead"
    )
    assert made.code == 0, made.err

    paired = run("pair", "--db", str(a), "--out", str(data_dir / "hull.pdpair"))
    assert paired.code == 0, paired.err
    code = CODE.search(paired.out)
    assert code is not None, paired.out
    assert "safeguarding key" in paired.out  # kim is the lead: the key goes with the file

    wrong = run(
        "init",
        "--db",
        str(b),
        "--join",
        str(data_dir / "hull.pdpair"),
        "--code",
        "AAAA-AAAA",
        "--user",
        "kim",
    )
    assert wrong.code != 0 and "code does not open" in wrong.err and "Traceback" not in wrong.err
    joined = run(
        "init",
        "--db",
        str(b),
        "--join",
        str(data_dir / "hull.pdpair"),
        "--code",
        code.group(1),
        "--user",
        "kim",
    )
    assert joined.code == 0, joined.err
    assert "as a laptop of Hull Skills Hub" in joined.out

    b_key = run("public-key", "--db", str(b))
    assert b_key.code == 0 and "age1" in b_key.out
    fingerprint = b_key.out.split("Fingerprint:")[1].strip()

    out = data_dir / "from-b.pdbundle"
    assert run("export", "--db", str(b), "--out", str(out)).code == 0
    refused = run("import", "--db", str(a), str(out))
    assert refused.code == 4 and fingerprint in refused.err, refused.err
    accepted = run("import", "--db", str(a), str(out), "--trust")
    assert accepted.code == 0, accepted.err
    assert "Paired with that laptop" in accepted.out and "setting" in accepted.out

    back = data_dir / "from-a.pdbundle"
    assert run("export", "--db", str(a), "--out", str(back)).code == 0
    applied = run("import", "--db", str(b), str(back))
    assert applied.code == 0, applied.err
    assert re.search(r"risk\s+\d+\s+0\s+0\s+0", applied.out), applied.out  # the register arrived

    again = run("import", "--db", str(b), str(back))
    assert again.code == 0 and "nothing changed" in again.err

    info_a = run("info", "--db", str(a), "--json")
    info_b = run("info", "--db", str(b), "--json", "--user", "kim")
    assert json.loads(info_a.out)["counts"]["risk"] == json.loads(info_b.out)["counts"]["risk"]
    listed = run("conflicts", "--db", str(a))
    assert listed.code == 0 and "No sync conflicts" in listed.out


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_the_standard_age_tool_opens_a_bundle_with_the_laptops_identity(
    run,
    data_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Nobody is locked in: with the identity, `age -d` and `tar` read a bundle."""
    from prevent_desktop.services.workspace import Workspace
    from prevent_desktop.sync.device import keys_for
    from tests.conftest import PASSPHRASE

    db = data_dir / "site.db"
    assert run("init", "--db", str(db), "--site", "Hull Skills Hub", "--user", "kim").code == 0
    out = data_dir / "b.pdbundle"
    assert run("export", "--db", str(db), "--out", str(out), "--recipient", _stranger()).code == 0
    ws, _ = Workspace.sign_in(db, "kim", PASSPHRASE)
    try:
        identity = keys_for(ws.database, login="kim").age_identity
    finally:
        ws.close()
    (data_dir / "id.txt").write_text(identity + "\n")
    plain = subprocess.run(
        ["age", "-d", "-i", str(data_dir / "id.txt"), str(out)], capture_output=True, check=True
    )
    listing = subprocess.run(["tar", "-t"], input=plain.stdout, capture_output=True, check=True)
    names = listing.stdout.decode().split()
    assert names[-2:] == ["manifest.json", "manifest.sig"]
    assert any(name.startswith("records/risk/") for name in names)


def _stranger() -> str:
    """Another laptop's public key, so the export has somebody to go to besides itself."""
    from pyrage import x25519

    return str(x25519.Identity.generate().to_public())


def test_quarterly_export_to_head_office_and_its_report(run, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from prevent_desktop.domain.quarter import Quarter

    quarter = str(Quarter.containing(date.today()))
    site, ho = data_dir / "site.db", data_dir / "ho.db"
    made = run(
        "init",
        "--db",
        str(ho),
        "--head-office",
        "--site",
        "Northern Skills Group",
        "--user",
        "hana",
    )
    assert made.code == 0, made.err
    key = re.search(r"(age1[0-9a-z]{58})", made.out)
    assert key is not None, made.out
    assert run("public-key", "--db", str(ho)).out.count(key.group(1)) == 1

    assert (
        run(
            "init",
            "--db",
            str(site),
            "--site",
            "Hull Skills Hub",
            "--user",
            "kim",
            "--safeguarding-lead",
        ).code
        == 0
    )
    missing = run(
        "export",
        "--db",
        str(site),
        "--to",
        "head-office",
        "--quarter",
        quarter,
        "--out",
        str(data_dir / "r.pdbundle"),
    )
    assert missing.code == 2 and "public key is not set" in missing.err
    assert run("head-office", "--db", str(site), "--key", key.group(1)).code == 0
    bad_quarter = run(
        "export",
        "--db",
        str(site),
        "--to",
        "head-office",
        "--quarter",
        "2026Q5",
        "--out",
        str(data_dir / "r.pdbundle"),
    )
    assert bad_quarter.code == 2 and "Traceback" not in bad_quarter.err

    sent = run(
        "export",
        "--db",
        str(site),
        "--to",
        "head-office",
        "--quarter",
        quarter,
        "--out",
        str(data_dir / "r.pdbundle"),
        "--report-pdf",
        str(data_dir / "sent.pdf"),
        "--report-xlsx",
        str(data_dir / "sent.xlsx"),
    )
    assert sent.code == 0, sent.err
    assert "Pseudonymised" in sent.out
    assert (data_dir / "sent.pdf").read_bytes().startswith(b"%PDF")
    assert (data_dir / "sent.xlsx").exists()

    refused = run("import", "--db", str(ho), str(data_dir / "r.pdbundle"))
    assert refused.code == 4 and "fingerprint" in refused.err
    imported = run("import", "--db", str(ho), str(data_dir / "r.pdbundle"), "--trust")
    assert imported.code == 0 and "Hull Skills Hub" in imported.out, imported.err

    report = run(
        "report",
        "quarterly",
        "--db",
        str(ho),
        "--quarter",
        quarter,
        "--out",
        str(data_dir / "org.pdf"),
    )
    assert report.code == 0, report.err
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(data_dir / "org.pdf").pages)
    assert "Hull Skills Hub" in text and "Organisation" in text

    identity = run("identity", "--db", str(ho), "--out", str(data_dir / "ho.key"))
    assert identity.code == 0, identity.err
    assert (data_dir / "ho.key").read_text().startswith("AGE-SECRET-KEY-1")
    assert (data_dir / "ho.key").stat().st_mode & 0o077 == 0
    again = run("identity", "--db", str(ho), "--out", str(data_dir / "ho.key"))
    assert again.code != 0 and "already exists" in again.err
