"""patient search index and display names (issue 18)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 08:00:00

Reserved so that parallel work keeps the chain linear; it changes nothing until its work lands.
"""

from collections.abc import Sequence

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
