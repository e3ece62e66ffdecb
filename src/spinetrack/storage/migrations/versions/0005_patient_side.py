"""patient side: consultation requests, outbox, contact history, link drafts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("surgery_when", sa.String(length=64), nullable=True),
        sa.Column("surgery_what", sa.Text(), nullable=True),
        sa.Column("symptoms", sa.Text(), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("contact_preference", sa.String(length=16), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("handled_by", sa.String(length=254), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_consultation_requests_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_consultation_requests_patient_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_consultation_requests_reference")),
    )
    op.create_index(
        "ix_consultation_requests_inbox",
        "consultation_requests",
        ["clinic_id", "status", "urgent", "received_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_consultation_requests_inbox", table_name="consultation_requests")
    op.drop_table("consultation_requests")
