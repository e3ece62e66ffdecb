"""patient search: a name index on each database and a birth-date index (issue 18)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 08:00:00

SQLite: an FTS5 table over the patients' names (accents removed by its tokenizer), kept in step
by triggers on insert, update of a name and delete, and rebuilt here from the rows already stored.
PostgreSQL: pg_trgm and unaccent, an immutable folded-name function, and a trigram GIN index on
it (built over the stored rows by CREATE INDEX). Both: (clinic_id, birth_date) and
(clinic_id, email), to find a consultation's requester among the registered patients. See
`spinetrack.storage.name_index`. The names below are written out, not imported, so this revision
keeps building the same schema whatever later code calls them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = (
    """CREATE VIRTUAL TABLE patient_names USING fts5(
        given_name, family_name, content='patients', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3', columnsize=0)""",
    """CREATE TRIGGER patient_names_insert AFTER INSERT ON patients BEGIN
        INSERT INTO patient_names(rowid, given_name, family_name)
        VALUES (new.id, new.given_name, new.family_name);
    END""",
    """CREATE TRIGGER patient_names_delete AFTER DELETE ON patients BEGIN
        INSERT INTO patient_names(patient_names, rowid, given_name, family_name)
        VALUES ('delete', old.id, old.given_name, old.family_name);
    END""",
    """CREATE TRIGGER patient_names_update AFTER UPDATE OF id, given_name, family_name
    ON patients BEGIN
        INSERT INTO patient_names(patient_names, rowid, given_name, family_name)
        VALUES ('delete', old.id, old.given_name, old.family_name);
        INSERT INTO patient_names(rowid, given_name, family_name)
        VALUES (new.id, new.given_name, new.family_name);
    END""",
    "INSERT INTO patient_names(patient_names) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS patient_names_update",
    "DROP TRIGGER IF EXISTS patient_names_delete",
    "DROP TRIGGER IF EXISTS patient_names_insert",
    "DROP TABLE IF EXISTS patient_names",
)
_POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # One space before every word, so "LIKE '% nun%'" matches the start of a word; unaccent
    # with its dictionary named, so the function is truly immutable and may be indexed.
    """CREATE FUNCTION spinetrack_name_key(given text, family text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT ' ' || regexp_replace(
            lower(public.unaccent('public.unaccent'::regdictionary, given || ' ' || family)),
            '[^[:alnum:]]+', ' ', 'g')
    $$""",
    """CREATE INDEX ix_patients_name_trgm ON patients
    USING gin (spinetrack_name_key(given_name, family_name) gin_trgm_ops)""",
)
_POSTGRES_DOWN = (
    "DROP INDEX IF EXISTS ix_patients_name_trgm",
    "DROP FUNCTION IF EXISTS spinetrack_name_key(text, text)",
)


def _statements(sqlite: Sequence[str], postgres: Sequence[str]) -> Sequence[str]:
    return postgres if op.get_bind().dialect.name == "postgresql" else sqlite


def upgrade() -> None:
    op.create_index("ix_patients_clinic_birth_date", "patients", ["clinic_id", "birth_date"])
    op.create_index("ix_patients_clinic_email", "patients", ["clinic_id", "email"])
    for statement in _statements(_SQLITE_UP, _POSTGRES_UP):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(_SQLITE_DOWN, _POSTGRES_DOWN):
        op.execute(statement)
    op.drop_index("ix_patients_clinic_email", table_name="patients")
    op.drop_index("ix_patients_clinic_birth_date", table_name="patients")
