"""The database a command opens: migrated only when the command asks, and let go however the
command ends."""

import pytest

from spinetrack.cli.opened import opened_database
from spinetrack.services.operations.database import Database


def test_upgrade_is_applied_only_when_asked(cli_database: str) -> None:
    with opened_database() as database:
        assert not database.is_current()
    with opened_database(upgrade=True) as database:
        assert database.is_current()


def test_the_database_is_let_go_when_the_command_fails(cli_database: str) -> None:
    opened: list[Database] = []
    with pytest.raises(RuntimeError), opened_database(upgrade=True) as database:
        opened.append(database)
        assert database.engine.pool.checkedin() >= 1  # the migration's connection, kept for reuse
        raise RuntimeError("the command failed")
    assert opened[0].engine.pool.checkedin() == 0
