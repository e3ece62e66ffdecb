"""FHIR interop: clinic identifier systems, bulk export jobs (issue 19)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:10:00

The identifier systems a clinic's MRNs arrive in from outside systems, and its mappings of outside
Questionnaires onto our instruments, both read by FHIR import.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_mrn_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_clinic_mrn_systems_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_mrn_systems")),
        sa.UniqueConstraint("clinic_id", "system", name=op.f("uq_clinic_mrn_systems_clinic_id")),
    )
    op.create_table(
        "clinic_questionnaire_maps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("canonical", sa.String(length=255), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_clinic_questionnaire_maps_clinic_id_clinics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_questionnaire_maps")),
        sa.UniqueConstraint(
            "clinic_id", "canonical", name=op.f("uq_clinic_questionnaire_maps_clinic_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("clinic_questionnaire_maps")
    op.drop_table("clinic_mrn_systems")
