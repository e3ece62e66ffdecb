"""A frame of rows inserted a whole column at a time stores what SQLAlchemy's own INSERT of the
same rows stores (on SQLite, text for text: moments, JSON, defaults), on every database, and is
noted by the data version."""

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import polars as pl
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from spinetrack.services.operations.database import Database
from spinetrack.storage.bulk_frames import insert_frame
from spinetrack.storage.bulk_rows import insert_rows_returning_ids, uniform_rows
from spinetrack.storage.tables import Clinic, Patient, PromResponse

EAST = timezone(timedelta(hours=5, minutes=30))


def _clinic_with_patient(session: Session, slug: str) -> tuple[int, int]:
    clinic = Clinic(slug=slug, name=slug)
    session.add(clinic)
    session.flush()
    row = {
        "clinic_id": clinic.id,
        "mrn": f"M-{slug}",
        "given_name": "A",
        "family_name": "B",
        "sex": "female",
        "birth_date": datetime(1960, 1, 1).date(),
    }
    [patient] = insert_rows_returning_ids(session, Patient, [row])
    return clinic.id, patient


def _rows(clinic_id: int, patient_id: int) -> list[dict[str, Any]]:
    return [
        {
            "clinic_id": clinic_id,
            "patient_id": patient_id,
            "instrument": "odi",
            "instrument_version": "2.1a",
            "completed_at": datetime(2026, 1, 2, 9, 30, n, 250 * n, tzinfo=EAST),
            "source": "import",
            "answers": {"odi_1": n % 6, "odi_2": None},
            "score_status": "ok" if n % 2 else "insufficient",
            "score_answered": 2 - n % 2,
            "score_raw": float(n) if n % 2 else None,
            "score_percent": n / 3 if n % 2 else None,
            "score_reason": "" if n % 2 else "too few items answered",
        }
        for n in range(7)
    ]


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    answers = [json.dumps(row["answers"]) for row in rows]
    moments = pl.Series([row["completed_at"] for row in rows]).dt.convert_time_zone("UTC")
    plain = [{k: v for k, v in row.items() if k not in ("answers", "completed_at")} for row in rows]
    return pl.DataFrame(plain).with_columns(
        pl.Series("answers", answers), moments.alias("completed_at")
    )


def _stored(session: Session, clinic_id: int) -> list[tuple[Any, ...]]:
    skip = {"id", "clinic_id", "patient_id", "created_at"}
    names = [c.name for c in PromResponse.__table__.columns if c.name not in skip]
    query = f"SELECT {', '.join(names)} FROM prom_responses WHERE clinic_id = ? ORDER BY id"
    return list(session.connection().exec_driver_sql(query, (clinic_id,)).all())


def test_a_frame_is_stored_as_sqlalchemy_stores_the_same_rows(sqlite_only: Database) -> None:
    with sqlite_only.sessions.sessionmaker.begin() as session:
        ours, ours_patient = _clinic_with_patient(session, "ours")
        theirs, theirs_patient = _clinic_with_patient(session, "theirs")
        insert_frame(session, PromResponse, _frame(_rows(ours, ours_patient)))
        core = uniform_rows(PromResponse, _rows(theirs, theirs_patient))
        session.execute(insert(PromResponse.__table__), core)
        assert _stored(session, ours) == _stored(session, theirs)
        stamps = session.scalars(
            select(PromResponse.created_at).where(PromResponse.clinic_id == ours)
        ).all()
    assert len(stamps) == 7 and all(stamp is not None for stamp in stamps)


def test_a_frame_reads_back_as_its_rows_on_every_database(database: Database) -> None:
    with database.sessions() as uow:
        clinic, patient = _clinic_with_patient(uow.session, "frame")
        before = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == clinic))
        insert_frame(uow.session, PromResponse, _frame(_rows(clinic, patient)))
        uow.commit()
    with database.sessions() as uow:
        stored = uow.session.scalars(
            select(PromResponse).where(PromResponse.clinic_id == clinic).order_by(PromResponse.id)
        ).all()
        after = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == clinic))
        for row, given in zip(stored, _rows(clinic, patient), strict=True):
            assert row.answers == given["answers"]
            assert row.completed_at == given["completed_at"]
            assert row.completed_at.tzinfo == UTC
            assert (row.score_raw, row.score_reason) == (given["score_raw"], given["score_reason"])
    assert len(stored) == 7
    assert after is not None and before is not None and after > before
