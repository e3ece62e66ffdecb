"""Uniform rows for bulk inserts: defaults applied where a value is missing or None, and rows with
None in different columns still go to the database as one batch."""

from datetime import UTC, datetime

from sqlalchemy import event, select

from spinetrack.services.operations.database import Database
from spinetrack.storage.bulk_rows import batched_insert, uniform_rows
from spinetrack.storage.tables import Clinic, Patient, PromResponse


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
