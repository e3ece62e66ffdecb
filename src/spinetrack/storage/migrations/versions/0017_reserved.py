"""FHIR: clinic code mappings, practitioners, export expiry (issue 19)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 08:00:00

Reserved so that parallel work keeps the chain linear; it changes nothing until its work lands.
"""

from collections.abc import Sequence

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
