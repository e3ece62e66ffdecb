"""one analytics change-log row per patient (issue 21)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 12:00:00

The change log (`analytics_changes`) grew by a row per write of registry data and was pruned only
when someone opened the dashboard. A unique index on (clinic, patient) lets every write upsert the
patient's one row to the newest version instead, so the log is bounded by the patients written,
not by the writes. Existing duplicates are folded into their newest row first. Rows for every
patient (no patient id) stay distinct under the index (NULLs differ on both databases); a newer one
deletes the clinic's older rows when it is written.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "uq_analytics_changes_clinic_patient"


def upgrade() -> None:
    # Keep each (clinic, patient)'s newest row; "touched after version v" answers the same.
    op.execute(
        "DELETE FROM analytics_changes WHERE patient_id IS NOT NULL AND EXISTS ("
        " SELECT 1 FROM analytics_changes AS newer"
        " WHERE newer.clinic_id = analytics_changes.clinic_id"
        " AND newer.patient_id = analytics_changes.patient_id"
        " AND (newer.data_version > analytics_changes.data_version"
        " OR (newer.data_version = analytics_changes.data_version"
        " AND newer.id > analytics_changes.id)))"
    )
    op.create_index(NAME, "analytics_changes", ["clinic_id", "patient_id"], unique=True)


def downgrade() -> None:
    op.drop_index(NAME, table_name="analytics_changes")
