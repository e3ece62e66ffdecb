"""analytics: data version per clinic, disclosure settings (issue 20)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:10:00

clinics.data_version is bumped in the transaction of every write of the clinic's data and keys
the dashboard's cache; clinics.disclosure_threshold overrides the default smallest published
count (knowledge/analytics/disclosure.yaml).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): a batch copy of clinics would drop
    # and recreate the table every other one points at.
    op.add_column(
        "clinics", sa.Column("data_version", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.add_column("clinics", sa.Column("disclosure_threshold", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("clinics", "disclosure_threshold")
    op.drop_column("clinics", "data_version")
