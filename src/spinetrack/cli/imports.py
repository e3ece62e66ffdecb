"""`spinetrack import csv|fhir`: bring a clinic's spreadsheets or an EHR's FHIR Bundle into the
registry, every record checked like a single entry; rejected records are listed with their reasons."""

import json
from pathlib import Path
from typing import cast

import typer

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.cli.opened import opened_database
from spinetrack.cli.progress import progress
from spinetrack.interop.tabular import KINDS, RowProblem, problems_csv
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.import_csv import Mode, import_csv
from spinetrack.services.registry_io.import_fhir import Mode as FhirMode
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportRejected, ImportReport

MODES = ("all-or-nothing", "accept-valid")
SHOWN = 20
"""Rejections printed on the terminal; the --rejects report holds them all."""

import_app = typer.Typer(
    help="Import patients, surgeries and responses from CSV or FHIR.", no_args_is_help=True
)


def _read(file: Path) -> bytes:
    if not file.is_file():
        raise fail(f"{file}: no such file")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise fail(f"{file}: cannot be read ({exc.strerror})") from exc


def _report(report: ImportReport, rejects: Path | None) -> None:
    for note in report.rejected[:SHOWN]:
        stderr.print(f"rejected {note.resource}: {note.field}: {note.reason}", markup=False)
    if len(report.rejected) > SHOWN:
        stderr.print(f"... and {len(report.rejected) - SHOWN} more", markup=False)
    if rejects is not None:
        problems = [RowProblem(n.entry, n.field, n.reason) for n in report.rejected]
        rejects.write_bytes(problems_csv(problems))


def _write_report(report: ImportReport, path: Path | None) -> None:
    if path is not None:
        path.write_text(json.dumps(report.as_json(), indent=1), encoding="utf-8")


@import_app.command("csv")
@explains_errors
def csv(
    file: Path = typer.Argument(
        ..., metavar="FILE", help="CSV file (UTF-8, comma-separated, header row)."
    ),
    kind: str = typer.Option(
        ..., "--kind", help="patients, surgeries, complications or responses."
    ),
    clinic: str = typer.Option(..., "--clinic", help="Slug of the clinic to import into."),
    mode: str = typer.Option("all-or-nothing", "--mode", help="all-or-nothing or accept-valid."),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Write the rejected rows (line, field, reason) here."
    ),
) -> None:
    """Import one CSV of one kind; see docs/interop.md for the columns of each kind."""
    if kind not in KINDS:
        raise fail(f"unknown --kind {kind!r}; choose one of {', '.join(KINDS)}")
    if mode not in MODES:
        raise fail(f"unknown --mode {mode!r}; choose one of {', '.join(MODES)}")
    data = _read(file)
    with opened_database(upgrade=True) as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        with progress(f"importing {kind}", max(data.count(b"\n") - 1, 1)) as advance:
            try:
                report = import_csv(
                    sessions=database.sessions,
                    actor=system_actor("cli"),
                    clinic_id=clinic_id,
                    kind=kind,
                    data=data,
                    mode=cast(Mode, mode),
                    progress=advance,
                )
            except ImportRejected as exc:
                _report(exc.report, rejects)
                raise
    _report(report, rejects)
    typer.echo(report.summary())


@import_app.command("fhir")
@explains_errors
def fhir(
    file: Path = typer.Argument(..., metavar="FILE", help="A FHIR R4 Bundle (JSON)."),
    clinic: str = typer.Option(..., "--clinic", help="Slug of the clinic to import into."),
    mode: str = typer.Option("all-or-nothing", "--mode", help="all-or-nothing or accept-valid."),
    report_file: Path | None = typer.Option(
        None, "--report", help="Write the whole report (JSON: counts, rejected, skipped) here."
    ),
) -> None:
    """Import any FHIR R4 Bundle: what is understood is stored, the rest listed as skipped.

    Patients are matched by the clinic's MRN identifier systems (`spinetrack fhir add-mrn-system`).
    """
    if mode not in MODES:
        raise fail(f"unknown --mode {mode!r}; choose one of {', '.join(MODES)}")
    data = _read(file)
    with opened_database(upgrade=True) as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        try:
            report = import_fhir(
                sessions=database.sessions,
                actor=system_actor("cli"),
                clinic_id=clinic_id,
                bundle=data,
                mode=cast(FhirMode, mode),
            )
        except ImportRejected as exc:
            _report(exc.report, None)
            _write_report(exc.report, report_file)
            raise
    _report(report, None)
    _write_report(report, report_file)
    for note in report.skipped[:SHOWN]:
        stderr.print(f"skipped {note.resource}: {note.field}: {note.reason}", markup=False)
    if len(report.skipped) > SHOWN:
        stderr.print(f"... and {len(report.skipped) - SHOWN} more skipped", markup=False)
    typer.echo(report.summary())


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
