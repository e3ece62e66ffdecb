"""Uniform rows for bulk inserts: defaults applied where a value is missing or None, and rows with
None in different columns still go to the database as one batch; on SQLite the rows go to the
driver directly, stored exactly as SQLAlchemy would store them, with their new ids in order, and
noted by the data version."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Connection, Table, delete, event, insert, select
from sqlalchemy.orm import Session

from spinetrack.services.operations.database import Database
from spinetrack.storage import bulk_rows
from spinetrack.storage.bulk_rows import (
    batched_insert,
    insert_columns_on_sqlite,
    insert_rows,
    insert_rows_returning_ids,
    uniform_rows,
)
from spinetrack.storage.tables import AnalyticsChange, Clinic, Patient, PromResponse


def test_fixed_defaults_fill_missing_and_none_and_computed_ones_are_left_to_the_insert() -> None:
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {"score_reason": None, "created_at": None},
        {"created_at": stamp},
        {"score_reason": "two items missing"},
    ]
    uniform_rows(PromResponse, rows)
    assert [row.get("score_reason") for row in rows] == ["", "", "two items missing"]
    assert "created_at" not in rows[0]  # the clock default fills it at insert time
    assert rows[1]["created_at"] == stamp


def test_rows_with_none_in_different_columns_go_in_one_batch(sqlite_only: Database) -> None:
    executions: list[bool] = []

    def seen(*args: object) -> None:
        executions.append(bool(args[-1]))  # executemany

    with sqlite_only.sessions.sessionmaker.begin() as session:
        clinic = Clinic(slug="bulk", name="Bulk")
        session.add(clinic)
        session.flush()
        base = {"clinic_id": clinic.id, "given_name": "A", "family_name": "B", "sex": "female"}
        rows = [
            {**base, "mrn": f"M{n}", "birth_date": datetime(1960, 1, 1).date()}
            | ({"email": None} if n % 2 else {"phone": None})
            for n in range(50)
        ]
        event.listen(session.connection(), "before_cursor_execute", seen)
        session.execute(batched_insert(Patient), uniform_rows(Patient, rows))
        event.remove(session.connection(), "before_cursor_execute", seen)
        stored = session.scalars(select(Patient.mrn).where(Patient.clinic_id == clinic.id)).all()
    assert executions == [True]
    assert len(stored) == 50


def _patients(session: Session, clinic_id: int, count: int) -> list[int]:
    rows = [
        {
            "clinic_id": clinic_id,
            "mrn": f"P{n}",
            "given_name": "A",
            "family_name": "B",
            "sex": "female",
            "birth_date": date(1960, 1, 1 + n),
        }
        for n in range(count)
    ]
    return insert_rows_returning_ids(session, Patient, rows)


def _responses(clinic_id: int, patients: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "clinic_id": clinic_id,
            "patient_id": patient,
            "instrument": "odi",
            "instrument_version": "2.1a",
            "completed_at": datetime(2026, 1, 2, 9, 30, n, 250, tzinfo=UTC),
            "source": "import",
            "answers": {"q1": n % 6, "q2": None, "note": "é"},
            "score_status": "ok" if n % 2 else "incomplete",
            "score_answered": 10 - n % 2,
            "score_raw": float(n) if n % 2 else None,
            "score_percent": n / 3 if n % 2 else None,
            "score_reason": None if n % 3 else "two items missing",
        }
        for n, patient in enumerate(patients * 3)
    ]


def _stored(session: Session, clinic_id: int) -> list[tuple[Any, ...]]:
    """Every stored column as SQLite holds it, but the ids and the insert's own clock."""
    skip = {"id", "clinic_id", "patient_id", "created_at"}
    names = [c.name for c in PromResponse.__table__.columns if c.name not in skip]
    query = f"SELECT {', '.join(names)} FROM prom_responses WHERE clinic_id = ? ORDER BY id"
    return list(session.connection().exec_driver_sql(query, (clinic_id,)).all())


