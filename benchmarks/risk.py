"""Benchmark: the pre-operative outcome model (issue 25) at full size, every target figure, and the
speed ratios to a plain statsmodels fit and prediction of the same table measured in the same run.

    .venv/bin/python benchmarks/risk.py [--repeats N] [--seeds N] [--rows N]

What is measured:
- targets: for each of --seeds training tables of 4,000 simulated patients (spinetrack.prediction.
  simulate, true probabilities known), the model fitted with the knowledge file's settings (200
  bootstrap resamples, 10 imputations where predictors are missing) and judged on 100,000 held-out
  patients: calibration slope and calibration-in-the-large, C minus the true model's C, mean
  absolute difference from the true probability, 95 % interval coverage, for improved and pass;
  then the same with 40 % of five predictors missing (growth of the mean difference). Medians and
  ranges over the seeds.
- fit: 10,000 patients with 40 % of five predictors missing, 200 bootstrap resamples and 10
  imputations: the whole of `risk fit` after reading the table. Median of --repeats.
- baseline fit: statsmodels OrderedModel (logit) and Logit, unpenalised, on the same design matrix
  (the first completed table, splines included), no imputation, no validation. Median of --repeats.
- predict: --rows rows (1,000,000 by default) from a Parquet file, read, checked, predicted and
  written as CSV through `spinetrack risk predict` (in process); once complete, once with 40 % of
  five predictors missing. Median of --repeats.
- baseline predict: statsmodels' predict of both fitted models on the same rows' design matrix.
- server: one patient through `POST /api/v1/risk` of the running app (Starlette's TestClient: the
  whole ASGI stack, token check, audited service, the clinic's stored model read from a SQLite
  database), median of --server-repeats requests after one warm-up; baseline GET /health in the
  same run. The stored model is a 4,000-patient fit (its size does not depend on the patients).
The machine is shared; `os.getloadavg()` is printed so the figures can be read against the load,
and every timed step also prints its median CPU seconds (this process's own, all threads), which
the other sessions on the machine do not inflate as they do the wall clock.
"""

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.prediction import Model, metrics, save
from spinetrack.prediction.fit import fit_table
from spinetrack.prediction.imputation import impute_chain
from spinetrack.prediction.predict import predict_table, standardised
from spinetrack.prediction.settings import settings
from spinetrack.prediction.simulate import MISSABLE, simulate
from spinetrack.prediction.table import outcomes, parse_table

FIT_TARGET_S = 60.0
PREDICT_TARGET_S = 20.0


CPU: dict[str, float] = {}
"""Median CPU seconds of the last timed step of each label (see _timed)."""


def _median(run: Callable[[], object], repeats: int, label: str = "") -> float:
    return _timed(run, repeats, label)[0]


def _timed(run: Callable[[], Any], repeats: int, label: str = "") -> tuple[float, Any]:
    """Median wall seconds over ``repeats`` runs, and the last run's result; the median CPU
    seconds go to CPU[label]."""
    times, cpu, result = [], [], None
    for _ in range(repeats):
        start, clock = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - clock)
    CPU[label] = statistics.median(cpu)
    return statistics.median(times), result


