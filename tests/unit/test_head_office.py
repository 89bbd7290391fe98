"""Quarterly returns from sites to head office: real bundles into a real head-office store,
the encrypted file by default and a real PostgreSQL server when one is configured."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from prevent_desktop.domain.quarter import Quarter
from prevent_desktop.errors import KnownError, ValidationError
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.sync.bundle_file import BundleError
from prevent_desktop.sync.bundle_import import AlreadyApplied, UnknownDevice
from tests.conftest import PASSPHRASE
from tests.unit.concern_support import PERSON, sample_input
from tests.unit.sync_support import Fleet

QUARTER = Quarter.containing(__import__("datetime").date.today())


def _head_office(folder: Path, store_url: str | None = None) -> Workspace:
    return Workspace.create_head_office(
        folder / "head-office.db",
        organisation="Northern Skills Group",
        login="hana",
        display_name="Hana Ito",
        passphrase=PASSPHRASE,
        store_url=store_url,
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Workspace]:
    fleet = Fleet(tmp_path / "site")
    ws = fleet.first()  # sam: manager and lead
    ws.concerns.log_concern(sample_input())
    ws.concerns.log_concern(sample_input(account="He repeated it the next day."))
    yield ws
    fleet.close()


def _send(site: Workspace, ho: Workspace, folder: Path, name: str = "return.pdbundle") -> Path:
    site.quarterly.set_head_office_key(ho.sync.this_device().age_recipient)
    path = folder / name
    site.quarterly.export(path, QUARTER)
    return path


def test_a_site_return_reaches_head_office_once_its_laptop_is_confirmed(
    site: Workspace, tmp_path: Path
) -> None:
    ho = _head_office(tmp_path)
    try:
        path = _send(site, ho, tmp_path)
        with pytest.raises(UnknownDevice) as unknown:
            ho.head_office.import_return(path)
        assert site.sync.this_device().fingerprint in unknown.value.message
        received = ho.head_office.import_return(path, trust=True)
        assert received.site_name == "Leeds Training Centre" and received.newly_trusted
        [payload] = ho.head_office.returns(QUARTER)
        assert payload["site"]["name"] == "Leeds Training Centre"
        records = payload["concerns"]["records"]
        # Pseudonymised by default: one person, one pseudonym, and no name anywhere.
        assert len(records) == 2
        assert len({r["person"]["pseudonym"] for r in records}) == 1
        assert PERSON.name not in str(payload)
        with pytest.raises(AlreadyApplied):
            ho.head_office.import_return(path)
        # A later export for the same quarter replaces the earlier one.
        newer = _send(site, ho, tmp_path, "newer.pdbundle")
        assert ho.head_office.import_return(newer).replaced
        assert len(ho.head_office.returns(QUARTER)) == 1
        [row] = ho.head_office.sites()
        assert row.quarters == (str(QUARTER),)
    finally:
        ho.close()


def test_head_office_refuses_what_is_not_a_return_or_not_for_it(
    site: Workspace, tmp_path: Path
) -> None:
    ho = _head_office(tmp_path)
    other = (
        _head_office(tmp_path / "elsewhere") if (tmp_path / "elsewhere").mkdir() is None else None
    )
    try:
        # A sync bundle is not a return.
        sync = tmp_path / "sync.pdbundle"
        site.sync.export_to_paired(sync, extra_recipients=[ho.sync.this_device().age_recipient])
        with pytest.raises(BundleError, match="not a quarterly return"):
            ho.head_office.import_return(sync, trust=True)
        # A return for another head office does not open here.
        assert other is not None
        site.quarterly.set_head_office_key(other.sync.this_device().age_recipient)
        foreign = tmp_path / "foreign.pdbundle"
        site.quarterly.export(foreign, QUARTER)
        with pytest.raises(BundleError, match="not addressed"):
            ho.head_office.import_return(foreign, trust=True)
        assert ho.head_office.returns(QUARTER) == []
        # And a site's own database does not import returns.
        with pytest.raises(ValidationError, match="head office"):
            site.head_office.import_return(foreign)
    finally:
        ho.close()
        if other is not None:
            other.close()


def test_a_manager_who_is_not_the_lead_sends_statistics_only(tmp_path: Path) -> None:
    path = tmp_path / "site.db"
    manager = Workspace.create_site(
        path,
        site_name="Hull Skills Hub",
        site_code="HSH",
        login="kim",
        display_name="Kim Lee",
        passphrase=PASSPHRASE,
        safeguarding_lead=False,
    )
    ho = _head_office(tmp_path)
    try:
        manager.quarterly.set_head_office_key(ho.sync.this_device().age_recipient)
        result = manager.quarterly.export(tmp_path / "r.pdbundle", QUARTER)
        assert result.policy == "statistics" and "safeguarding lead" in result.note
        assert result.payload["concerns"]["records"] == []
        with pytest.raises(ValidationError, match="not a public key"):
            manager.quarterly.set_head_office_key("age1notakey")
    finally:
        manager.close()
        ho.close()


def test_the_full_policy_sends_names(site: Workspace, tmp_path: Path) -> None:
    ho = _head_office(tmp_path)
    try:
        site.quarterly.set_concern_policy("full")
        path = _send(site, ho, tmp_path)
        ho.head_office.import_return(path, trust=True)
        [payload] = ho.head_office.returns(QUARTER)
        assert PERSON.name in str(payload["concerns"]["records"])
    finally:
        ho.close()


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_the_standard_age_tool_decrypts_a_return_with_head_offices_identity(
    site: Workspace, tmp_path: Path
) -> None:
    ho = _head_office(tmp_path)
    try:
        path = _send(site, ho, tmp_path)
        identity = tmp_path / "ho-identity.txt"
        identity.write_text(ho.head_office.identity_text() + "\n")
        plain = subprocess.run(
            ["age", "-d", "-i", str(identity), str(path)], capture_output=True, check=True
        )
        listing = subprocess.run(["tar", "-t"], input=plain.stdout, capture_output=True, check=True)
        assert listing.stdout.decode().split() == [
            "records/quarterly_return/000001.jsonl.gz",
            "manifest.json",
            "manifest.sig",
        ]
    finally:
        ho.close()


# ---- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server .ci/run starts, dropped afterwards."""
    server = os.environ.get("PREVENT_DESKTOP_TEST_POSTGRES")
    if not server:
        if os.environ.get("PREVENT_DESKTOP_REQUIRE_POSTGRES") == "1":
            pytest.fail("PREVENT_DESKTOP_REQUIRE_POSTGRES is set but no server URL is given")
        pytest.skip(
            "no PostgreSQL server (.ci/run starts one and sets PREVENT_DESKTOP_TEST_POSTGRES)"
        )
    name = f"prevent_ho_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_head_office_keeps_returns_in_postgresql(
    site: Workspace, tmp_path: Path, postgres_url: str
) -> None:
    ho = _head_office(tmp_path, store_url=postgres_url)
    try:
        path = _send(site, ho, tmp_path)
        ho.head_office.import_return(path, trust=True)
        assert [p["site"]["name"] for p in ho.head_office.returns(QUARTER)] == [
            "Leeds Training Centre"
        ]
    finally:
        ho.close()
    # The rows are in PostgreSQL, not in the encrypted file.
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM ho_return")).scalar()
        assert count == 1
    finally:
        engine.dispose()
    again, _ = Workspace.sign_in(tmp_path / "head-office.db", "hana", PASSPHRASE)
    try:
        assert len(again.head_office.returns(QUARTER)) == 1
        assert again.database.counts().get("ho_return", 0) == 0
    finally:
        again.close()


