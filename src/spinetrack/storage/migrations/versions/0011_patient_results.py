"""patient side: the patient's language, the clinic's contact number (issue 26)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 02:10:00

The language a patient answered in decides the language of their e-mails; the clinic's number is
what their results page tells them to call.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("patients", sa.Column("language", sa.String(length=16), nullable=True))
    op.add_column("clinics", sa.Column("contact_phone", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of `clinics` would fail on the foreign keys
    # that point at it.
    op.drop_column("clinics", "contact_phone")
    op.drop_column("patients", "language")
