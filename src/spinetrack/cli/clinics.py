"""`spinetrack clinics create|list|contact|timezone`: a second practice or registry site in the same
installation, the number its patients are told to call, and the time zone its "today" is in."""

import typer
from rich.console import Console
from rich.table import Table

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors
from spinetrack.cli.opened import opened_database
from spinetrack.services.access.accounts import (
    create_clinic_checked,
    list_clinics,
    set_clinic_phone,
)
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.clinic_calendar import set_clinic_time_zone

clinics_app = typer.Typer(help="Create and list clinics.", no_args_is_help=True)
CLI = system_actor("cli")


@clinics_app.command("create")
@explains_errors
def create(
    slug: str = typer.Argument(..., help="Short name used in addresses, e.g. north"),
    name: str = typer.Option(..., "--name", help="The clinic's name as patients see it"),
) -> None:
    """Create a clinic; then add its first admin with `spinetrack users create --role admin`."""
    with opened_database() as database:
        clinic_id = create_clinic_checked(
            sessions=database.sessions, actor=CLI, slug=slug, name=name
        )
    typer.echo(f"created clinic {clinic_id} {slug.strip().lower()}")


@clinics_app.command("list")
@explains_errors
def list_() -> None:
    """List the clinics with how many accounts each has."""
    with opened_database() as database:
        clinics = list_clinics(sessions=database.sessions, actor=CLI)
    table = Table("id", "slug", "name", "accounts")
    for clinic in clinics:
        table.add_row(str(clinic.id), clinic.slug, clinic.name, str(clinic.members))
    Console(width=120).print(table)


@clinics_app.command("contact")
@explains_errors
def contact(
    slug: str = typer.Argument(..., help="The clinic's short name, e.g. north"),
    phone: str = typer.Option(
        "", "--phone", help="The number patients should call; empty removes it"
    ),
) -> None:
    """Set the phone number a patient's results page tells them to call."""
    with opened_database() as database:
        clinic_id = clinic_id_of(database.sessions, slug.strip().lower())
        set_clinic_phone(sessions=database.sessions, actor=CLI, clinic_id=clinic_id, phone=phone)
    typer.echo(f"clinic {slug}: {'phone ' + phone.strip() if phone.strip() else 'no phone'}")


@clinics_app.command("timezone")
@explains_errors
def timezone(
    slug: str = typer.Argument(..., help="The clinic's short name, e.g. north"),
    zone: str = typer.Argument(..., help="An IANA time zone name, e.g. Europe/Madrid"),
) -> None:
    """Set the time zone the clinic's "today" is counted in (follow-up windows, reminders, date
    checks); until set, SPINETRACK_TIME_ZONE (default UTC) applies."""
    with opened_database() as database:
        clinic_id = clinic_id_of(database.sessions, slug.strip().lower())
        name = set_clinic_time_zone(
            sessions=database.sessions, actor=CLI, clinic_id=clinic_id, zone=zone
        )
    typer.echo(f"clinic {slug}: time zone {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(clinics_app, name="clinics")
