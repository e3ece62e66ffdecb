"""`spinetrack export`: a clinic's patients, surgeries, responses, scores and statuses as CSV or
Parquet tables, or as one FHIR Bundle; `--deidentify` pseudonymises ids and shifts dates."""

from pathlib import Path
from typing import cast

import typer

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.config import get_settings
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.export_registry import ExportFormat, export_registry

FORMATS = ("csv", "parquet", "fhir")


@explains_errors
def export(
    fmt: str = typer.Option(..., "--format", help="csv, parquet or fhir."),
    clinic: str = typer.Option(..., "--clinic", help="Slug of the clinic to export."),
    out: Path = typer.Option(
        ..., "--out", help="A directory for csv and parquet tables; a .json file for fhir."
    ),
    deidentify: bool = typer.Option(
        False,
        "--deidentify",
        help="Pseudonymise ids (needs SPINETRACK_SECRET_KEY), shift dates, drop free text.",
    ),
) -> None:
    """Export a clinic's registry for analysts or another system."""
    if fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "fhir" and out.is_dir():
        raise fail(f"{out}: is a directory; a FHIR export is one file")
    if fmt != "fhir" and out.exists() and not out.is_dir():
        raise fail(f"{out}: is a file; csv and parquet exports write a directory of tables")
    secret = get_settings().configured_secret_key() if deidentify else None
    with opened_database(upgrade=True) as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        written = export_registry(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=clinic_id,
            fmt=cast(ExportFormat, fmt),
            out=out,
            deidentified=deidentify,
            secret_key=secret,
        )
    for path in written:
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
