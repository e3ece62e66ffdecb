"""`spinetrack audit verify|show`: check the audit trail's hash chain; list who saw a patient."""

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access, verify_chain

audit_app = typer.Typer(help="Check and read the audit trail.", no_args_is_help=True)


@audit_app.command("verify")
@explains_errors
def verify(
    checkpoints: Path | None = typer.Option(
        None,
        "--checkpoints",
        help="A copy of the checkpoint file kept elsewhere (default: this machine's)",
    ),
) -> None:
    """Seal waiting entries, then walk the keyed chain; exit 1 naming the first entry that was
    edited, removed or moved, or saying the chain was cut short or deleted."""
    if checkpoints is not None and not checkpoints.is_file():
        raise fail(f"no such file {checkpoints}")
    with opened_database() as database:
        report = verify_chain(sessions=database.sessions, checkpoints=checkpoints)
    if report.intact:
        typer.echo(f"audit trail intact: {report.checked} entries verified")
        return
    where = f"entry {report.broken_at}" + (
        f" (row id {report.entry_id})" if report.entry_id else ""
    )
    typer.echo(f"audit trail BROKEN at {where}: {report.reason}", err=True)
    typer.echo(f"{report.checked} entries before it verified", err=True)
    raise typer.Exit(1)


@audit_app.command("show")
@explains_errors
def show(patient: int = typer.Option(..., "--patient", help="Patient id")) -> None:
    """List every access to one patient's record: who, what, when, from where, outcome."""
    with opened_database() as database:
        records = patient_access(
            sessions=database.sessions, actor=system_actor("cli"), patient_id=patient
        )
    table = Table("#", "when (UTC)", "who", "what", "outcome", "from")
    for r in records:
        table.add_row(
            str(r.seq),
            r.at.strftime("%Y-%m-%d %H:%M:%S"),
            r.actor,
            r.action,
            r.outcome,
            r.remote or "",
        )
    Console(width=140).print(table)
    typer.echo(f"{len(records)} entries for patient {patient}")


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
