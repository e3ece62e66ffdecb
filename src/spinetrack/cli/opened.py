"""The database a command works on, opened (and, for commands that may be the first to touch a
new installation, brought up to date) and always closed, so each command says only what it does.

Closing seals the audit entries the process wrote, so it must run however the command ends."""

from collections.abc import Iterator
from contextlib import contextmanager

from spinetrack.services.operations.database import Database, open_database


@contextmanager
def opened_database(*, upgrade: bool = False) -> Iterator[Database]:
    """Open the configured database for one command; with ``upgrade``, apply pending migrations
    first. The database is closed when the block ends, by return or by error."""
    database = open_database()
    try:
        if upgrade:
            database.upgrade()
        yield database
    finally:
        database.close()
