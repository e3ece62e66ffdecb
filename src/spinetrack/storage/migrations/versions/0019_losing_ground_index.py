"""an index for the worklist's losing-ground section (issue 18)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 10:00:00

Without it the section's count and page read every outcome row of the clinic's surgeon filter:
about 100 ms of the 150 ms worklist at 100,000 patients.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_patient_outcomes_clinic_losing_ground"


def upgrade() -> None:
    op.create_index(NAME, "patient_outcomes", ["clinic_id", "losing_ground", "red_flag", "status"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="patient_outcomes")
