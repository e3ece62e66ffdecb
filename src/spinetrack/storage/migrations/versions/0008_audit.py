"""audit trail: keyed chain without a global lock, patients per read (issues 21, 22)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:10:00

Reserved in advance so that work landing in parallel keeps one linear chain; an empty
revision changes nothing.
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
