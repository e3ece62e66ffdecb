"""Judging a model on a table with outcomes, a clinic's own recalibration, and drift between an old
and a new model on the same cohort.

``validate`` predicts every patient with a 12-month outcome (missing predictors imputed as in any
prediction) and reports, for improved, worsened and pass, the C statistic, the calibration slope
and intercept (calibration-in-the-large), the Brier score and the ICI, each with a 95 % interval,
plus the smoothed calibration curve, the decision curve and calibration by sex and age band (groups
smaller than the registry's disclosure threshold are withheld)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from spinetrack.domain.disclosure import disclosure_rule
from spinetrack.prediction import metrics
from spinetrack.prediction.arrays import Array
from spinetrack.prediction.fitting import fit_cumulative
from spinetrack.prediction.model import Model, Recalibration
from spinetrack.prediction.predict import predict_table
from spinetrack.prediction.settings import settings
from spinetrack.prediction.table import Table, TooSmall, outcomes

OUTCOMES = ("improved", "worsened", "pass")


@dataclass(frozen=True)
class Observed:
    """Predicted probabilities and observed outcomes of the patients with a 12-month outcome."""

    rows: Array
    predicted: dict[str, Array]
    observed: dict[str, Array]
    logits: dict[str, Array]


def observed_predictions(model: Model, table: Table, seed: int = 0) -> Observed:
    found = outcomes(table)
    rows = np.flatnonzero(found.known)
    if rows.size == 0:
        raise TooSmall("the table holds no patient with both a baseline and a 12-month score")
    subset = table.subset(rows)
    predictions = predict_table(model, subset, seed=seed)
    classes, passed = found.classes[rows], found.passed[rows]
    predicted = {
        "improved": predictions.improved,
        "worsened": predictions.worsened,
        "pass": predictions.passed,
    }
    observed = {
        "improved": (classes == 2).astype(np.int64),
        "worsened": (classes == 0).astype(np.int64),
        "pass": passed.astype(np.int64),
    }
    logits = {k: metrics.linear_predictor(v) for k, v in predicted.items()}
    return Observed(rows, predicted, observed, logits)


def _band(age: float, bands: tuple[float, ...]) -> str:
    edges = [0.0, *bands]
    for low, high in zip(edges, [*bands, float("inf")], strict=True):
        if low <= age < high:
            return f"{low:g}+" if high == float("inf") else f"{low:g}-{high - 1:g}"
    return "unknown"


def subgroups(p: Array, y: Array, values: dict[str, Array]) -> list[dict[str, Any]]:
    """Calibration-in-the-large and slope by sex and by age band; small groups withheld."""
    groups: dict[str, Array] = {}
    sex = values["sex"]
    for code, name in enumerate(("female", "male")):
        groups[f"sex={name}"] = sex == code
    groups["sex=unknown"] = np.isnan(sex)
    bands = settings().validation.age_bands
    labels = np.array([_band(a, bands) if not np.isnan(a) else "unknown" for a in values["age"]])
    for label in sorted(set(labels)):
        groups[f"age={label}"] = labels == label
    return calibration_by_group(p, y, groups, disclosure_rule().threshold)


def calibration_by_group(
    p: Array, y: Array, groups: dict[str, Array], threshold: int
) -> list[dict[str, Any]]:
    """Calibration-in-the-large and slope in each group (name -> row mask). A group with fewer
    than ``threshold`` patients, events or non-events is withheld, as the analytics withhold a
    small count: its figures would identify patients, and would be noise anyway."""
    found = []
    for name, mask in groups.items():
        n = int(mask.sum())
        if n == 0:
            continue
        entry: dict[str, Any] = {"group": name, "n": n}
        events = int(y[mask].sum())
        if n < threshold or events < threshold or n - events < threshold:
            entry["n"] = n if n >= threshold else None
            entry["withheld"] = f"fewer than {threshold} patients or events"
        else:
            entry["observed"] = events / n
            entry["mean_predicted"] = float(np.mean(p[mask]))
            entry["calibration_intercept"] = metrics.calibration_intercept(
                p[mask], y[mask]
            ).as_dict()
            entry["calibration_slope"] = metrics.calibration_slope(p[mask], y[mask]).as_dict()
        found.append(entry)
    return found


def outcome_report(p: Array, y: Array, values: dict[str, Array], seed: int) -> dict[str, Any]:
    rules = settings().validation
    figures = metrics.figures(p, y, rules.calibration_knots, rules.ici_bootstrap, seed)
    return {
        "n": int(y.size),
        **{name: estimate.as_dict() for name, estimate in figures.items()},
        "calibration_curve": metrics.curve_points(
            p, y, rules.calibration_knots, rules.calibration_points
        ),
        "decision_curve": metrics.decision_curve(p, y, rules.decision_thresholds),
        "subgroups": subgroups(p, y, values),
    }


def validate_table(model: Model, table: Table, seed: int = 0) -> dict[str, Any]:
    """Performance of ``model`` on ``table`` (see the module docstring), as a JSON-ready dict."""
    found = observed_predictions(model, table, seed)
    values = {k: v[found.rows] for k, v in table.values.items()}
    report: dict[str, Any] = {"model_version": model.version_id}
    for outcome in OUTCOMES:
        report[outcome] = outcome_report(
            found.predicted[outcome], found.observed[outcome], values, seed
        )
    return report


def _drifted(report: dict[str, Any]) -> bool:
    intercept, slope = report["calibration_intercept"], report["calibration_slope"]
    return bool(
        intercept["low"] > 0 or intercept["high"] < 0 or slope["low"] > 1 or slope["high"] < 1
    )


def compare_models(old: Model, new: Model, table: Table, seed: int = 0) -> dict[str, Any]:
    """Both models on the same cohort; ``drifted`` says where the old model's calibration is no
    longer weak (Van Calster's hierarchy: intercept interval excludes 0 or slope excludes 1)."""
    before, after = validate_table(old, table, seed), validate_table(new, table, seed)
    summary: dict[str, Any] = {"old": old.version_id, "new": new.version_id, "outcomes": {}}
    for outcome in OUTCOMES:
        rows = {}
        for figure in metrics.FIGURES:
            rows[figure] = {"old": before[outcome][figure], "new": after[outcome][figure]}
        summary["outcomes"][outcome] = {
            "n": before[outcome]["n"],
            "figures": rows,
            "old_drifted": _drifted(before[outcome]),
            "new_drifted": _drifted(after[outcome]),
        }
    summary["drifted"] = any(v["old_drifted"] for v in summary["outcomes"].values())
    return summary


def recalibrate(model: Model, table: Table, seed: int = 0) -> Model:
    """The model with a clinic's own intercepts and slope, fitted on that clinic's outcomes: the
    three classes by a proportional-odds model on the model's linear predictor, pass by logistic
    regression on its logit. The coefficients themselves are kept; the version id changes."""
    plain = model.model_copy(update={"recalibration": {}})
    found = outcomes(table)
    rows = np.flatnonzero(found.known)
    if rows.size < 2 * disclosure_rule().threshold:
        raise TooSmall(f"{rows.size} patients with a 12-month outcome are too few to recalibrate")
    subset = table.subset(rows)
    predictions = predict_table(plain, subset, seed=seed)
    classes, passed = found.classes[rows], found.passed[rows]
    if np.unique(classes).size < 3 or np.unique(passed).size < 2:
        raise TooSmall("every outcome class must occur at least once to recalibrate")
    intercepts = np.asarray(plain.submodels["classes"].intercepts)
    eta = metrics.linear_predictor(predictions.improved) - intercepts[1]
    first = -metrics.linear_predictor(predictions.worsened) - intercepts[0] - eta
    has_partial = bool(plain.partial_columns)
    fit_c = fit_cumulative(
        eta[:, None], classes, 3, partial=first[:, None] if has_partial else None
    )
    fit_p = fit_cumulative(metrics.linear_predictor(predictions.passed)[:, None], passed, 2)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    recal = {
        "classes": Recalibration(
            intercepts=fit_c.intercepts.tolist(),
            slope=float(fit_c.coef[0]),
            partial_slope=float(fit_c.coef[1]) if has_partial else 1.0,
            intercept_variance=np.diag(fit_c.covariance)[:2].tolist(),
            n=int(rows.size),
            fitted_at=stamp,
        ),
        "pass": Recalibration(
            intercepts=fit_p.intercepts.tolist(),
            slope=float(fit_p.coef[0]),
            intercept_variance=[float(fit_p.covariance[0, 0])],
            n=int(rows.size),
            fitted_at=stamp,
        ),
    }
    version = f"{model.version_id}.r{table.fingerprint()[:6]}"
    return model.model_copy(
        update={"recalibration": recal, "parent_version": model.version_id, "version_id": version}
    )
