"""The concern person index: a lead's later sessions name each concern's person without an
X25519 opening per concern, and the index never outlives, leaks or contradicts its concern."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from prevent_desktop.domain.concern import ConcernStatus, RetentionRule, SubjectKind
from prevent_desktop.errors import StorageFull
from prevent_desktop.services import concern_person_index
from prevent_desktop.services.concern_records import cipher_for, concern_rows
from prevent_desktop.services.concern_views import ListedPerson, PersonDetails
from prevent_desktop.services.workspace import Workspace
from prevent_desktop.store import sealing
from prevent_desktop.store.concern_models import ConcernPersonIndex
from prevent_desktop.store.database import Database
from prevent_desktop.sync.record_codec import record_types
from tests.unit.concern_support import PERSON, sample_input, sign_in
from tests.unit.sync_support import paired_fleet

AMIRA = PersonDetails(SubjectKind.APPRENTICE, "Amira Khan", learner_reference="L-30011")


@pytest.fixture
def site(workspace: Workspace) -> Iterator[tuple[Path, list[str]]]:
    """Three concerns logged by staff (each sealed to the site's public key)."""
    staff = sign_in(workspace.database.path, "tom")
    ids = [
        staff.concerns.log_concern(sample_input(person=person)).ids[0]
        for person in (PERSON, AMIRA, replace(AMIRA, name="Jay Patel", learner_reference=""))
    ]
    staff.close()
    yield workspace.database.path, ids


@pytest.fixture
def openings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The contexts of the sealed blobs opened (each an X25519 agreement), in order."""
    opened: list[str] = []
    real = sealing.open_sealed

    def counted(private: Any, blob: bytes, context: str) -> bytes:
        opened.append(context)
        opened_blob: bytes = real(private, blob, context)
        return opened_blob

    monkeypatch.setattr(sealing, "open_sealed", counted)
    return opened


def entries(database: Database) -> dict[str, tuple[str, bytes]]:
    with database.reader() as session:
        rows = session.execute(
            select(
                ConcernPersonIndex.concern_id,
                ConcernPersonIndex.concern_stamp,
                ConcernPersonIndex.person_sealed,
            )
        )
        return {concern_id: (stamp, sealed) for concern_id, stamp, sealed in rows}


def as_a_tool_would(database: Database, statement: str, concern_id: str) -> None:
    """`statement` on a concern straight through SQL, foreign keys unchecked (its chronology
    stays), as an SQLCipher tool or a future purge could."""
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute(statement, (concern_id,))
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        raw.close()


def listed(workspace: Workspace) -> dict[str, str | None]:
    return {s.id: s.person for s in workspace.concerns.list_concerns()}


def test_a_later_session_names_people_from_the_index(
    site: tuple[Path, list[str]], openings: list[str]
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    first = listed(lead)
    assert first[ids[0]] == PERSON.display() and first[ids[1]] == AMIRA.display()
    assert len(openings) == 3  # the first list opens each sealed concern once
    assert set(entries(lead.database)) == set(ids)
    lead.close()

    openings.clear()
    again = sign_in(path, "dana")
    try:
        assert listed(again) == first
        assert openings == []  # every person came from the index
        # Concerns about the same person are found through the index too: with the
        # session's own memory cleared, opening one concern opens only that concern.
        again.concerns._people.clear()
        assert [s.id for s in again.concerns.open_concern(ids[0]).same_person] == []
        assert openings == [f"concern|{ids[0]}|details"]
    finally:
        again.close()


def test_an_amended_concern_is_opened_afresh(
    site: tuple[Path, list[str]], openings: list[str]
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    listed(lead)
    before = entries(lead.database)[ids[0]]
    details = lead.concerns.open_concern(ids[0]).details
    lead.concerns.amend_details(ids[0], replace(details, person=AMIRA), "Wrong learner chosen")
    # The amendment's trigger removed the entry made from the old details.
    assert ids[0] not in entries(lead.database)
    lead.close()

    again = sign_in(path, "dana")
    try:
        assert listed(again)[ids[0]] == AMIRA.display()
        after = entries(again.database)[ids[0]]
        assert after[0] != before[0]  # made again, from the amended details
    finally:
        again.close()


def test_erasure_at_the_end_of_retention_takes_the_entry(
    site: tuple[Path, list[str]], workspace: Workspace
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    try:
        listed(lead)
        concerns = lead.concerns
        unknown = PersonDetails(SubjectKind.UNKNOWN, description="Older man at the gate")
        staff = sign_in(path, "tom")
        gone = staff.concerns.log_concern(sample_input(person=unknown)).ids[0]
        staff.close()
        listed(lead)
        assert gone in entries(lead.database)
        for step, why in [
            (ConcernStatus.UNDER_REVIEW, "Review"),
            (ConcernStatus.NO_FURTHER_ACTION, "Visitor; no link to any learner"),
            (ConcernStatus.CLOSED, "Closed"),
        ]:
            concerns.change_status(gone, step, why, on=date(2019, 1, 10))
        concerns.set_retention_rule(RetentionRule(years_after_birth=25, years_after_closure=6))
        concerns.delete_concern(gone, "Past retention")
        assert gone not in entries(lead.database)
        assert set(entries(lead.database)) == set(ids)
        # A row deleted outright (by a tool, or a future purge) takes its entry as well.
        as_a_tool_would(lead.database, "DELETE FROM concern WHERE id = ?", ids[2])
        assert set(entries(lead.database)) == set(ids[:2])
    finally:
        lead.close()


def test_entries_are_sealed_local_and_leave_kept_reads(
    site: tuple[Path, list[str]], workspace: Workspace
) -> None:
    path, _ids = site
    lead = sign_in(path, "dana")
    try:
        grid = lead.training.matrix()
        commits = lead.database._commits
        listed(lead)
        # Writing the index is no change to the records: the reads kept for the tabs stay.
        assert lead.database._commits == commits
        assert lead.training.matrix() is grid
        for _stamp, sealed in entries(lead.database).values():
            assert b"Kyle" not in sealed and b"Amira" not in sealed and b"Jay" not in sealed
        # Not a synced record: no bundle carries it.
        assert "concern_person_index" not in {kind.table.name for kind in record_types()}
        # A manager (no safeguarding key) neither reads nor writes it.
        workspace.concerns.list_concerns()
        assert all(s.person is None for s in workspace.concerns.list_concerns())
        with lead.database.reader() as session:
            audited = session.scalar(
                text("SELECT count(*) FROM audit_entry WHERE record_type LIKE '%person_index%'")
            )
        assert audited == 0
    finally:
        lead.close()


def test_a_damaged_entry_is_opened_from_the_concern(
    site: tuple[Path, list[str]], openings: list[str]
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    listed(lead)
    stamp, sealed = entries(lead.database)[ids[1]]
    damaged = sealed[:-1] + bytes([sealed[-1] ^ 1])
    lead.database.write_local_index(
        lambda connection: connection.execute(
            text("UPDATE concern_person_index SET person_sealed = :s WHERE concern_id = :id"),
            {"s": damaged, "id": ids[1]},
        )
    )
    lead.close()
    openings.clear()
    again = sign_in(path, "dana")
    try:
        assert listed(again)[ids[1]] == AMIRA.display()
        assert len(openings) == 1  # that one concern, opened from its sealed details
        assert entries(again.database)[ids[1]] != (stamp, damaged)  # and its entry remade
    finally:
        again.close()


def test_no_entry_for_a_concern_changed_or_erased_after_the_list_read_it(
    site: tuple[Path, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    try:
        concerns = lead.concerns
        cipher = cipher_for(lead.database)
        with lead.database.reader() as session:
            rows = {row.id: row for row in concern_rows(session, with_details=True)}
        for row in rows.values():  # as a list reads them, leaving them to be saved
            concerns._person(cipher, row)
        # Meanwhile another window amends one concern and the lead erases another.
        details = concerns.open_concern(ids[0]).details
        concerns.amend_details(ids[0], replace(details, person=AMIRA), "Wrong learner chosen")
        with lead.database.writer(user_id=None, login="test") as session:
            session.execute(
                text("UPDATE concern SET deleted = 1, details_sealed = x'' WHERE id = :id"),
                {"id": ids[1]},
            )
        concerns._save_people(cipher)
        assert set(entries(lead.database)) == {ids[2]}  # only the one left as it was read
        assert "not updated" not in caplog.text
    finally:
        lead.close()


def test_an_entry_opens_only_for_its_own_concern_and_from_a_lead(
    site: tuple[Path, list[str]], openings: list[str]
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    listed(lead)
    held = entries(lead.database)
    cipher = cipher_for(lead.database)
    lengths = {len(sealed) for _stamp, sealed in held.values()}
    assert len(lengths) == 1  # padded: the length tells nothing about who

    def replace_entry(concern_id: str, sealed: bytes) -> None:
        lead.database.write_local_index(
            lambda connection: connection.execute(
                text("UPDATE concern_person_index SET person_sealed = :s WHERE concern_id = :id"),
                {"s": sealed, "id": concern_id},
            )
        )

    # Another concern's entry copied over this one's, and one sealed to the site's public key
    # (which anyone can do): neither opens, and the concern's own details are read instead.
    replace_entry(ids[0], held[ids[1]][1])
    forged = sealing.seal(
        cipher.public,
        b'["Someone Else", "ref:x-1"]',
        f"concern_person_index|{ids[2]}|v1:{held[ids[2]][0]}",
    )
    replace_entry(ids[2], forged)
    lead.close()
    openings.clear()
    again = sign_in(path, "dana")
    try:
        people = listed(again)
        assert people[ids[0]] == PERSON.display() and people[ids[2]] == "Jay Patel"
        assert sorted(openings) == sorted(f"concern|{i}|details" for i in (ids[0], ids[2]))
    finally:
        again.close()


def test_the_head_schema_has_the_index_triggers(workspace: Workspace) -> None:
    """A migration that rebuilds the concern table drops its triggers; this says so."""
    with workspace.database.reader() as session:
        names = set(
            session.scalars(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'concern'"
                )
            )
        )
    assert {
        "concern_person_index_on_change",
        "concern_person_index_on_delete",
        "concern_person_index_on_insert",
    } <= names


def test_a_concern_written_anew_takes_its_entry(site: tuple[Path, list[str]]) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    try:
        listed(lead)
        as_a_tool_would(
            lead.database,
            "INSERT OR REPLACE INTO concern SELECT * FROM concern WHERE id = ?",
            ids[0],
        )
        assert ids[0] not in entries(lead.database)
    finally:
        lead.close()


def test_an_erasure_arriving_by_sync_takes_the_entry(tmp_path: Path) -> None:
    fleet_iter = paired_fleet(tmp_path)
    fleet = next(fleet_iter)
    try:
        first, second = fleet.laptops
        concern_id = first.concerns.log_concern(sample_input()).ids[0]
        fleet.send(0, 1)
        assert listed(second)[concern_id] == PERSON.display()
        assert concern_id in entries(second.database)
        details = first.concerns.open_concern(concern_id).details
        first.concerns.amend_details(concern_id, replace(details, person=AMIRA), "Wrong learner")
        fleet.send(0, 1)
        assert concern_id not in entries(second.database)
        assert listed(second)[concern_id] == AMIRA.display()
    finally:
        fleet_iter.close()


def test_no_entry_for_details_changed_since_the_list_read_them(
    site: tuple[Path, list[str]],
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    try:
        # As the list read the concern, before a change made meanwhile (its stamp moved on).
        stale = "000000000000001-000000-elsewhere"
        person = ListedPerson.of(PERSON)
        cipher = cipher_for(lead.database)
        concern_person_index.save_entries(lead.database, cipher, [(ids[0], stale, person)])
        assert entries(lead.database) == {}
    finally:
        lead.close()


def test_a_full_disk_costs_only_speed(
    site: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, ids = site
    lead = sign_in(path, "dana")
    try:

        def full(_write: Any) -> None:
            raise StorageFull("The disk is full.")

        monkeypatch.setattr(lead.database, "write_local_index", full)
        assert listed(lead)[ids[0]] == PERSON.display()
        monkeypatch.undo()
        assert entries(lead.database) == {}
    finally:
        lead.close()
