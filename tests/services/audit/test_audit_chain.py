"""The audit trail is hash-chained: editing, deleting or reordering an entry is detected, and the
check names the first broken entry."""

import json
import stat
import threading
from pathlib import Path
from unittest.mock import patch

import pytest
from sqlalchemy import event, select, text
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_log import sealer
from spinetrack.services.audit.audit_trail import patient_access, verify_chain
from spinetrack.services.operations.database import Database
from spinetrack.services.records.enrol_patient import list_patients, register_patient
from spinetrack.storage.audit_chain import GENESIS, append, entry_digest, sealed_digest
from spinetrack.storage.tables import AuditEntry, AuditHead


def _busy_world(world: World) -> int:
    sessions = world.database.sessions
    patient = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
    )
    for _ in range(3):
        list_patients(
            sessions=sessions, actor=world.clinician, clinic_id=world.clinic, offset=0, limit=5
        )
    return patient.id


def _run(database: Database, sql: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(sql))


def test_an_untouched_trail_verifies(world: World) -> None:
    _busy_world(world)
    report = verify_chain(sessions=world.database.sessions)
    assert report.intact and report.checked > 10


def test_an_edited_entry_is_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 7")
    report = verify_chain(sessions=world.database.sessions)
    assert (report.broken_at, report.checked) == (7, 6)
    assert "edited" in report.reason


def test_a_deleted_entry_is_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "DELETE FROM audit_entries WHERE seq = 5")
    report = verify_chain(sessions=world.database.sessions)
    assert report.broken_at == 5
    assert "missing" in report.reason


def test_two_swapped_entries_are_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "UPDATE audit_entries SET seq = -1 WHERE seq = 4")
    _run(world.database, "UPDATE audit_entries SET seq = 4 WHERE seq = 6")
    _run(world.database, "UPDATE audit_entries SET seq = 6 WHERE seq = -1")
    report = verify_chain(sessions=world.database.sessions)
    assert report.broken_at == 4


def test_entries_cut_from_the_end_are_noticed(world: World) -> None:
    _busy_world(world)
    _run(
        world.database, "DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)"
    )
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact
    assert "removed from the end" in report.reason


def test_a_rejected_request_is_chained_too(world: World) -> None:
    _busy_world(world)
    with pytest.raises(InvalidInput):
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(),
        )
    assert verify_chain(sessions=world.database.sessions).intact


def test_who_saw_a_patient_is_listed(world: World) -> None:
    patient_id = _busy_world(world)
    records = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    assert (records[0].actor, records[0].action) == ("staff@north.example", "patient.create")


# --- keyed chain, checkpoints outside the database (issue 22, point 6) --------------------------


def _recompute_from(database: Database, seq: int, key: bytes) -> None:
    """What someone with write access to the database but not the key does after an edit:
    rechain every entry from `seq` on and set the head, as the unkeyed chain allowed."""
    with database.sessions.sessionmaker() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = GENESIS
        for row in rows:
            if row.seq is not None and row.seq >= seq:
                row.prev_hash = prev
                row.entry_hash = sealed_digest(row, row.patients, prev, key)
            prev = row.entry_hash or ""
        head = session.get(AuditHead, 1)
        assert head is not None
        head.entry_hash = prev
        session.commit()


def test_an_edited_entry_with_a_recomputed_chain_is_named(world: World) -> None:
    _busy_world(world)
    verify_chain(sessions=world.database.sessions)
    _run(world.database, "UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 7")
    _recompute_from(world.database, 7, b"a key guessed or taken from an older version")
    report = verify_chain(sessions=world.database.sessions)
    assert (report.broken_at, report.checked) == (7, 6)
    assert "edited" in report.reason


def test_the_unkeyed_sha256_of_old_no_longer_verifies(world: World) -> None:
    _busy_world(world)
    verify_chain(sessions=world.database.sessions)
    with world.database.sessions.sessionmaker() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        prev = GENESIS
        for row in rows:
            row.prev_hash, row.entry_hash = prev, entry_digest(row, prev)
            prev = row.entry_hash
        session.commit()
    assert verify_chain(sessions=world.database.sessions).broken_at == 1


def test_a_cut_tail_with_its_head_moved_back_fails_against_the_checkpoint(world: World) -> None:
    _busy_world(world)
    intact = verify_chain(sessions=world.database.sessions)
    keep = intact.checked - 3
    _run(world.database, f"DELETE FROM audit_entries WHERE seq > {keep}")
    _run(
        world.database,
        "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_entries),"
        " entry_hash = (SELECT entry_hash FROM audit_entries"
        " WHERE seq = (SELECT MAX(seq) FROM audit_entries))",
    )
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact
    assert "checkpoint" in report.reason and "removed from the end" in report.reason


