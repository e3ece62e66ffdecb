"""clinician web app: worklist columns

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:00:00

The new columns are filled for existing rows in the same step (a data backfill from the stored
surgeries, scored responses and assessments, with the pure domain rules), so an upgraded database
shows the same worklist as one whose rows were written after the upgrade.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from spinetrack.domain.outcomes import timepoint_for
from spinetrack.domain.outcomes.followup import next_followup

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_COLUMNS = (
    "index_surgery_id",
    "region",
    "procedure",
    "surgeon_id",
    "surgery_date",
    "next_timepoint",
    "next_due_on",
    "next_window_closes_on",
    "red_flag",
    "latest_assessment_id",
)


def upgrade() -> None:
    with op.batch_alter_table("patient_outcomes") as batch_op:
        batch_op.add_column(sa.Column("index_surgery_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("procedure", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("surgeon_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("surgery_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_timepoint", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("next_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_window_closes_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("red_flag", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("latest_assessment_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_patient_outcomes_index_surgery_id_surgeries"),
            "surgeries",
            ["index_surgery_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_patient_outcomes_surgeon_id_users"), "users", ["surgeon_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_patient_outcomes_latest_assessment_id_triage_assessments"),
            "triage_assessments",
            ["latest_assessment_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_patient_outcomes_clinic_due",
            ["clinic_id", "next_due_on", "next_window_closes_on", "status", "red_flag"],
        )
        batch_op.create_index(
            "ix_patient_outcomes_clinic_red_flag", ["clinic_id", "red_flag", "status"]
        )
    with op.batch_alter_table("patient_outcomes") as batch_op:
        batch_op.alter_column("red_flag", server_default=None)
    _backfill(op.get_bind(), date.today())


_surgeries = sa.table(
    "surgeries",
    sa.column("id", sa.Integer),
    sa.column("patient_id", sa.Integer),
    sa.column("performed_on", sa.Date),
    sa.column("region", sa.String),
    sa.column("procedure", sa.String),
    sa.column("surgeon_id", sa.Integer),
)
_responses = sa.table(
    "prom_responses",
    sa.column("patient_id", sa.Integer),
    sa.column("completed_at", sa.DateTime(timezone=True)),
    sa.column("score_status", sa.String),
    sa.column("score_raw", sa.Float),
    sa.column("score_percent", sa.Float),
)
_assessments = sa.table(
    "triage_assessments",
    sa.column("id", sa.Integer),
    sa.column("patient_id", sa.Integer),
    sa.column("red_flags", sa.JSON),
    sa.column("confirmed_at", sa.DateTime(timezone=True)),
)
_outcomes = sa.table("patient_outcomes", sa.column("patient_id", sa.Integer))


def _index_surgeries(bind: sa.Connection) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    for row in bind.execute(sa.select(_surgeries)):
        known = latest.get(row.patient_id)
        if known is None or (row.performed_on, row.id) > (known.performed_on, known.id):
            latest[row.patient_id] = row
    return latest


def _answered(bind: sa.Connection, index: dict[int, Any]) -> dict[int, set[str]]:
    answered: dict[int, set[str]] = defaultdict(set)
    query = sa.select(_responses).where(_responses.c.score_status == "ok")
    for row in bind.execute(query):
        surgery = index.get(row.patient_id)
        value = row.score_percent if row.score_percent is not None else row.score_raw
        if surgery is None or value is None:
            continue
        completed: datetime = row.completed_at
        timepoint = timepoint_for((completed.date() - surgery.performed_on).days)
        if timepoint is not None:
            answered[row.patient_id].add(timepoint)
    return answered


def _latest_assessments(bind: sa.Connection) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    for row in bind.execute(sa.select(_assessments).order_by(_assessments.c.id)):
        latest[row.patient_id] = row
    return latest


def _backfill(bind: sa.Connection, today: date) -> None:
    """Fill the new columns of every existing outcome row (as services/records/patient_status.py does)."""
    index = _index_surgeries(bind)
    answered = _answered(bind, index)
    assessments = _latest_assessments(bind)
    updates = []
    for (patient_id,) in bind.execute(sa.select(_outcomes.c.patient_id)):
        values: dict[str, Any] = {"pid": patient_id} | dict.fromkeys(_COLUMNS)
        surgery = index.get(patient_id)
        if surgery is not None:
            following = next_followup(surgery.performed_on, answered[patient_id], today)
            values |= {
                "index_surgery_id": surgery.id,
                "region": surgery.region,
                "procedure": surgery.procedure,
                "surgeon_id": surgery.surgeon_id,
                "surgery_date": surgery.performed_on,
            }
            if following is not None:
                values |= {
                    "next_timepoint": following.timepoint,
                    "next_due_on": following.due_on,
                    "next_window_closes_on": following.window_closes_on,
                }
        assessment = assessments.get(patient_id)
        values["latest_assessment_id"] = None if assessment is None else assessment.id
        values["red_flag"] = bool(
            assessment is not None and assessment.red_flags and assessment.confirmed_at is None
        )
        updates.append(values)
    if not updates:
        return
    typed = sa.table(
        "patient_outcomes",
        sa.column("patient_id", sa.Integer),
        sa.column("index_surgery_id", sa.Integer),
        sa.column("region", sa.String),
        sa.column("procedure", sa.String),
        sa.column("surgeon_id", sa.Integer),
        sa.column("surgery_date", sa.Date),
        sa.column("next_timepoint", sa.String),
        sa.column("next_due_on", sa.Date),
        sa.column("next_window_closes_on", sa.Date),
        sa.column("red_flag", sa.Boolean),
        sa.column("latest_assessment_id", sa.Integer),
    )
    statement = (
        sa.update(typed)
        .where(typed.c.patient_id == sa.bindparam("pid"))
        .values({name: sa.bindparam(f"v_{name}") for name in _COLUMNS})
    )
    params = [{"pid": u["pid"]} | {f"v_{name}": u[name] for name in _COLUMNS} for u in updates]
    for start in range(0, len(params), 5000):
        bind.execute(statement, params[start : start + 5000])


def downgrade() -> None:
    with op.batch_alter_table("patient_outcomes") as batch_op:
        batch_op.drop_index("ix_patient_outcomes_clinic_red_flag")
        batch_op.drop_index("ix_patient_outcomes_clinic_due")
        batch_op.drop_constraint(
            batch_op.f("fk_patient_outcomes_latest_assessment_id_triage_assessments"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_patient_outcomes_surgeon_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_patient_outcomes_index_surgery_id_surgeries"), type_="foreignkey"
        )
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
