"""idempotency keys for response submission

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_idempotency_keys_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["prom_responses.id"],
            name=op.f("fk_idempotency_keys_response_id_prom_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("clinic_id", "key", name=op.f("uq_idempotency_keys_clinic_id")),
    )
    op.create_index(
        op.f("ix_idempotency_keys_response_id"), "idempotency_keys", ["response_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_response_id"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
