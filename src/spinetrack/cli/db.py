"""`spinetrack db upgrade|status`: create or migrate the configured database."""

import typer

from spinetrack.cli.errors import explains_errors
from spinetrack.cli.opened import opened_database

db_app = typer.Typer(help="Create, migrate and inspect the database.", no_args_is_help=True)


@db_app.command("upgrade")
@explains_errors
def upgrade() -> None:
    """Create the database if needed and apply every pending migration."""
    with opened_database() as database:
        revision = database.upgrade()
    typer.echo(f"database {database.url} is at revision {revision}")


@db_app.command("status")
@explains_errors
def status() -> None:
    """Say which database is configured and whether its schema is current."""
    with opened_database() as database:
        current = database.is_current()
    typer.echo(f"database {database.url}: {'up to date' if current else 'migrations pending'}")
    if not current:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
