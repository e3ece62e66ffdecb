"""Fitting: from a table with 12-month outcomes to a validated model file.

1. The outcome classes and pass of each row come from spinetrack.domain.outcomes; a row without a
   follow-up score is lost to follow-up, counted, and not used.
2. The design is chosen (splines, pooled rare levels) and the minimum sample size checked (Riley
   et al.); too few patients end here (TooSmall, exit 3 on the command line).
3. Missing predictors are multiply imputed (chained equations, predictive mean matching, the
   outcomes in the imputation models); the penalty is chosen on the first completed table and
   both models are fitted on every completed table and pooled by Rubin's rules.
4. Validation: apparent figures with 95 % intervals, the optimism of each from bootstrap refits
   (spread over the completed tables), corrected figures, curves and subgroups."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from spinetrack.domain.knowledge import rules_version
from spinetrack.prediction import metrics
from spinetrack.prediction.arrays import Array
from spinetrack.prediction.design import Term, choose_term, design_matrix
from spinetrack.prediction.fitting import Fit, choose_penalty, class_probabilities, fit_cumulative
from spinetrack.prediction.imputation import Coding, conditionals, impute_chain, make_coding
from spinetrack.prediction.model import (
    FigureSet,
    Model,
    OutcomeValidation,
    SampleSizeRecord,
    Submodel,
)
from spinetrack.prediction.performance import subgroups
from spinetrack.prediction.predict import evaluate
from spinetrack.prediction.sample_size import SampleSize, minimum_sample_size
from spinetrack.prediction.settings import settings
from spinetrack.prediction.table import CLASSES, Table, TooSmall, outcomes, predictor_specs

Progress = Callable[[str], None]
OUTCOMES = ("improved", "worsened", "pass")


def _quiet(_: str) -> None:
    return None


def _pool(fits: list[Fit], outcome: str, classes: tuple[str, ...], width: int) -> Submodel:
    """Rubin's rules: the mean estimate, within + (1 + 1/M) x between covariance. ``width`` is
    the number of design columns; any further coefficients are the partial ones."""
    thetas = np.stack([f.theta for f in fits])
    within = np.mean([f.covariance for f in fits], axis=0)
    m = len(fits)
    between = np.cov(thetas, rowvar=False, ddof=1) if m > 1 else np.zeros_like(within)
    total = within + (1.0 + 1.0 / m) * between
    mean = thetas.mean(axis=0)
    cuts = len(classes) - 1
    return Submodel(
        outcome="classes" if cuts == 2 else "pass",
        classes=classes,
        penalty=fits[0].penalty,
        edf=float(np.mean([f.edf for f in fits])),
        intercepts=mean[:cuts].tolist(),
        coef=mean[cuts : cuts + width].tolist(),
        partial=mean[cuts + width :].tolist(),
        covariance=total.tolist(),
    )


def _typical(spec_kind: str, observed: Array) -> float:
    seen = observed[~np.isnan(observed)]
    if spec_kind in ("number", "whole"):
        return float(np.median(seen))
    return float(np.argmax(np.bincount(seen.astype(np.int64))))


def _check_size(n: int, p: int, y_c: Array, y_p: Array) -> SampleSize:
    counts = np.bincount(y_c, minlength=3)
    if n == 0 or (counts == 0).any() or y_p.sum() in (0, n):
        empty = [CLASSES[k] for k in range(3) if counts[k] == 0]
        if y_p.sum() in (0, n):
            empty.append("pass" if y_p.sum() == 0 else "not pass")
        raise TooSmall(
            f"{n} patients with a 12-month outcome and none in {', '.join(empty)}: "
            "a model cannot be fitted"
        )
    shares = (counts / n).tolist()
    size = minimum_sample_size(p, n, shares, float(y_p.mean()))
    if not size.enough:
        raise TooSmall(size.explain())
    return size


def _figure_set(n: int, figures: dict[str, metrics.Estimate]) -> FigureSet:
    return FigureSet(n=n, figures={k: v.as_dict() for k, v in figures.items()})


def _probabilities(
    cuts_c: Array,
    theta_c: Array,
    cuts_p: Array,
    coef_p: Array,
    x: Array,
    partial: list[int],
) -> dict[str, Array]:
    coef_c, gamma = theta_c[: x.shape[1]], theta_c[x.shape[1] :]
    first = x[:, partial] @ gamma if partial else None
    probs = class_probabilities(cuts_c, x @ coef_c, first)
    return {
        "improved": probs[:, 2],
        "worsened": probs[:, 0],
        "pass": class_probabilities(cuts_p, x @ coef_p)[:, 1],
    }


@dataclass(frozen=True)
class _Replicate:
    imputation: int
    rows: Array
    classes: Fit
    passed: Fit


def _replicates(
    xs: list[Array],
    y_c: Array,
    y_p: Array,
    fits: tuple[list[Fit], list[Fit]],
    resamples: int,
    rng: np.random.Generator,
    progress: Progress,
    partial: list[int],
) -> list[_Replicate]:
    """The ridge models refitted (same penalty) on bootstrap resamples of the completed tables."""
    fits_c, fits_p = fits
    n = y_c.size
    found = []
    for b in range(resamples):
        m = b % len(xs)
        rows = rng.integers(0, n, n)
        if np.unique(y_c[rows]).size < 3 or np.unique(y_p[rows]).size < 2:
            continue
        x = xs[m][rows]
        boot_c = fit_cumulative(
            x,
            y_c[rows],
            3,
            fits_c[m].penalty,
            fits_c[m].theta,
            tolerance=1e-6,
            covariance=False,
            partial=x[:, partial] if partial else None,
            curvature=fits_c[m].curvature,
        )
        boot_p = fit_cumulative(
            x,
            y_p[rows],
            2,
            fits_p[m].penalty,
            fits_p[m].theta,
            tolerance=1e-6,
            covariance=False,
            curvature=fits_p[m].curvature,
        )
        found.append(_Replicate(m, rows, boot_c, boot_p))
        if (b + 1) % 25 == 0:
            progress(f"bootstrap {b + 1}/{resamples}")
    return found


def _slope(eta: Array, y: Array, classes: int) -> float:
    start = np.array([0.0, 1.0])
    fit = fit_cumulative(eta[:, None], y, classes, start=start, tolerance=1e-6, covariance=False)
    return float(fit.coef[0])


def shrinkage_factors(
    replicates: list[_Replicate],
    xs: list[Array],
    y_c: Array,
    y_p: Array,
    partial: list[int],
) -> tuple[float, float]:
    """Uniform shrinkage: the mean calibration slope of the bootstrap models on the original
    tables (at most 1): what is left of the ridge model's overfitting, taken out of it. For the
    classes the slope is that of P(improved), the top cumulative logit, which the partial-odds
    columns do not enter."""
    slopes_c, slopes_p = [], []
    improved = (y_c == 2).astype(np.int64)
    for r in replicates:
        x = xs[r.imputation]
        p = x.shape[1]
        slopes_c.append(_slope(r.classes.intercepts[1] + x @ r.classes.coef[:p], improved, 2))
        slopes_p.append(_slope(r.passed.intercepts[0] + x @ r.passed.coef, y_p, 2))
    return min(1.0, float(np.mean(slopes_c))), min(1.0, float(np.mean(slopes_p)))


def _intercepts(
    x: Array, theta: Array, y: Array, classes: int, partial: list[int], start: Array
) -> Array:
    """Intercepts refitted with the (shrunk) linear predictor held fixed, from ``start`` (the
    unshrunk fit's intercepts, which a shrinkage near 1 barely moves)."""
    empty = np.zeros((x.shape[0], 0))
    p = x.shape[1]
    first = x[:, partial] @ theta[p:] if partial and classes == 3 else None
    return fit_cumulative(
        empty,
        y,
        classes,
        start=start,
        offset=x @ theta[:p],
        tolerance=1e-7,
        covariance=False,
        first_offset=first,
    ).intercepts


def shrunk(
    sub: Submodel,
    factor: float,
    xs: list[Array],
    y: Array,
    classes: int,
    partial: list[int],
) -> Submodel:
    """The pooled submodel with its coefficients multiplied by ``factor`` and its intercepts
    refitted (averaged over the completed tables); the covariance scaled to match."""
    theta = np.asarray(sub.coef + sub.partial) * factor
    cuts = classes - 1
    start = np.asarray(sub.intercepts)
    intercepts = np.mean([_intercepts(x, theta, y, classes, partial, start) for x in xs], axis=0)
    scaling = np.concatenate([np.ones(cuts), np.full(theta.size, factor)])
    covariance = np.asarray(sub.covariance) * np.outer(scaling, scaling)
    width = len(sub.coef)
    return sub.model_copy(
        update={
            "coef": theta[:width].tolist(),
            "partial": theta[width:].tolist(),
            "intercepts": intercepts.tolist(),
            "covariance": covariance.tolist(),
            "shrinkage": factor,
        }
    )


def _optimism(
    replicates: list[_Replicate],
    xs: list[Array],
    y_c: Array,
    y_p: Array,
    factors: tuple[float, float],
    partial: list[int],
) -> tuple[dict[str, dict[str, float]], dict[str, list[float]]]:
    """Mean (bootstrap-sample figure - original-table figure) of the bootstrap models, each
    shrunk by the same factors as the final model with its intercepts refitted on its resample;
    and each outcome's ICI on the resamples (for the apparent ICI's interval)."""
    knots = settings().validation.calibration_knots
    observed = {"improved": (y_c == 2) * 1, "worsened": (y_c == 0) * 1, "pass": y_p}
    totals: dict[str, dict[str, list[float]]] = {
        q: {f: [] for f in metrics.FIGURES} for q in OUTCOMES
    }
    draws: dict[str, list[float]] = {q: [] for q in OUTCOMES}
    for r in replicates:
        x, rows = xs[r.imputation], r.rows
        coef_c, coef_p = r.classes.coef * factors[0], r.passed.coef * factors[1]
        resampled = x[rows]
        cuts_c = _intercepts(resampled, coef_c, y_c[rows], 3, partial, r.classes.intercepts)
        cuts_p = _intercepts(resampled, coef_p, y_p[rows], 2, [], r.passed.intercepts)
        on_orig = _probabilities(cuts_c, coef_c, cuts_p, coef_p, x, partial)
        on_boot = {q: v[rows] for q, v in on_orig.items()}
        for q in OUTCOMES:
            mine = metrics.point_figures(on_boot[q], observed[q][rows], knots)
            theirs = metrics.point_figures(on_orig[q], observed[q], knots)
            for figure in metrics.FIGURES:
                totals[q][figure].append(mine[figure] - theirs[figure])
            draws[q].append(mine["ici"])
    optimism = {q: {f: float(np.mean(v)) for f, v in figs.items()} for q, figs in totals.items()}
    return optimism, draws


def _corrected(
    apparent: dict[str, metrics.Estimate], optimism: dict[str, float]
) -> dict[str, metrics.Estimate]:
    return {
        k: metrics.Estimate(e.value - optimism[k], e.low - optimism[k], e.high - optimism[k])
        for k, e in apparent.items()
    }


def _version(fingerprint: str, fitted_at: datetime, submodels: dict[str, Submodel]) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    for sub in submodels.values():
        digest.update(np.asarray(sub.intercepts + sub.coef).tobytes())
    return f"risk-{fitted_at:%Y%m%dT%H%M%SZ}-{digest.hexdigest()[:8]}"


def _partial_columns(terms: list[Term]) -> list[int]:
    """Design columns of the predictors with partial proportional odds (knowledge/prediction)."""
    wanted = set(settings().model.partial_proportional_odds)
    columns: list[int] = []
    start = 0
    for term in terms:
        if term.name in wanted:
            columns.extend(range(start, start + term.width()))
        start += term.width()
    return columns


def _design(data: Table) -> tuple[list[Term], list[Coding], dict[str, float]]:
    terms, codings, typical = [], [], {}
    for spec in predictor_specs():
        values = data.values[spec.name]
        term = choose_term(spec, values)
        if term is None:
            continue
        terms.append(term)
        codings.append(make_coding(spec, values))
        typical[spec.name] = _typical(spec.kind, values)
    return terms, codings, typical


def fit_table(
    table: Table,
    bootstrap: int | None = None,
    imputations: int | None = None,
    seed: int = 25,
    progress: Progress = _quiet,
) -> Model:
    """Fit, validate and return the model for a parsed table (see the module docstring)."""
    rules = settings()
    found = outcomes(table)
    rows = np.flatnonzero(found.known)
    data = table.subset(rows)
    y_c, y_p = found.classes[rows], found.passed[rows]
    terms, codings, typical = _design(data)
    width = sum(t.width() for t in terms)
    partial = _partial_columns(terms)
    size = _check_size(rows.size, width + len(partial), y_c, y_p)
    rng = np.random.default_rng(seed)
    resamples = rules.validation.bootstrap if bootstrap is None else bootstrap
    incomplete = any(np.isnan(data.values[c.name]).any() for c in codings)
    count = (
        (rules.imputation.imputations if imputations is None else imputations) if incomplete else 1
    )
    extra = np.column_stack([y_c == 2, y_c == 0, y_p]).astype(np.float64)
    progress(f"imputing {count} completed tables")
    completed = [
        impute_chain(
            codings, data.values, extra, rules.imputation.iterations, rules.imputation.donors, rng
        )
        for _ in range(count)
    ]
    raw = [design_matrix(terms, c) for c in completed]
    center = raw[0].mean(axis=0)
    scale = raw[0].std(axis=0)
    scale[scale == 0] = 1.0
    xs = [(r - center) / scale for r in raw]
    progress("choosing the penalty")
    grid = rules.shrinkage.penalty_grid
    # The penalty is chosen on the proportional-odds model: with the partial-odds columns in,
    # the AIC traded the whole penalty away to let those few coefficients through.
    chosen = choose_penalty(xs[0], y_c, 3, grid).penalty
    first_c = fit_cumulative(xs[0], y_c, 3, chosen, partial=xs[0][:, partial] if partial else None)
    first_p = choose_penalty(xs[0], y_p, 2, grid)
    fits_c = [first_c] + [
        fit_cumulative(
            x, y_c, 3, first_c.penalty, first_c.theta, partial=x[:, partial] if partial else None
        )
        for x in xs[1:]
    ]
    fits_p = [first_p] + [fit_cumulative(x, y_p, 2, first_p.penalty, first_p.theta) for x in xs[1:]]
    progress(f"bootstrap: {resamples} resamples")
    replicates = _replicates(xs, y_c, y_p, (fits_c, fits_p), resamples, rng, progress, partial)
    factors = shrinkage_factors(replicates, xs, y_c, y_p, partial) if replicates else (1.0, 1.0)
    submodels = {
        "classes": shrunk(
            _pool(fits_c, "classes", CLASSES, width), factors[0], xs, y_c, 3, partial
        ),
        "pass": shrunk(
            _pool(fits_p, "pass", ("not_pass", "pass"), width), factors[1], xs, y_p, 2, []
        ),
    }
    fitted_at = datetime.now(UTC).replace(microsecond=0)
    missing = {c.name: float(np.mean(np.isnan(data.values[c.name]))) for c in codings}
    model = Model(
        version_id=_version(table.fingerprint(), fitted_at, submodels),
        fitted_at=fitted_at.isoformat(),
        data_fingerprint=table.fingerprint(),
        knowledge_version=rules_version(),
        settings={
            "imputations": count,
            "bootstrap": resamples,
            "bootstrap_used": len(replicates),
            "penalty_grid": list(grid),
            "seed": seed,
            "model": "proportional odds (logit) for the classes; logistic for pass",
        },
        rows=len(table),
        patients_with_outcome=int(rows.size),
        lost_to_followup=len(table) - int(rows.size),
        class_shares={name: float(np.mean(y_c == k)) for k, name in enumerate(CLASSES)}
        | {"pass": float(np.mean(y_p))},
        missing_shares=missing,
        predictors=[t.name for t in terms],
        terms=terms,
        center=center.tolist(),
        scale=scale.tolist(),
        partial_columns=partial,
        typical=typical,
        submodels=submodels,
        codings=codings,
        conditionals=[conditionals(codings, c) for c in completed],
        sample_size=SampleSizeRecord(
            parameters=size.parameters,
            available=size.available,
            minimum=size.minimum,
            criteria=[
                {
                    "outcome": c.outcome,
                    "criterion": c.name,
                    "minimum": c.minimum,
                    "detail": c.detail,
                }
                for c in size.criteria
            ],
        ),
        validation={},
    )
    progress("validating")
    validation = _validation(model, xs, data, y_c, y_p, replicates, factors, rng)
    return model.model_copy(update={"validation": validation})


def _validation(
    model: Model,
    xs: list[Array],
    data: Table,
    y_c: Array,
    y_p: Array,
    replicates: list[_Replicate],
    factors: tuple[float, float],
    rng: np.random.Generator,
) -> dict[str, OutcomeValidation]:
    rules = settings().validation
    evaluated = [evaluate(model, x) for x in xs]
    predicted = {
        "improved": np.mean([e.classes[:, 2] for e in evaluated], axis=0),
        "worsened": np.mean([e.classes[:, 0] for e in evaluated], axis=0),
        "pass": np.mean([e.passed for e in evaluated], axis=0),
    }
    observed = {"improved": (y_c == 2) * 1, "worsened": (y_c == 0) * 1, "pass": y_p}
    optimism, draws = _optimism(replicates, xs, y_c, y_p, factors, model.partial_columns)
    seed = int(rng.integers(0, 2**31))
    validation = {}
    for q in OUTCOMES:
        p, y = predicted[q], observed[q]
        apparent = metrics.figures(
            p, y, rules.calibration_knots, rules.ici_bootstrap, seed, draws[q]
        )
        validation[q] = OutcomeValidation(
            apparent=_figure_set(y.size, apparent),
            optimism=optimism[q],
            corrected=_figure_set(y.size, _corrected(apparent, optimism[q])),
            calibration_curve=metrics.curve_points(
                p, y, rules.calibration_knots, rules.calibration_points
            ),
            decision_curve=metrics.decision_curve(p, y, rules.decision_thresholds),
            subgroups=subgroups(p, y, data.values),
        )
    return validation


def summary(model: Model) -> dict[str, Any]:
    """The stored figures in the shape `validate` prints (optimism-corrected)."""
    return {q: {"n": v.corrected.n, **v.corrected.figures} for q, v in model.validation.items()}
