"""Migration 0008 re-seals the entries of the unkeyed chain with the key, in their old order, and
its downgrade rebuilds the unkeyed chain that revisions 0003–0007 check."""

from pathlib import Path

from alembic import command
from sqlalchemy import select, text
from tests.support.records import new_patient
from tests.support.world import build_world

from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.storage.audit_chain import GENESIS, entry_digest
from spinetrack.storage.migrate import alembic_config
from spinetrack.storage.tables import AuditEntry


def test_down_to_the_unkeyed_chain_and_up_again_keeps_every_entry_in_order(
    tmp_path: Path,
) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'chain.sqlite3'}")
    try:
        database.upgrade()
        world = build_world(database)
        register_patient(
            sessions=database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(),
        )
        assert verify_chain(sessions=database.sessions).intact

        def order() -> list[tuple[str, str]]:
            with database.sessions.sessionmaker() as session:
                rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
                return [(r.actor, r.action) for r in rows]

        before = order()
        config = alembic_config(database.engine.url.render_as_string(hide_password=False))
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        with database.engine.connect() as connection:
            columns = [c for c in AuditEntry.__table__.columns if c.key != "patients"]
            rows = connection.execute(select(*columns).order_by(AuditEntry.seq)).all()
            prev = GENESIS
            for row in rows:
                assert row.prev_hash == prev
                assert row.entry_hash == entry_digest(row, prev)
                prev = row.entry_hash
            head = connection.execute(text("SELECT seq, entry_hash FROM audit_head")).one()
        assert (head.seq, head.entry_hash) == (len(before), prev)

        database.upgrade()
        with database.sessions.sessionmaker() as session:
            assert session.scalar(select(AuditEntry.seq).limit(1)) is None  # unsealed
        report = verify_chain(sessions=database.sessions)
        assert report.intact and report.checked == len(before)
        assert order() == before
    finally:
        database.close()
