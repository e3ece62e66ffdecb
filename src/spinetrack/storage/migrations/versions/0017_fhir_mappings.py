"""FHIR: clinic Observation code mappings, practitioners' NPIs, who entered a response (issue 19)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 08:00:00

A clinic's mappings of hospital-local Observation codes onto our pain instruments and
pre-operative fields (read by FHIR import), each user's NPI (their Practitioner's identifier), and
the account that entered a questionnaire response (its FHIR author). Existing responses keep no
author: who typed them was never recorded, and it is not guessed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_observation_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clinic_observation_maps_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_observation_maps")),
        sa.UniqueConstraint(
            "clinic_id", "system", "code", name=op.f("uq_clinic_observation_maps_clinic_id")
        ),
    )
    op.create_table(
        "practitioner_npis",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_practitioner_npis_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_practitioner_npis")),
        sa.UniqueConstraint("npi", name=op.f("uq_practitioner_npis_npi")),
    )
    # A plain column, no foreign key: SQLite cannot add one to an existing table without
    # rebuilding it, and prom_responses is itself referenced (idempotency keys). Accounts are
    # deactivated, never deleted, so the id keeps naming who entered the answers.
    op.add_column("prom_responses", sa.Column("entered_by_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("prom_responses", "entered_by_id")
    op.drop_table("practitioner_npis")
    op.drop_table("clinic_observation_maps")
