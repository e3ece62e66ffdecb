"""security hardening: atomic counters, rate limits, clinic settings (issue 22)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 02:10:00

Per-address request counts for the anonymous doors (rate_windows), and the address each
consultation request came from, so the inbox can fold a burst from one sender.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_windows",
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "address", "window_start", name=op.f("pk_rate_windows")),
    )
    with op.batch_alter_table("consultation_requests") as batch:
        batch.add_column(sa.Column("sender", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consultation_requests") as batch:
        batch.drop_column("sender")
    op.drop_table("rate_windows")
