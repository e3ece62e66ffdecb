"""`spinetrack fhir ...`: a clinic's FHIR settings — the identifier systems its MRNs arrive in from
outside systems, mappings of outside Questionnaires and hospital-local Observation codes onto our
instruments and pre-operative fields, its members' NPIs — and the removal of expired Bulk Data
export jobs."""

import typer

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.config import get_settings
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.bulk_export import FOLDER, purge_expired
from spinetrack.services.registry_io.fhir_settings import (
    add_mrn_system,
    map_observation,
    map_questionnaire,
    mappings,
    mrn_systems,
    remove_mrn_system,
    remove_observation_map,
    set_npi,
)

fhir_app = typer.Typer(help="FHIR import settings of a clinic.", no_args_is_help=True)
CLI = system_actor("cli")


@fhir_app.command("mrn-systems")
@explains_errors
def list_systems(clinic: str = typer.Option(..., "--clinic", help="Clinic slug")) -> None:
    """The identifier systems patients are matched in (the clinic's own first)."""
    with opened_database(upgrade=True) as database:
        for system in mrn_systems(
            sessions=database.sessions, actor=CLI, clinic_id=clinic_id_of(database.sessions, clinic)
        ):
            typer.echo(system)


@fhir_app.command("add-mrn-system")
@explains_errors
def add_system(
    system: str = typer.Argument(..., help="e.g. urn:oid:2.16.840.1.113883.3.1234"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    """Match patients of imported Bundles by their identifier in this system too."""
    with opened_database(upgrade=True) as database:
        add_mrn_system(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
        )
    typer.echo(f"patients are matched by {system} too")


@fhir_app.command("remove-mrn-system")
@explains_errors
def remove_system(
    system: str = typer.Argument(...),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    with opened_database(upgrade=True) as database:
        removed = remove_mrn_system(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
        )
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
    with opened_database(upgrade=True) as database:
        map_questionnaire(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            canonical=canonical,
            instrument=instrument,
            items=_items(item),
        )
    typer.echo(f"{canonical} is read as {instrument}")


def _coded(value: str) -> tuple[str, str]:
    system, bar, code = value.rpartition("|")
    if not bar or not system or not code:
        raise fail(f"{value!r}: expected SYSTEM|CODE, e.g. urn:oid:1.2.3.4|PAIN-LEG")
    return system, code


@fhir_app.command("map-observation")
@explains_errors
def map_local_observation(
    coded: str = typer.Argument(..., help="The hospital's code as SYSTEM|CODE"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
    to: str = typer.Option(
        ..., "--to", help="nrs_back, nrs_leg, nrs_neck, nrs_arm, bmi, smoker, phq9 or gad7"
    ),
) -> None:
    """Read Observations with a hospital-local code as one of our pain scores or pre-operative
    values."""
    system, code = _coded(coded)
    with opened_database(upgrade=True) as database:
        map_observation(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
            code=code,
            target=to,
        )
    typer.echo(f"{system}|{code} is read as {to}")


@fhir_app.command("unmap-observation")
@explains_errors
def unmap_local_observation(
    coded: str = typer.Argument(..., help="SYSTEM|CODE"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    system, code = _coded(coded)
    with opened_database(upgrade=True) as database:
        removed = remove_observation_map(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            system=system,
            code=code,
        )
    if not removed:
        raise fail(f"{coded} was not mapped")
    typer.echo(f"removed {coded}")


@fhir_app.command("mappings")
@explains_errors
def list_mappings(clinic: str = typer.Option(..., "--clinic", help="Clinic slug")) -> None:
    """The clinic's Questionnaire and Observation code mappings."""
    with opened_database(upgrade=True) as database:
        for line in mappings(
            sessions=database.sessions, actor=CLI, clinic_id=clinic_id_of(database.sessions, clinic)
        ):
            typer.echo(line)


@fhir_app.command("set-npi")
@explains_errors
def set_member_npi(
    email: str = typer.Argument(..., help="The member's account e-mail"),
    npi: str = typer.Argument(..., help="Ten-digit NPI, or 'none' to forget it"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
) -> None:
    """Record a member's NPI: their exported Practitioner carries it and incoming Practitioners
    with it are matched to them."""
    with opened_database(upgrade=True) as database:
        set_npi(
            sessions=database.sessions,
            actor=CLI,
            clinic_id=clinic_id_of(database.sessions, clinic),
            email=email,
            npi=None if npi.lower() == "none" else npi,
        )
    typer.echo(f"{email}: NPI {npi}")


@fhir_app.command("purge-exports")
@explains_errors
def purge_exports() -> None:
    """Remove expired Bulk Data export jobs and their files (also done at every kick-off)."""
    removed = purge_expired(get_settings().var_dir / FOLDER)
    typer.echo(f"removed {len(removed)} expired export job(s)")


def register(app: typer.Typer) -> None:
    app.add_typer(fhir_app, name="fhir")
