"""clinic time zone (issue 17)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:30:00

The IANA zone a clinic's "today" is counted in; NULL keeps the configured default, so existing
clinics behave as the installation is set up.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("clinics", sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of `clinics` would fail on the foreign keys
    # that point at it.
    op.drop_column("clinics", "time_zone")
