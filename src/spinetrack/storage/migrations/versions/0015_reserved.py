"""clinical record: stored report text and its findings, planned surgeries (issue 18)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:00:00

Reserved so that parallel work keeps the chain linear; it changes nothing until its work lands.
"""

from collections.abc import Sequence

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
