"""`spinetrack risk fit|predict|validate` (shared/spec/risk.md), plus `card`, `recalibrate` and
`compare`: the pre-operative outcome model from the command line.

Tables are CSV or Parquet by suffix; a bad cell is exit 2 naming the row and column; a table
smaller than the minimum sample size is exit 3 with the numbers."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spinetrack.cli.errors import explains_errors, fail, stderr

if TYPE_CHECKING:
    from spinetrack.prediction import Model

EXIT_TOO_SMALL = 3

risk_app = typer.Typer(
    help="Predict each patient's 12-month outcome before surgery: fit, predict, validate.",
    no_args_is_help=True,
)


def _table(path: str, with_outcome: bool) -> Any:
    """Read and check the table; unreadable files and bad cells exit 2."""
    import polars as pl

    from spinetrack.cli.csv_input import scan_table
    from spinetrack.prediction.table import parse_table, table_columns

    needed = table_columns(with_outcome)
    try:
        frame = scan_table(path, needed).collect()
    except pl.exceptions.PolarsError as exc:
        kind = "Parquet" if path.lower().endswith(".parquet") else "CSV"
        raise fail(
            f"{path}: not a readable {kind} file ({str(exc).strip().splitlines()[0]})"
        ) from exc
    return parse_table(frame, with_outcome)


def _model(path: str) -> "Model":
    from spinetrack.prediction import load

    return load(path)


def _too_small(message: str) -> typer.Exit:
    stderr.print(f"error: too few patients: {message}", markup=False)
    return typer.Exit(code=EXIT_TOO_SMALL)


@risk_app.command("fit")
@explains_errors
def fit(
    table: str | None = typer.Argument(
        None, metavar="[TABLE]", help="CSV or .parquet with outcomes (or --clinic)."
    ),
    out: Path = typer.Option(..., "--out", help="Where to write the model file (JSON)."),
    clinic: str | None = typer.Option(
        None,
        "--clinic",
        help="Fit from this clinic's registry instead of a table (stored and audited), e.g. north",
    ),
    bootstrap: int | None = typer.Option(
        None, help="Bootstrap resamples (default and minimum for a model to use: knowledge/)."
    ),
    imputations: int | None = typer.Option(None, help="Completed tables (default: knowledge/)."),
    seed: int = typer.Option(25, help="Random seed (imputation and bootstrap)."),
) -> None:
    """Fit, validate internally and write the model: from a TABLE, or from a clinic's stored
    record with --clinic SLUG (then the model is also stored as the clinic's, like the web app's
    fit)."""
    from spinetrack.prediction import TooSmall, save
    from spinetrack.prediction.fit import fit_table, summary

    if (table is None) == (clinic is None):
        raise fail("give either a TABLE or --clinic SLUG (one of the two)")
    if clinic is not None:
        from spinetrack.cli.preop import fit_clinic_model

        fit_clinic_model(clinic, out, bootstrap)
        return
    assert table is not None
    parsed = _table(table, with_outcome=True)

    def tell(step: str) -> None:
        stderr.print(step, markup=False)

    try:
        model = fit_table(parsed, bootstrap, imputations, seed, tell)
    except TooSmall as exc:
        raise _too_small(exc.message) from exc
    save(model, out)
    figures = summary(model)
    stderr.print(
        f"model {model.version_id}: {model.patients_with_outcome} patients with outcomes, "
        f"{model.lost_to_followup} lost to follow-up; optimism-corrected C improved "
        f"{figures['improved']['c_statistic']['value']:.3f}, pass "
        f"{figures['pass']['c_statistic']['value']:.3f}; written to {out}",
        markup=False,
    )


@risk_app.command("predict")
@explains_errors
def predict(
    table: str = typer.Argument(..., metavar="TABLE", help="CSV or .parquet; - reads stdin."),
    model: str = typer.Option(..., "--model", help="A model file from `risk fit`."),
    out: str | None = typer.Option(None, "--out", "-o", help="Write here (.parquet or CSV)."),
) -> None:
    """Predict every row; the probabilities go to stdout as CSV."""
    from spinetrack.prediction.predict import predict_table

    fitted = _model(model)
    parsed = _table(table, with_outcome=False)
    frame = predict_table(fitted, parsed).frame()
    if out is not None and out.lower().endswith(".parquet"):
        frame.write_parquet(out)
    elif out is not None:
        frame.write_csv(out, float_precision=4)
    else:
        frame.write_csv(sys.stdout.buffer, float_precision=4)


@risk_app.command("validate")
@explains_errors
def validate(
    table: str = typer.Argument(..., metavar="TABLE", help="CSV or .parquet with outcomes."),
    model: str = typer.Option(..., "--model", help="A model file from `risk fit`."),
) -> None:
    """Performance of the model on a table with outcomes, as JSON on stdout."""
    from spinetrack.prediction import TooSmall
    from spinetrack.prediction.performance import validate_table

    fitted = _model(model)
    parsed = _table(table, with_outcome=True)
    try:
        report = validate_table(fitted, parsed)
    except TooSmall as exc:
        raise _too_small(exc.message) from exc
    typer.echo(json.dumps(report, indent=1))


@risk_app.command("card")
@explains_errors
def card(
    model: str = typer.Option(..., "--model", help="A model file from `risk fit`."),
    html: bool = typer.Option(False, "--html", help="A standalone HTML page, not Markdown."),
) -> None:
    """Print the model's TRIPOD+AI model card, generated from the model file."""
    from spinetrack.prediction import model_card

    typer.echo(model_card(_model(model), html=html))


@risk_app.command("recalibrate")
@explains_errors
def recalibrate(
    table: str = typer.Argument(..., metavar="TABLE", help="The clinic's own outcomes."),
    model: str = typer.Option(..., "--model", help="The model to recalibrate."),
    out: Path = typer.Option(..., "--out", help="Where to write the recalibrated model."),
) -> None:
    """Recalibrate intercepts and slope on a clinic's own outcomes."""
    from spinetrack.prediction import TooSmall, save
    from spinetrack.prediction.performance import recalibrate as recalibrated

    try:
        local = recalibrated(_model(model), _table(table, with_outcome=True))
    except TooSmall as exc:
        raise _too_small(exc.message) from exc
    save(local, out)
    stderr.print(f"model {local.version_id} written to {out}", markup=False)


@risk_app.command("compare")
@explains_errors
def compare(
    table: str = typer.Argument(..., metavar="TABLE", help="The latest cohort, with outcomes."),
    old: str = typer.Option(..., "--old", help="The model in use."),
    new: str = typer.Option(..., "--new", help="The refitted model."),
) -> None:
    """Compare an old and a new model on a cohort and say whether calibration drifted."""
    from spinetrack.prediction import TooSmall
    from spinetrack.prediction.performance import compare_models

    try:
        report = compare_models(_model(old), _model(new), _table(table, with_outcome=True))
    except TooSmall as exc:
        raise _too_small(exc.message) from exc
    typer.echo(json.dumps(report, indent=1))


def register(app: typer.Typer) -> None:
    app.add_typer(risk_app, name="risk")
