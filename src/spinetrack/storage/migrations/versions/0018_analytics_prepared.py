"""prepared registry aggregates for the dashboard (issue 21)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 08:00:00

One row per clinic holding the dashboard's prepared tables and disclosure cube, stamped with the
data version, threshold, day and rules they were computed from, so a fresh server process does not
read every record of the registry for its first dashboard; and the log of which patients each
later write touched, so the kept figures are brought up to date patient by patient.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_prepared",
        sa.Column(
            "clinic_id",
            sa.Integer(),
            sa.ForeignKey("clinics.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("data_version", sa.BigInteger(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("rules", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "analytics_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "clinic_id",
            sa.Integer(),
            sa.ForeignKey("clinics.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("data_version", sa.BigInteger(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_analytics_changes_clinic_version", "analytics_changes", ["clinic_id", "data_version"]
    )


def downgrade() -> None:
    op.drop_index("ix_analytics_changes_clinic_version", table_name="analytics_changes")
    op.drop_table("analytics_changes")
    op.drop_table("analytics_prepared")
