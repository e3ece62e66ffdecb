"""clinical record: stored report text and its findings, planned surgeries (issue 18)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 08:00:00

report_texts keeps each pasted report (which report, who pasted it, when); report_findings keeps
what was read from it, with the quoted words, the certainty and whether a clinician rejected it.
surgeries.planned marks an operation booked ahead, kept out of outcomes; patient_outcomes gains
losing_ground so the worklist lists patients losing ground without reading their history;
patients gains the referring doctor (name, practice, address) the clinic's letters are addressed to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_texts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_index("ix_report_texts_clinic_id", "report_texts", ["clinic_id"])
    op.create_index("ix_report_texts_patient_id", "report_texts", ["patient_id"])
    op.create_table(
        "report_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("clinic_id", sa.Integer(), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report_texts.id"), nullable=False),
        sa.Column("finding", sa.String(length=64), nullable=False),
        sa.Column("quoted", sa.Text(), nullable=False),
        sa.Column("certainty", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.String(length=254), nullable=True),
        sa.Column("reviewed_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
    )
    op.create_index("ix_report_findings_clinic_id", "report_findings", ["clinic_id"])
    op.create_index("ix_report_findings_patient_id", "report_findings", ["patient_id"])
    op.create_index("ix_report_findings_report_id", "report_findings", ["report_id"])
    op.add_column(
        "surgeries",
        sa.Column("planned", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("patients", sa.Column("referrer_name", sa.String(length=200), nullable=True))
    op.add_column("patients", sa.Column("referrer_practice", sa.String(length=200), nullable=True))
    op.add_column("patients", sa.Column("referrer_address", sa.Text(), nullable=True))
    op.add_column(
        "patient_outcomes",
        sa.Column("losing_ground", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would fail on the foreign keys pointing here.
    op.drop_column("patient_outcomes", "losing_ground")
    op.drop_column("patients", "referrer_address")
    op.drop_column("patients", "referrer_practice")
    op.drop_column("patients", "referrer_name")
    op.drop_column("surgeries", "planned")
    op.drop_table("report_findings")
    op.drop_table("report_texts")
