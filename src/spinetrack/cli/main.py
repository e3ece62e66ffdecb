"""The `spinetrack` Typer application. Each command lives in its own module and registers itself."""

import typer

from spinetrack import __version__
from spinetrack.cli import (
    audit,
    backup,
    db,
    demo,
    export,
    fhir_settings,
    imports,
    instruments,
    outbox,
    outcomes,
    report,
    rules,
    score,
    serve,
    triage,
    users,
)

app = typer.Typer(
    name="spinetrack",
    help="Follow patients after spine surgery, find the failing ones, explain why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spinetrack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """spinetrack command line."""


for module in (
    db,
    demo,
    serve,
    users,
    audit,
    backup,
    score,
    outcomes,
    instruments,
    triage,
    rules,
    imports,
    export,
    fhir_settings,
    report,
    outbox,
):
    module.register(app)


def main() -> None:
    app()
