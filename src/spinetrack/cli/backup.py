"""`spinetrack backup FILE` and `spinetrack restore FILE` (SQLite or PostgreSQL, either way)."""

import sys
from pathlib import Path

import typer
from rich.progress import Progress

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.services.operations.backup import backup, restore
from spinetrack.storage.errors import DatabaseFailure


@explains_errors
def backup_command(
    file: Path = typer.Argument(..., help="Where to write the backup (.jsonl.gz)"),
) -> None:
    """Write a consistent, checksummed copy of the whole database."""
    if file.exists():
        raise fail(f"{file} exists; choose a new file name")
    with (
        opened_database() as database,
        Progress(disable=not sys.stderr.isatty(), transient=True) as bar,
    ):
        task = bar.add_task("backing up", total=None)
        rows = backup(database, file, progress=lambda n: bar.advance(task, n))
    typer.echo(f"backed up {rows} rows to {file}")


@explains_errors
def restore_command(
    file: Path = typer.Argument(..., help="A file written by `spinetrack backup`"),
) -> None:
    """Restore a backup into an empty database, refusing a file that fails its checksum."""
    if not file.is_file():
        raise fail(f"no such file {file}")
    with opened_database() as database:
        try:
            with Progress(disable=not sys.stderr.isatty(), transient=True) as bar:
                task = bar.add_task("restoring", total=None)
                rows = restore(database, file, progress=lambda n: bar.advance(task, n))
        except DatabaseFailure as exc:
            # A value this database cannot hold (an id beyond PostgreSQL's integer, text too
            # long): the restore ran in one transaction, so nothing was written.
            cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise fail(
                f"{file} cannot be restored into this database ({cause}); nothing was restored"
            ) from exc
        except (KeyError, ValueError, TypeError) as exc:
            raise fail(
                f"{file} holds a row this spinetrack cannot read ({exc!r}); nothing was restored"
            ) from exc
    typer.echo(
        f"restored {rows} rows from {file}; run `spinetrack audit verify` to check the trail"
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
