"""Checks shared by the hostile-input tests: a refused request leaves the data as it was, and the
only trace it may leave is an audit entry that says it was refused.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from tests.conftest import row_counts

from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import AuditEntry

AUDIT_TABLES = frozenset({"audit_entries", "audit_head"})
RATE_TABLES = frozenset({"rate_windows"})
"""Per-address request counts: a refused request is meant to count toward its address's limit."""
INJECTIONS = (
    "'; DROP TABLE patients; --",
    "Robert'); DELETE FROM prom_responses WHERE ('1'='1",
    '" OR 1=1 --',
    "1; UPDATE users SET disabled = 1",
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}} ${7*7} %s %n",
    "NUL\x00byte",
)
"""SQL and HTML/template injection attempts, and a NUL byte (which PostgreSQL cannot store)."""


def data_counts(database: Database) -> dict[str, int]:
    return {t: n for t, n in row_counts(database).items() if t not in AUDIT_TABLES | RATE_TABLES}


def _last_seq(database: Database) -> int:
    with database.sessions.sessionmaker() as session:
        return max(session.scalars(select(AuditEntry.seq)).all(), default=0)


@contextmanager
def unchanged(database: Database, *, reads: bool = False) -> Iterator[None]:
    """The block may be refused as often as it likes: no data row may appear, change count or vanish,
    every audit entry it adds must record a refusal (or, with `reads`, a read), and the audit chain
    must still verify."""
    before, seq = data_counts(database), _last_seq(database)
    yield
    assert data_counts(database) == before
    with database.sessions.sessionmaker() as session:
        added = session.scalars(select(AuditEntry.outcome).where(AuditEntry.seq > seq)).all()
    assert set(added) <= {"rejected", "denied"} | ({"ok"} if reads else set()), added
    assert verify_chain(sessions=database.sessions).intact
