"""registry core: clinics, users, patients, surgeries, responses, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:04:49.160157
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_format", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinics")),
        sa.UniqueConstraint("slug", name=op.f("uq_clinics_slug")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=64), nullable=True),
        sa.Column("remote", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_audit_entries_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entries_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_memberships_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("user_id", "clinic_id", name=op.f("uq_memberships_user_id")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)

    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("mrn", sa.String(length=64), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_patients_clinic_id_clinics")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("clinic_id", "mrn", name=op.f("uq_patients_clinic_id")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_clinic_id"), ["clinic_id"], unique=False)

    op.create_table(
        "patient_outcomes",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("latest_timepoint", sa.String(length=16), nullable=True),
        sa.Column("disability_instrument", sa.String(length=32), nullable=True),
        sa.Column("disability_improvement", sa.Float(), nullable=True),
        sa.Column("pain_improvement", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_patient_outcomes_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_patient_outcomes_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_patient_outcomes")),
    )
    with op.batch_alter_table("patient_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_patient_outcomes_clinic_status", ["clinic_id", "status"], unique=False
        )

    op.create_table(
        "prom_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("instrument_version", sa.String(length=32), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score_status", sa.String(length=16), nullable=False),
        sa.Column("score_answered", sa.Integer(), nullable=False),
        sa.Column("score_raw", sa.Float(), nullable=True),
        sa.Column("score_percent", sa.Float(), nullable=True),
        sa.Column("score_reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_prom_responses_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_prom_responses_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prom_responses")),
    )
    with op.batch_alter_table("prom_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prom_responses_clinic_id"), ["clinic_id"], unique=False
        )
        batch_op.create_index(
            "ix_prom_responses_patient_instrument", ["patient_id", "instrument"], unique=False
        )

    op.create_table(
        "surgeries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("region", sa.String(length=16), nullable=False),
        sa.Column("procedure", sa.String(length=32), nullable=False),
        sa.Column("approach", sa.String(length=16), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("instrumented", sa.Boolean(), nullable=False),
        sa.Column("surgeon_id", sa.Integer(), nullable=True),
        sa.Column("revision_of_id", sa.Integer(), nullable=True),
        sa.Column("revision_reason", sa.String(length=64), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_surgeries_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_surgeries_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["revision_of_id"], ["surgeries.id"], name=op.f("fk_surgeries_revision_of_id_surgeries")
        ),
        sa.ForeignKeyConstraint(
            ["surgeon_id"], ["users.id"], name=op.f("fk_surgeries_surgeon_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surgeries")),
    )
    with op.batch_alter_table("surgeries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_surgeries_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_surgeries_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_surgeries_surgeon_id"), ["surgeon_id"], unique=False)

    op.create_table(
        "complications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("surgery_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reported_by", sa.String(length=16), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_complications_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_complications_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["surgery_id"], ["surgeries.id"], name=op.f("fk_complications_surgery_id_surgeries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complications")),
    )
    with op.batch_alter_table("complications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complications_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complications_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_complications_surgery_id"), ["surgery_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complications_surgery_id"))
        batch_op.drop_index(batch_op.f("ix_complications_patient_id"))
        batch_op.drop_index(batch_op.f("ix_complications_clinic_id"))

    op.drop_table("complications")
    with op.batch_alter_table("surgeries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_surgeries_surgeon_id"))
        batch_op.drop_index(batch_op.f("ix_surgeries_patient_id"))
        batch_op.drop_index(batch_op.f("ix_surgeries_clinic_id"))

    op.drop_table("surgeries")
    with op.batch_alter_table("prom_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_prom_responses_patient_instrument")
        batch_op.drop_index(batch_op.f("ix_prom_responses_clinic_id"))

    op.drop_table("prom_responses")
    with op.batch_alter_table("patient_outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_outcomes_clinic_status")

    op.drop_table("patient_outcomes")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_clinic_id"))

    op.drop_table("patients")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_clinic_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_patient_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_clinic_id"))

    op.drop_table("audit_entries")
    op.drop_table("users")
    op.drop_table("clinics")