def test_an_unreachable_postgresql_store_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="Cannot reach the head-office store"):
        _head_office(tmp_path, "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert not (tmp_path / "head-office.db").exists()
    with pytest.raises(KnownError) as error:
        _head_office(tmp_path, "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in error.value.message


def test_an_earlier_quarter_sent_after_a_later_one_is_kept(site: Workspace, tmp_path: Path) -> None:
    ho = _head_office(tmp_path)
    try:
        site.quarterly.set_head_office_key(ho.sync.this_device().age_recipient)
        later, earlier = tmp_path / "later.pdbundle", tmp_path / "earlier.pdbundle"
        site.quarterly.export(earlier, QUARTER.previous())
        site.quarterly.export(later, QUARTER)
        ho.head_office.import_return(later, trust=True)
        ho.head_office.import_return(earlier)
        [row] = ho.head_office.sites()
        assert set(row.quarters) == {str(QUARTER), str(QUARTER.previous())}
    finally:
        ho.close()


def _forged_return(
    site: Workspace,
    ho: Workspace,
    tmp_path: Path,
    change: Callable[[dict[str, Any], dict[str, Any]], None],
) -> Path:
    """A genuine return, changed by `change(manifest, payload)` and signed again with the
    site laptop's own key: what an insider on a trusted laptop could send."""
    import json

    from prevent_desktop.sync.bundle_file import write_bundle
    from prevent_desktop.sync.device import keys_for
    from prevent_desktop.sync.quarterly_bundle import RETURN_MEMBER, read_quarterly_bundle

    path = _send(site, ho, tmp_path)
    ho.head_office.import_return(path, trust=True)
    genuine = read_quarterly_bundle(path, identities=[ho.head_office.identity_text()])
    payload = copy.deepcopy(genuine.payload)
    manifest = {
        k: copy.deepcopy(v)
        for k, v in genuine.verified.manifest.items()
        if k not in ("format", "format_version", "members", "signer")
    }
    change(manifest, payload)
    forged = tmp_path / "forged.pdbundle"
    write_bundle(
        forged,
        manifest,
        [(RETURN_MEMBER, (json.dumps(payload) + "\n").encode())],
        signer=keys_for(site.database, login="sam").signing,
        recipients=[ho.sync.this_device().age_recipient],
    )
    return forged


def test_a_laptop_accepted_for_one_site_cannot_send_another_sites_return(
    site: Workspace, tmp_path: Path
) -> None:
    """An insider on a trusted laptop re-signs a return naming another site."""
    other_site = "00000000-0000-4000-8000-0000000000aa"

    def another_site(manifest: dict[str, Any], payload: dict[str, Any]) -> None:
        payload["site"]["id"] = other_site
        manifest["origin"]["site_id"] = other_site
        manifest["sequence"] += 1

    ho = _head_office(tmp_path)
    try:
        forged = _forged_return(site, ho, tmp_path, another_site)
        with pytest.raises(KnownError, match="another site"):
            ho.head_office.import_return(forged)
        assert [r.site_id for r in ho.head_office.sites()] == [site.database.site_id]
    finally:
        ho.close()


@pytest.mark.parametrize("sequence", [2**63, 10**30])
def test_a_return_numbered_beyond_any_real_count_is_refused(
    site: Workspace, tmp_path: Path, sequence: int
) -> None:
    """As the hostile-bundle corpus found for sync bundles: a signed number SQLite cannot
    store crashed the import, and one just inside would have made every later return older."""

    def numbered(manifest: dict[str, Any], _payload: dict[str, Any]) -> None:
        manifest["sequence"] = sequence

    ho = _head_office(tmp_path)
    try:
        forged = _forged_return(site, ho, tmp_path, numbered)
        with pytest.raises(KnownError, match="sequence number is missing or not a valid"):
            ho.head_office.import_return(forged)
    finally:
        ho.close()


def test_the_store_holds_returns_only_encrypted(site: Workspace, tmp_path: Path) -> None:
    from sqlalchemy import select

    from prevent_desktop.store.sync_models import HeadOfficeReturn

    ho = _head_office(tmp_path)
    try:
        site.quarterly.set_concern_policy("full")
        ho.head_office.import_return(_send(site, ho, tmp_path), trust=True)
        with ho.database.reader() as session:
            stored = session.scalar(select(HeadOfficeReturn.payload))
        assert PERSON.name not in stored and "records" not in stored
        assert PERSON.name in str(ho.head_office.returns(QUARTER))
    finally:
        ho.close()
    with pytest.raises(KnownError, match="must be a PostgreSQL database"):
        _head_office(tmp_path / "x", "sqlite:////tmp/plain.db")


def test_a_changed_head_office_key_or_full_policy_needs_confirming(
    site: Workspace, tmp_path: Path
) -> None:
    """A key or policy changed since this laptop's last return (perhaps planted from another
    laptop) is shown and must be confirmed before anything is sent."""
    from pyrage import x25519

    from prevent_desktop.services.quarterly_export import HeadOfficeChanged

    ho = _head_office(tmp_path)
    try:
        _send(site, ho, tmp_path)
        stranger = str(x25519.Identity.generate().to_public())
        site.quarterly.set_head_office_key(stranger)
        site.quarterly.set_concern_policy("full")
        with pytest.raises(HeadOfficeChanged) as changed:
            site.quarterly.export(tmp_path / "again.pdbundle", QUARTER)
        assert stranger in changed.value.message and "names included" in changed.value.message
        assert not (tmp_path / "again.pdbundle").exists()
        site.quarterly.export(tmp_path / "again.pdbundle", QUARTER, confirm_changes=True)
        site.quarterly.export(tmp_path / "third.pdbundle", QUARTER)  # now the usual
    finally:
        ho.close()