def test_the_driver_level_insert_stores_what_sqlalchemy_would(
    sqlite_only: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """insert_rows gives SQLite's driver the rows itself, in one executemany, converted by each
    column type's bind processor (JSON, UTC timestamps, dates, defaults): the stored values are
    those of SQLAlchemy's own INSERT of the same rows."""
    driver_inserts: list[str] = []

    def counted(connection: Connection, core: Table, *args: Any) -> None:
        driver_inserts.append(core.name)
        insert_columns_on_sqlite(connection, core, *args)

    monkeypatch.setattr(bulk_rows, "insert_columns_on_sqlite", counted)
    with sqlite_only.sessions.sessionmaker.begin() as session:
        ours, theirs = Clinic(slug="ours", name="Ours"), Clinic(slug="theirs", name="Theirs")
        session.add_all([ours, theirs])
        session.flush()
        executions: list[str] = []
        seen = lambda *args: executions.append(args[2])  # noqa: E731
        event.listen(session.connection(), "before_cursor_execute", seen)
        insert_rows(session, PromResponse, _responses(ours.id, _patients(session, ours.id, 4)))
        event.remove(session.connection(), "before_cursor_execute", seen)
        core = _responses(theirs.id, _patients(session, theirs.id, 4))
        session.execute(insert(PromResponse.__table__), uniform_rows(PromResponse, core))
        assert _stored(session, ours.id) == _stored(session, theirs.id)
        stamps = session.scalars(
            select(PromResponse.created_at).where(PromResponse.clinic_id == ours.id)
        ).all()
    assert not [sql for sql in executions if sql.startswith("INSERT INTO prom_responses")]
    assert driver_inserts.count("prom_responses") == 1
    assert len(stamps) == 12 and all(stamp is not None for stamp in stamps)


def test_new_ids_come_back_in_the_rows_order_after_those_already_stored(
    sqlite_only: Database,
) -> None:
    with sqlite_only.sessions.sessionmaker.begin() as session:
        clinic = Clinic(slug="ids", name="Ids")
        session.add(clinic)
        session.flush()
        first = _patients(session, clinic.id, 3)
        session.execute(delete(Patient).where(Patient.id == first[1]))
        rows = [
            {
                "clinic_id": clinic.id,
                "mrn": mrn,
                "given_name": "C",
                "family_name": "D",
                "sex": "male",
                "birth_date": date(1970, 5, 6),
            }
            for mrn in ("Z", "A", "M")
        ]
        ids = insert_rows_returning_ids(session, Patient, rows)
        stored = dict(
            session.execute(select(Patient.mrn, Patient.id).where(Patient.mrn.in_(["Z", "A", "M"])))
            .tuples()
            .all()
        )
    assert ids == [first[-1] + 1, first[-1] + 2, first[-1] + 3]
    assert stored == {"Z": ids[0], "A": ids[1], "M": ids[2]}


def test_a_driver_level_insert_bumps_the_data_version_and_logs_its_patients(
    sqlite_only: Database,
) -> None:
    """The data version's listeners see no statement when the driver inserts the rows, so the
    insert notes them itself: the dashboard's cache must not outlive a bulk load."""
    with sqlite_only.sessions() as uow:
        clinic = uow.clinics.add(Clinic(slug="log", name="Log"))
        patients = _patients(uow.session, clinic.id, 2)
        uow.commit()
    with sqlite_only.sessions() as uow:
        before = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == clinic.id))
        insert_rows(uow.session, PromResponse, _responses(clinic.id, patients))
        uow.commit()
    with sqlite_only.sessions() as uow:
        after = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == clinic.id))
        logged = uow.session.execute(
            select(AnalyticsChange.data_version, AnalyticsChange.patient_id).where(
                AnalyticsChange.clinic_id == clinic.id
            )
        ).all()
    assert after == before + 1
    assert sorted(logged) == [(after, patients[0]), (after, patients[1])]
