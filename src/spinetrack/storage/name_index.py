"""The patient-name index: what the database keeps beside `patients` so a name is found by index.

SQLite keeps an FTS5 table over the two name columns (`unicode61` with `remove_diacritics 2`, so
'Núñez' is indexed as 'nunez'), held in step with `patients` by triggers; PostgreSQL keeps a
pg_trgm GIN index on a folded name key (`unaccent`, lower case, one space before every word), so
'% nun%' is a word-prefix match the index answers. Both are built by migration 0016 and filled
there for the rows already stored; triggers and the index keep them current through every insert,
update and delete, whichever door (form, API, import, restore) the row came in by.

SQLAlchemy cannot describe these objects, so schema comparisons leave them out (`describable`).
A later migration that copies `patients` (SQLite's batch mode) must create the triggers again.
"""

from typing import Any

FTS_TABLE = "patient_names"
"""SQLite's FTS5 table (external content: `patients`, rowid = patients.id)."""
NAME_KEY_FUNCTION = "spinetrack_name_key"
"""PostgreSQL's immutable function of (given_name, family_name) that the trigram index covers."""
TRIGRAM_INDEX = "ix_patients_name_trgm"


def describable(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: False for the name index's tables and index."""
    if name is None:
        return True
    if type_ == "table" and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")):
        return False
    return not (type_ == "index" and name == TRIGRAM_INDEX)
