"""pre-operative record, fitted outcome models and stored predictions (issue 25)

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-06 06:00:00

preop_records holds each patient's predictors (NULL = unknown); risk_models keeps every fit of a
clinic's model with its validation and drift; risk_predictions names the model version of each.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "preop_records",
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("bmi", sa.Float(), nullable=True),
        sa.Column("asa", sa.Integer(), nullable=True),
        sa.Column("smoker", sa.Boolean(), nullable=True),
        sa.Column("diabetes", sa.Boolean(), nullable=True),
        sa.Column("symptom_duration_months", sa.Float(), nullable=True),
        sa.Column("prior_spine_surgery", sa.Boolean(), nullable=True),
        sa.Column("compensation_claim", sa.Boolean(), nullable=True),
        sa.Column("psychological_distress", sa.Boolean(), nullable=True),
        sa.Column("phq9", sa.Integer(), nullable=True),
        sa.Column("gad7", sa.Integer(), nullable=True),
        sa.Column("opioid_use", sa.Boolean(), nullable=True),
        sa.Column("baseline_pain_axial", sa.Integer(), nullable=True),
        sa.Column("baseline_pain_limb", sa.Integer(), nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=True),
    )
    op.create_index("ix_preop_records_clinic_id", "preop_records", ["clinic_id"])
    op.create_table(
        "risk_models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("version_id", sa.String(length=64), nullable=False, unique=True),
        sa.Column("fitted_at", _TS, nullable=False),
        sa.Column("fitted_by", sa.String(length=254), nullable=False),
        sa.Column("n_patients", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("drift", sa.JSON(), nullable=True),
        sa.Column("model_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_risk_models_clinic_id", "risk_models", ["clinic_id"])
    op.create_table(
        "risk_predictions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patients.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("predicted_at", _TS, nullable=False),
        sa.Column("p_improved", sa.Float(), nullable=False),
        sa.Column("p_improved_low", sa.Float(), nullable=False),
        sa.Column("p_improved_high", sa.Float(), nullable=False),
        sa.Column("p_unchanged", sa.Float(), nullable=False),
        sa.Column("p_worsened", sa.Float(), nullable=False),
        sa.Column("p_pass", sa.Float(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_risk_predictions_clinic_id", "risk_predictions", ["clinic_id"])
    op.create_index("ix_risk_predictions_patient_id", "risk_predictions", ["patient_id"])


def downgrade() -> None:
    op.drop_table("risk_predictions")
    op.drop_table("risk_models")
    op.drop_table("preop_records")
