"""`spinetrack rules check [--dir PATH]`: are the triage rules sound before anyone relies on them?
`spinetrack rules reassess --clinic SLUG`: once they are, assess every operated patient again, so
the worklist's red flags and causes follow the rules now in force, not the ones of the last visit;
`spinetrack rules refresh-outcomes --clinic SLUG` does the same for the outcome statuses and flags."""

from datetime import date
from pathlib import Path

import typer

from spinetrack.cli.errors import explains_errors, fail, stderr
from spinetrack.domain.triage.rules_check import check_rules

rules_app = typer.Typer(help="Inspect the clinical rules.", no_args_is_help=True)


@rules_app.command("check")
@explains_errors
def check(
    directory: Path | None = typer.Option(
        None,
        "--dir",
        help="A folder holding a copy of knowledge/triage/ to check instead of the shipped rules.",
        exists=True,
        file_okay=False,
    ),
) -> None:
    """Check the triage rules: known ids, sources, reachable rules. Exit 2 listing any problems."""
    report = check_rules(directory)
    where = str(directory) if directory else "shipped triage rules"
    if not report.ok:
        for problem in report.problems:
            stderr.print(f"problem: {problem}", markup=False)
        raise fail(f"{where}: {report.summary}")
    typer.echo(f"{where}: OK: {report.summary}")


@rules_app.command("reassess")
@explains_errors
def reassess(
    clinic: str = typer.Option(..., "--clinic", help="The clinic's short name, e.g. north"),
    on: str = typer.Option(
        "", "--on", help="Assess as of this date (YYYY-MM-DD); the clinic's today when left out"
    ),
) -> None:
    """Store a fresh assessment, under the shipped rules, for every operated patient of a clinic."""
    from spinetrack.cli.clinic_arg import clinic_id_of
    from spinetrack.cli.opened import opened_database
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.access.clinic_calendar import today_for
    from spinetrack.services.triage.reassess_clinic import reassess_clinic

    try:
        given = date.fromisoformat(on) if on else None
    except ValueError:
        raise fail(f"--on: {on!r} is not a date written YYYY-MM-DD") from None
    with opened_database() as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        evaluation_date = given or today_for(database.sessions, clinic_id)
        count = reassess_clinic(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=clinic_id,
            evaluation_date=evaluation_date,
        )
    typer.echo(f"{clinic}: assessed {count} operated patients as of {evaluation_date.isoformat()}")


@rules_app.command("refresh-outcomes")
@explains_errors
def refresh_outcomes(
    clinic: str = typer.Option(..., "--clinic", help="The clinic's short name, e.g. north"),
) -> None:
    """Recompute every patient's outcome status, under the shipped outcome rules, as of today.

    Run it after the outcome rules change or after an upgrade adds a flag such as losing ground:
    patients nobody has written to since keep the old answer until then."""
    from spinetrack.cli.clinic_arg import clinic_id_of
    from spinetrack.cli.opened import opened_database
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.records.refresh_outcomes import refresh_clinic_outcomes

    with opened_database() as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        count = refresh_clinic_outcomes(
            sessions=database.sessions, actor=system_actor("cli"), clinic_id=clinic_id
        )
    typer.echo(f"{clinic}: recomputed the outcome of {count} patients")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
