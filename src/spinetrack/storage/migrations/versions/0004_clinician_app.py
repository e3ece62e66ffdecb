"""clinician web app: worklist columns

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

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
        batch_op.create_index("ix_patient_outcomes_clinic_due", ["clinic_id", "next_due_on"])
        batch_op.create_index("ix_patient_outcomes_clinic_red_flag", ["clinic_id", "red_flag"])
    with op.batch_alter_table("patient_outcomes") as batch_op:
        batch_op.alter_column("red_flag", server_default=None)


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