def _targets(seeds: int) -> None:
    held = simulate(100_000, seed=999)
    table = parse_table(held.table, with_outcome=True)
    found = outcomes(table)
    observed = {"improved": (found.classes == 2) * 1, "pass": found.passed}
    truth = {"improved": held.improved, "pass": held.passed}
    rows: dict[str, list[float]] = {}
    for seed in range(1, seeds + 1):
        mads = {}
        for label, missing in (("complete", ()), ("missing", MISSABLE)):
            training = parse_table(simulate(4000, seed, missing=missing).table, with_outcome=True)
            model = fit_table(training, seed=seed)
            result = predict_table(model, table)
            for outcome in ("improved", "pass"):
                p = result.improved if outcome == "improved" else result.passed
                y, t = observed[outcome], truth[outcome]
                key = f"{label} {outcome}"
                mad = float(np.mean(np.abs(p - t)))
                mads[key] = mad
                inside = (result.low[outcome] <= t) & (t <= result.high[outcome])
                for name, value in (
                    ("calibration slope", metrics.calibration_slope(p, y).value),
                    ("calibration-in-the-large", metrics.calibration_intercept(p, y).value),
                    ("C - true C", metrics.c_value(p, y) - metrics.c_value(t, y)),
                    ("mean |p - truth|", mad),
                    ("95% coverage", float(np.mean(inside))),
                ):
                    rows.setdefault(f"{key}: {name}", []).append(value)
        for outcome in ("improved", "pass"):
            growth = mads[f"missing {outcome}"] - mads[f"complete {outcome}"]
            rows.setdefault(f"growth of mean |p - truth| with missing, {outcome}", []).append(
                growth
            )
    print(f"targets ({seeds} training tables of 4,000; held-out 100,000): median [min, max]")
    for name, values in rows.items():
        print(
            f"  {name:55s} {statistics.median(values):+.4f} [{min(values):+.4f}, {max(values):+.4f}]"
        )


