"""`spinetrack preop table|fit --clinic SLUG`: the outcome model's table taken from the stored
pre-operative record, and the clinic's model fitted, validated and stored from it.

`spinetrack risk fit --clinic SLUG --out MODEL` (the contract's form, shared/spec/risk.md) and
`preop fit --clinic SLUG` both run `fit_clinic_model` below, which calls the same service as the
web app."""

from pathlib import Path

import typer

from spinetrack.cli.errors import explains_errors, fail, stderr

EXIT_TOO_SMALL = 3
preop_app = typer.Typer(
    help="The pre-operative record of a clinic: import, its prediction table, its outcome model.",
    no_args_is_help=True,
)
ClinicOption = typer.Option(..., "--clinic", help="The clinic's short name, e.g. north")


@preop_app.command("table")
@explains_errors
def table(
    clinic: str = ClinicOption,
    out: Path = typer.Option(..., "--out", help="CSV or .parquet file to write."),
) -> None:
    """Write the contract's table (risk.md) of a clinic's operated patients, from the record."""
    import polars as pl

    from spinetrack.cli.clinic_arg import clinic_id_of
    from spinetrack.cli.opened import opened_database
    from spinetrack.prediction.table import table_columns
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.risk.clinic_model import read_table

    with opened_database() as database:
        rows = read_table(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=clinic_id_of(database.sessions, clinic),
        )
    columns = table_columns(with_outcome=True)
    frame = pl.DataFrame(
        {c: [r.get(c) for r in rows] for c in columns}, schema=dict.fromkeys(columns, pl.String)
    )
    if out.suffix.lower() == ".parquet":
        frame.write_parquet(out)
    else:
        frame.write_csv(out)
    typer.echo(f"{clinic}: {len(rows)} operated patients with a baseline score -> {out}")


@preop_app.command("fit")
@explains_errors
def fit(
    clinic: str = ClinicOption,
    out: Path | None = typer.Option(None, "--out", help="Also write the model file (JSON)."),
    bootstrap: int | None = typer.Option(None, help="Bootstrap resamples (default: knowledge/)."),
) -> None:
    """Fit, validate and store the clinic's outcome model from its own record (audited)."""
    fit_clinic_model(clinic, out, bootstrap)


def fit_clinic_model(clinic: str, out: Path | None, bootstrap: int | None) -> None:
    """Fit, validate, store (audited) and optionally write the clinic's model; exit 3 with the
    numbers when the clinic has too few patients with a 12-month outcome."""
    from spinetrack.cli.clinic_arg import clinic_id_of
    from spinetrack.cli.opened import opened_database
    from spinetrack.prediction import TooSmall, save
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.risk.clinic_model import fit_clinic

    with opened_database() as database:
        try:
            model, stored = fit_clinic(
                sessions=database.sessions,
                actor=system_actor("cli"),
                clinic_id=clinic_id_of(database.sessions, clinic),
                bootstrap=bootstrap,
                progress=lambda step: stderr.print(step, markup=False),
            )
        except TooSmall as exc:
            stderr.print(f"error: too few patients: {exc.message}", markup=False)
            raise typer.Exit(code=EXIT_TOO_SMALL) from exc
    if out is not None:
        save(model, out)
    figures = stored.summary["validation"]["improved"]["corrected"]
    typer.echo(
        f"{clinic}: model {stored.version_id} on {stored.n_patients} patients; improved: "
        f"C {figures['c_statistic']['value']:.3f}, slope {figures['calibration_slope']['value']:.2f}"
    )
    if stored.drift and stored.drift.get("drifted"):
        typer.echo("the previous model's calibration has drifted on the latest cohort")
    if out is None and not stored.version_id:
        raise fail("nothing stored")


@preop_app.command("import")
@explains_errors
def import_file(
    path: Path = typer.Argument(..., metavar="FILE", help="CSV: mrn plus the record's columns."),
    clinic: str = ClinicOption,
) -> None:
    """Import pre-operative records from a CSV (all or nothing; a bad cell names line and column)."""
    from spinetrack.cli.clinic_arg import clinic_id_of
    from spinetrack.cli.opened import opened_database
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.risk.import_preop_csv import import_preop_csv

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"{path}: cannot read ({exc.strerror})") from exc
    with opened_database() as database:
        count = import_preop_csv(
            sessions=database.sessions,
            actor=system_actor("cli"),
            clinic_id=clinic_id_of(database.sessions, clinic),
            data=data,
        )
    typer.echo(f"{clinic}: stored {count} pre-operative records")


def register(app: typer.Typer) -> None:
    app.add_typer(preop_app, name="preop")
