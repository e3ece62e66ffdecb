"""The `spinetrack` Typer application. Each command lives in its own module and registers itself.

``spinetrack triage`` runs with only its own module loaded: the other commands import the
database, the web app and the analytics stack (about 3.5 s of CPU here), which an assessment
from a file never uses. ``app`` is the whole application, built on first use.
"""

import importlib
import sys
from functools import cache

import typer

from spinetrack import __version__

COMMAND_MODULES = (
    "db",
    "demo",
    "serve",
    "users",
    "audit",
    "backup",
    "score",
    "outcomes",
    "instruments",
    "triage",
    "rules",
    "imports",
    "export",
    "report",
    "outbox",
)
"""Every command module, in the order their commands are listed in --help."""

STANDALONE = {"triage": "triage"}
"""Commands whose module is enough on its own: command name -> module."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spinetrack {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """spinetrack command line."""


def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """An application with the commands of ``modules`` (every command by default)."""
    application = typer.Typer(
        name="spinetrack",
        help="Follow patients after spine surgery, find the failing ones, explain why.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    application.callback()(_root)
    for name in modules:
        importlib.import_module(f"spinetrack.cli.{name}").register(application)
    return application


@cache
def full_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in STANDALONE:
        build_app((STANDALONE[command],))()
    else:
        full_app()()
