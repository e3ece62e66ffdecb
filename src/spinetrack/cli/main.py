"""The `spinetrack` Typer application. Each command lives in its own module and registers itself.

The modules are imported only when their command runs: `score` needs polars, `report` statsmodels
and matplotlib, `serve` the whole web application, and paying for all of them on every start made
`spinetrack --version` take seconds. The table below names each command's module and its one-line
help, so `spinetrack --help` lists every command without importing any of them (a test checks the
lines agree with the commands' own docstrings).
"""

from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from spinetrack import __version__


class LazyCommand(NamedTuple):
    """Where a command lives and the line `--help` shows for it."""

    module: str
    short_help: str


COMMANDS: dict[str, LazyCommand] = {
    "demo": LazyCommand(
        "demo",
        "Load the demo clinic: surgeons, patients, surgeries and questionnaires over several years.",
    ),
    "serve": LazyCommand("serve", "Serve the web app and the API; migrates the database first."),
    "backup": LazyCommand("backup", "Write a consistent, checksummed copy of the whole database."),
    "restore": LazyCommand(
        "backup",
        "Restore a backup into an empty database, refusing a file that fails its checksum.",
    ),
    "score": LazyCommand(
        "score",
        "Score questionnaire responses from a CSV file; the scores go to stdout as CSV.",
    ),
    "outcomes": LazyCommand(
        "outcomes",
        "Classify each patient's outcome from scores; the statuses go to stdout as CSV.",
    ),
    "triage": LazyCommand(
        "triage",
        "Assess one case: red flags, likely causes, work-up and treatment options, with sources.",
    ),
    "export": LazyCommand("export", "Export a clinic's registry for analysts or another system."),
    "report": LazyCommand("report", "Write the registry report (HTML and PDF) for a period."),
    "letter": LazyCommand(
        "report",
        "Write a patient's summary letter (status, chart, plan) for the referring doctor.",
    ),
    "db": LazyCommand("db", "Create, migrate and inspect the database."),
    "clinics": LazyCommand("clinics", "Create and list clinics."),
    "users": LazyCommand("users", "Manage user accounts and their API tokens."),
    "audit": LazyCommand("audit", "Check and read the audit trail."),
    "instruments": LazyCommand(
        "instruments", "List instruments; load licensed questionnaire text."
    ),
    "rules": LazyCommand("rules", "Inspect the clinical rules."),
    "import": LazyCommand("imports", "Import patients, surgeries and responses from CSV or FHIR."),
    "fhir": LazyCommand("fhir_settings", "FHIR import settings of a clinic."),
    "reminders": LazyCommand("outbox", "Queue follow-up invitations and reminders."),
    "outbox": LazyCommand("outbox", "Send the queued e-mails."),
    "preop": LazyCommand(
        "preop",
        "The pre-operative record of a clinic: import, its prediction table, its outcome model.",
    ),
    "risk": LazyCommand(
        "risk", "Predict each patient's 12-month outcome before surgery: fit, predict, validate."
    ),
}


def load_command(name: str) -> TyperCommand | TyperGroup:
    """Import the module of command ``name`` and return its click command."""
    module = import_module(f"spinetrack.cli.{COMMANDS[name].module}")
    holder = typer.Typer()
    module.register(holder)
    command = typer.main.get_group(holder).commands[name]
    assert isinstance(command, TyperCommand | TyperGroup)
    return command


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name: every name in COMMANDS, each imported on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in COMMANDS:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when that command is wanted.

    While the group's own help is drawn it hands out placeholders carrying the short help, so
    listing the commands imports nothing."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self._listing and cmd_name in COMMANDS:
            return TyperCommand(cmd_name, short_help=COMMANDS[cmd_name].short_help)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="spinetrack",
    cls=LazyGroup,
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


def main() -> None:
    app()
