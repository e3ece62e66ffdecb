"""audit trail: keyed chain without a global lock, patients per read (issues 21, 22)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:10:00

Entries are now stored unsealed and chained after commit with an HMAC (see
`spinetrack.storage.audit_chain`), so the chain columns may be empty until the sealer runs; reads
name the patients they returned in `patients`. The entries written before this revision carried an
unkeyed SHA-256 chain, which anyone could recompute: they are unsealed here and sealed again, in
their old order, with the key at the first seal. Run `spinetrack audit verify` with the previous
version before upgrading to check them under the old chain.
"""

from collections.abc import Sequence
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import op

from spinetrack.storage.audit_chain import entry_digest

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("patients", sa.Text(), server_default="", nullable=False))
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=True)
    _unseal_existing_entries()


def _unseal_existing_entries() -> None:
    """The old order is kept in the ids the sealer follows: seq was given in id order too."""
    entries = sa.table(
        "audit_entries", sa.column("seq"), sa.column("prev_hash"), sa.column("entry_hash")
    )
    head = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("entry_hash"))
    bind = op.get_bind()
    bind.execute(entries.update().values(seq=None, prev_hash=None, entry_hash=None))
    bind.execute(head.update().values(seq=0, entry_hash=GENESIS))


def downgrade() -> None:
    """Back to one unkeyed SHA-256 chain over every entry, in chain order then id order, as 0003
    built it (sealed entries keep their place; unsealed ones follow)."""
    bind = op.get_bind()
    names = ("id", "actor", "action", "outcome", "clinic_id", "patient_id", "target", "remote")
    entries = sa.table(
        "audit_entries",
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("detail"),
        sa.column("seq"),
        sa.column("prev_hash"),
        sa.column("entry_hash"),
        *(sa.column(name) for name in names),
    )
    rows = bind.execute(sa.select(entries)).mappings().all()
    ordered = sorted(rows, key=lambda r: (r["seq"] is None, r["seq"] or 0, r["id"]))
    bind.execute(entries.update().values(seq=None))
    prev = GENESIS
    for seq, row in enumerate(ordered, start=1):
        digest = entry_digest(SimpleNamespace(**{**row, "seq": seq}), prev)
        bind.execute(
            entries.update()
            .where(entries.c.id == row["id"])
            .values(seq=seq, prev_hash=prev, entry_hash=digest)
        )
        prev = digest
    head = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("entry_hash"))
    bind.execute(head.update().values(seq=len(ordered), entry_hash=prev))
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("patients")