def test_a_deleted_trail_fails_while_patients_remain(world: World) -> None:
    _busy_world(world)
    _run(world.database, "DELETE FROM audit_entries")
    _run(world.database, "DELETE FROM audit_head")
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact
    assert report.checked == 0


def test_a_deleted_trail_fails_even_without_checkpoints(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkpoint file may be lost as well: patient records without a trail still fail."""
    _busy_world(world)
    _run(world.database, "DELETE FROM audit_entries")
    _run(world.database, "DELETE FROM audit_head")
    monkeypatch.setenv("SPINETRACK_AUDIT_CHECKPOINT", str(tmp_path / "elsewhere.jsonl"))
    get_settings.cache_clear()
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact and "no audit trail" in report.reason


def test_a_checkpoint_copy_shipped_elsewhere_is_checked_too(world: World, tmp_path: Path) -> None:
    _busy_world(world)
    verify_chain(sessions=world.database.sessions)
    shipped = tmp_path / "shipped.jsonl"
    shipped.write_text(get_settings().resolved_audit_checkpoint().read_text())
    _run(world.database, "DELETE FROM audit_entries WHERE seq > 2")
    _run(world.database, "DELETE FROM audit_head")
    get_settings().resolved_audit_checkpoint().unlink()  # the local copy went with the tail
    _run(
        world.database,
        "INSERT INTO audit_head (id, seq, entry_hash) SELECT 1, seq, entry_hash"
        " FROM audit_entries WHERE seq = 2",
    )
    assert verify_chain(sessions=world.database.sessions).intact  # locally nothing to compare
    report = verify_chain(sessions=world.database.sessions, checkpoints=shipped)
    assert not report.intact and "checkpoint" in report.reason


def test_the_key_and_checkpoints_live_outside_the_database(world: World) -> None:
    _busy_world(world)
    verify_chain(sessions=world.database.sessions)
    with world.database.sessions.sessionmaker() as session:
        head = session.get(AuditHead, 1)
        assert head is not None and head.seq > 10
        stored = " ".join(f"{r.detail} {r.entry_hash}" for r in session.scalars(select(AuditEntry)))
    assert get_settings().resolved_audit_key().decode() not in stored
    checkpoint = get_settings().resolved_audit_checkpoint()
    last = json.loads(checkpoint.read_text().splitlines()[-1])
    assert (last["seq"], last["entry_hash"]) == (head.seq, head.entry_hash)
    assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600


# --- no lock shared by two clinics (issue 21) ---------------------------------------------------


def test_a_write_touches_no_row_another_clinic_writes(world: World) -> None:
    """The request path stores its entry without the chain head: the head is the sealer's."""
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = world.database.engine
    chain = sealer(world.database.sessions)
    with patch.object(chain, "committed"):  # keep the sealer's own statements out of this
        event.listen(engine, "before_cursor_execute", record)
        try:
            register_patient(
                sessions=world.database.sessions,
                actor=world.staff,
                clinic_id=world.clinic,
                patient=new_patient("NOLOCK-1"),
            )
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert statements and not [s for s in statements if "audit_head" in s]
    assert verify_chain(sessions=world.database.sessions).intact


def test_an_open_write_in_one_clinic_does_not_hold_up_another(world: World) -> None:
    """On PostgreSQL a clinic's write waited for any open write's lock on the chain head; SQLite
    has one writer for the whole file whatever the trail does."""
    if world.database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every write to the file")
    holding = world.database.sessions.sessionmaker()
    append(holding, AuditEntry(actor="a", action="held.open", outcome="ok", clinic_id=world.clinic))
    writer = threading.Thread(
        target=register_patient,
        kwargs={
            "sessions": world.database.sessions,
            "actor": world.outsider,
            "clinic_id": world.other_clinic,
            "patient": new_patient("OTHER-1"),
        },
    )
    try:
        writer.start()
        writer.join(timeout=5)
        assert not writer.is_alive(), "the other clinic's write waited for this one"
    finally:
        holding.commit()
        holding.close()
        writer.join()
    assert verify_chain(sessions=world.database.sessions).intact


def test_concurrent_writes_in_four_clinics_chain_without_gaps(world: World) -> None:
    from spinetrack.services.access.accounts import create_clinic

    system = system_actor("test")
    clinics = [world.clinic, world.other_clinic] + [
        create_clinic(sessions=world.database.sessions, actor=system, slug=f"c{i}", name=f"C{i}")
        for i in range(2)
    ]

    def write(clinic: int) -> None:
        for i in range(8):
            register_patient(
                sessions=world.database.sessions,
                actor=system,
                clinic_id=clinic,
                patient=new_patient(f"P{clinic}-{i}"),
            )

    threads = [threading.Thread(target=write, args=(c,)) for c in clinics]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = verify_chain(sessions=world.database.sessions)
    assert report.intact
    with world.database.sessions.sessionmaker() as session:
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1)) and report.checked == len(seqs)
