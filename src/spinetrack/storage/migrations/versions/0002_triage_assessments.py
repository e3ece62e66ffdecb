"""triage: clinical findings and stored assessments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 20:42:33.649141
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinical_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("finding", sa.String(length=64), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clinical_findings_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_clinical_findings_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinical_findings")),
    )
    with op.batch_alter_table("clinical_findings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clinical_findings_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_clinical_findings_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "triage_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_date", sa.Date(), nullable=False),
        sa.Column("rules_version", sa.String(length=32), nullable=False),
        sa.Column("case", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        sa.Column("leading_cause", sa.String(length=64), nullable=True),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("assessed_by", sa.String(length=254), nullable=False),
        sa.Column("confirmed_cause", sa.String(length=64), nullable=True),
        sa.Column("chosen_treatment", sa.String(length=64), nullable=True),
        sa.Column("plan_note", sa.Text(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=254), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_triage_assessments_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_triage_assessments_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_triage_assessments")),
    )
    with op.batch_alter_table("triage_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_triage_assessments_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index("ix_triage_assessments_patient", ["patient_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("triage_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_triage_assessments_patient")
        batch_op.drop_index(batch_op.f("ix_triage_assessments_clinic_id"))

    op.drop_table("triage_assessments")
    with op.batch_alter_table("clinical_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinical_findings_patient_id"))
        batch_op.drop_index(batch_op.f("ix_clinical_findings_clinic_id"))

    op.drop_table("clinical_findings")