def _design(training: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """The first completed table's design, as the fit builds it, for the statsmodels baseline."""
    from spinetrack.prediction.design import design_matrix
    from spinetrack.prediction.fit import _design as design_of

    assert hasattr(training, "values")
    found = outcomes(training)  # type: ignore[arg-type]
    keep = np.flatnonzero(found.known)
    data = training.subset(keep)  # type: ignore[attr-defined]
    terms, codings, _ = design_of(data)
    y_c, y_p = found.classes[keep], found.passed[keep]
    extra = np.column_stack([y_c == 2, y_c == 0, y_p]).astype(np.float64)
    rules = settings().imputation
    rng = np.random.default_rng(0)
    completed = impute_chain(codings, data.values, extra, rules.iterations, rules.donors, rng)
    raw = design_matrix(terms, completed)
    x = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    # Unpenalised fits need independent columns (instrument and region coincide here).
    kept: list[int] = []
    for column in range(x.shape[1]):
        if np.linalg.matrix_rank(x[:, [*kept, column]]) == len(kept) + 1:
            kept.append(column)
    return x[:, kept], y_c, y_p, kept


def _speed(repeats: int, rows: int) -> None:
    training = parse_table(simulate(10_000, 21, missing=MISSABLE).table, with_outcome=True)
    fit_s, model = _timed(lambda: fit_table(training), repeats, "fit")
    x, y_c, y_p, kept = _design(training)

    def plain() -> tuple[object, object]:
        ordered = OrderedModel(y_c, x, distr="logit").fit(method="bfgs", disp=0, maxiter=5000)
        logit = sm.Logit(y_p, sm.add_constant(x)).fit(disp=0)
        return ordered, logit

    base_s = _median(plain, repeats, "plain fit")
    print(
        f"fit 10,000 patients, 200 bootstrap, 10 imputations ({repeats} runs): median {fit_s:.1f} s "
        f"wall, {CPU['fit']:.1f} s CPU (target <= {FIT_TARGET_S:.0f} s); statsmodels "
        f"OrderedModel + Logit on the same design: median {base_s:.2f} s wall, "
        f"{CPU['plain fit']:.2f} s CPU; ratio {fit_s / base_s:.1f} (wall), "
        f"{CPU['fit'] / CPU['plain fit']:.1f} (CPU)"
    )
    ordered, logit = plain()
    with tempfile.TemporaryDirectory() as folder:
        model_path = Path(folder) / "model.json"
        save(model, model_path)
        for label, missing in (("complete", ()), ("40 % of five predictors missing", MISSABLE)):
            _predict_speed(model, model_path, (ordered, logit), kept, label, missing, repeats, rows)


def _predict_speed(
    model: Model,
    model_path: Path,
    baseline: tuple[Any, Any],
    kept: list[int],
    label: str,
    missing: tuple[str, ...],
    repeats: int,
    rows: int,
) -> None:
    ordered, logit = baseline
    table = simulate(rows, 31, missing=missing).table.drop("followup_score")
    source = model_path.with_name("rows.parquet")
    table.write_parquet(source)
    out = model_path.with_name("predictions.csv")
    args = ["risk", "predict", "--model", str(model_path), str(source), "--out", str(out)]
    runner = CliRunner()

    def command() -> None:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output

    predict_s = _median(command, repeats, "predict")
    parsed = parse_table(table, with_outcome=False)
    complete = {k: np.nan_to_num(v) for k, v in parsed.values.items()}
    design = standardised(model, complete)[:, kept]
    predict_only = _median(lambda: predict_table(model, parsed), repeats)

    def plain_predict() -> None:
        ordered.predict(design)
        logit.predict(sm.add_constant(design))

    base_predict = _median(plain_predict, repeats, "plain predict")
    print(
        f"risk predict {rows:,} rows ({label}), Parquet in, CSV out: median {predict_s:.1f} s "
        f"wall, {CPU['predict']:.1f} s CPU (target <= {PREDICT_TARGET_S:.0f} s); of which "
        f"predicting {predict_only:.1f} s; statsmodels predict on the same design "
        f"{base_predict:.2f} s; ratio {predict_s / base_predict:.1f}"
    )


def _server(model: Model, repeats: int) -> None:
    """One prediction through the running app (see the module docstring)."""
    from fastapi.testclient import TestClient

    from spinetrack.app import create_app
    from spinetrack.services.access.accounts import create_clinic, create_user
    from spinetrack.services.access.actor import system_actor
    from spinetrack.services.access.sign_in import create_token
    from spinetrack.services.operations.database import open_database
    from spinetrack.storage.repositories.risk import RiskRepository
    from spinetrack.storage.tables import RiskModel

    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'server.sqlite3'}")
        database.upgrade()
        system = system_actor("benchmark")
        clinic = create_clinic(sessions=database.sessions, actor=system, slug="bench", name="Bench")
        user = create_user(
            sessions=database.sessions,
            actor=system,
            email="surgeon@bench.example",
            full_name="Surgeon",
            password="benchmark-password-25",
            clinic_id=clinic,
            role="clinician",
        )
        token = create_token(sessions=database.sessions, actor=system, name="b", user_id=user)[1]
        with database.sessions() as uow:
            RiskRepository(uow.session, clinic).add_model(
                RiskModel(
                    version_id=model.version_id,
                    fitted_by="benchmark",
                    n_patients=model.patients_with_outcome,
                    summary={"validation": {}, "cohort": []},
                    model_json=model.model_dump_json(),
                )
            )
            uow.commit()
        client = TestClient(create_app(database))
        headers = {"Authorization": f"Bearer {token}"}
        row = simulate(1, 77).table.drop("followup_score").to_dicts()[0]
        row["bmi"] = None  # one predictor unknown: the imputation path, the slower one
        body = {"rows": [row]}

        def one() -> None:
            answer = client.post("/api/v1/risk", json=body, headers=headers)
            assert answer.status_code == 200 and answer.json()["available"], answer.text

        def health() -> None:
            assert client.get("/health").status_code == 200

        one()
        health()
        server_s = _median(one, repeats, "server")
        base_s = _median(health, repeats, "health")
        database.close()
    print(
        f"one prediction in the running server (POST /api/v1/risk, one row, BMI unknown; "
        f"{repeats} requests): median {server_s * 1000:.1f} ms wall, "
        f"{CPU['server'] * 1000:.1f} ms CPU (target <= 50 ms); GET /health "
        f"{base_s * 1000:.1f} ms (the framework's floor); above it "
        f"{(server_s - base_s) * 1000:.1f} ms; ratio {server_s / base_s:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--server-repeats", type=int, default=50)
    parser.add_argument("--skip-targets", action="store_true")
    options = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores)")
    server_model = fit_table(
        parse_table(simulate(4000, 5, missing=MISSABLE).table, with_outcome=True), bootstrap=20
    )
    _server(server_model, options.server_repeats)
    _speed(options.repeats, options.rows)
    if not options.skip_targets:
        _targets(options.seeds)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
