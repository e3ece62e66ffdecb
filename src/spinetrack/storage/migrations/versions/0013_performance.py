"""performance: indexes and aggregates (issue 21)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:10:00

Reserved in advance so that work landing in parallel keeps one linear chain; an empty
revision changes nothing.
"""

from collections.abc import Sequence

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
