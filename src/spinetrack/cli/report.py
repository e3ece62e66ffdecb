"""`spinetrack report`: the registry report for a period as a self-contained HTML file (charts
embedded, opens offline) and a PDF beside it for printing, with a progress bar on a terminal.
`spinetrack letter`: one patient's summary letter for the referring doctor, as printable HTML.

Each command imports its service inside its body: the report needs the statistics libraries,
the letter does not, and `spinetrack letter` should not wait for them."""

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.cli.progress import progress
from spinetrack.services.access.actor import system_actor

if TYPE_CHECKING:
    from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def _year(period: str | None) -> int | None:
    if period is None or period == "all":
        return None
    if not (period.isdigit() and len(period) == 4):
        raise fail(f"--period must be a year such as 2025 (or 'all'), not {period!r}")
    return int(period)


@explains_errors
def report(
    out: Path = typer.Option(..., "--out", help="The HTML file to write; the PDF goes beside it."),
    period: str | None = typer.Option(
        None, "--period", help="Year of the index operation, or all."
    ),
    clinic: str | None = typer.Option(
        None, "--clinic", help="Clinic slug (needed when there are several)."
    ),
    region: str | None = typer.Option(None, "--region", help="Only this region."),
    procedure: str | None = typer.Option(None, "--procedure", help="Only this procedure."),
    surgeon: str | None = typer.Option(None, "--surgeon", help="Only this surgeon (full name)."),
) -> None:
    """Write the registry report (HTML and PDF) for a period."""
    from spinetrack.analytics.dashboard import DashboardFilters
    from spinetrack.services.reporting.report_document import REPORT_STEPS, registry_report

    if out.suffix.lower() not in {".html", ".htm"}:
        raise fail(f"{out}: --out must name an .html file (the PDF is written beside it)")
    if out.is_dir():
        raise fail(f"{out}: is a directory")
    filters = DashboardFilters(_year(period), region, procedure, surgeon)
    pdf = out.with_suffix(".pdf")
    with opened_database(upgrade=True) as database:
        clinic_id = _clinic(database.sessions, clinic)
        with progress("Building the report", REPORT_STEPS) as advance:
            written = registry_report(
                sessions=database.sessions,
                actor=system_actor("cli"),
                clinic_id=clinic_id,
                filters=filters,
                destination=f"{out.name}, {pdf.name}",
                advance=lambda _: advance(1),
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(written.html, "utf-8")
    pdf.write_bytes(written.pdf)
    d = written.dashboard
    typer.echo(f"{out}\n{pdf}")
    typer.echo(
        f"{_count(d.patients)} patients ({d.filters.describe()}); {_count(d.judged)} judged, "
        f"{_count(d.failed.k)} not doing well",
        err=True,
    )


def _count(value: int | None) -> str:
    """A published count, or "withheld" where disclosure control keeps it back."""
    return "withheld" if value is None else f"{value:,}"


def _clinic(sessions: "UnitOfWorkFactory", slug: str | None) -> int:
    from spinetrack.services.reporting.analytics_registry import sole_clinic

    if slug is None:
        found = sole_clinic(sessions)
        if found is None:
            raise fail("the database holds several clinics (or none): name one with --clinic")
        return found
    return clinic_id_of(sessions, slug)


@explains_errors
def letter(
    mrn: str = typer.Argument(..., help="The patient's record number."),
    out: Path = typer.Option(..., "--out", help="The HTML file to write."),
    clinic: str | None = typer.Option(
        None, "--clinic", help="Clinic slug (needed when there are several)."
    ),
) -> None:
    """Write a patient's summary letter (status, chart, plan) for the referring doctor."""
    from spinetrack.services.clinician.patient_letter import letter_html, patient_letter

    if out.is_dir():
        raise fail(f"{out}: is a directory")
    with opened_database(upgrade=True) as database:
        content = patient_letter(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=_clinic(database.sessions, clinic),
            mrn=mrn,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(letter_html(content), encoding="utf-8")
    typer.echo(str(out))


@explains_errors
def disclosure(
    threshold: int | None = typer.Argument(
        None, help="Smallest count of patients the analytics may publish; omit for the default."
    ),
    clinic: str | None = typer.Option(
        None, "--clinic", help="Clinic slug (needed when there are several)."
    ),
) -> None:
    """Set the clinic's disclosure threshold for the dashboard, reports and downloads."""
    from spinetrack.services.reporting.analytics_registry import set_disclosure_threshold

    with opened_database(upgrade=True) as database:
        now = set_disclosure_threshold(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=_clinic(database.sessions, clinic),
            threshold=threshold,
        )
    typer.echo(f"counts below {now} are withheld")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("letter")(letter)
    app.command("disclosure")(disclosure)
