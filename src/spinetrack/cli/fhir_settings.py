"""`spinetrack fhir ...`: a clinic's FHIR import settings — the identifier systems its MRNs arrive in
from outside systems, and mappings of outside Questionnaires onto our instruments."""

import typer

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors, fail
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database
from spinetrack.services.registry_io.fhir_settings import (
    add_mrn_system,
    map_questionnaire,
    mrn_systems,
    remove_mrn_system,
)

fhir_app = typer.Typer(help="FHIR import settings of a clinic.", no_args_is_help=True)
CLI = system_actor("cli")


@fhir_app.command("mrn-systems")
@explains_errors
def list_systems(clinic: str = typer.Option(..., "--clinic", help="Clinic slug")) -> None:
    """The identifier systems patients are matched in (the clinic's own first)."""
    database = open_database()
    try:
        database.upgrade()
        for system in mrn_systems(
            sessions=database.sessions, actor=CLI, clinic_id=clinic_id_of(database.sessions, clinic)
        ):
            typer.echo(system)
    finally:
        database.close()


@fhir_app.command("add-mrn-system")
@explains_errors
def add_system(
    system: str = typer.Argument(..., help="e.g. urn:oid:2.16.840.1.113883.3.1234"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    """Match patients of imported Bundles by their identifier in this system too."""
    database = open_database()
    try:
        database.upgrade()
        add_mrn_system(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
        )
    finally:
        database.close()
    typer.echo(f"patients are matched by {system} too")


@fhir_app.command("remove-mrn-system")
@explains_errors
def remove_system(
    system: str = typer.Argument(...),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    database = open_database()
    try:
        database.upgrade()
        removed = remove_mrn_system(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
        )
    finally:
        database.close()
    if not removed:
        raise fail(f"{system} was not configured")
    typer.echo(f"removed {system}")


def _items(pairs: list[str]) -> dict[str, str]:
    items: dict[str, str] = {}
    for pair in pairs:
        link_id, eq, item = pair.partition("=")
        if not eq or not link_id or not item:
            raise fail(f"--item {pair!r}: expected LINKID=ITEM, e.g. q1=odi_1")
        items[link_id] = item
    return items


@fhir_app.command("map-questionnaire")
@explains_errors
def map_outside_questionnaire(
    canonical: str = typer.Argument(..., help="The outside Questionnaire's canonical URL"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
    instrument: str = typer.Option(..., "--instrument", help="Our instrument, e.g. odi"),
    item: list[str] = typer.Option(..., "--item", help="LINKID=ITEM, once per item"),
) -> None:
    """Read responses to an outside Questionnaire as one of our instruments."""
    database = open_database()
    try:
        database.upgrade()
        map_questionnaire(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            canonical=canonical,
            instrument=instrument,
            items=_items(item),
        )
    finally:
        database.close()
    typer.echo(f"{canonical} is read as {instrument}")


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app, name="fhir")
