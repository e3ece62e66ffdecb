"""Predictions from a model file: the three class probabilities and pass, each 95 % interval from
the pooled covariance, widened by Rubin's rules over the imputations of whatever predictors a
patient lacks, and (on request) how much each predictor moved this patient's estimate.

Rows are handled in chunks so a million-row table runs in flat memory; rows without a missing
predictor are computed once, rows with one go through every imputation."""

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.special import expit  # type: ignore[import-untyped]
from scipy.stats import t as student_t  # type: ignore[import-untyped]

from spinetrack.prediction.arrays import Array
from spinetrack.prediction.design import design_matrix, term_columns, term_slices
from spinetrack.prediction.fitting import class_probabilities
from spinetrack.prediction.imputation import impute_draws
from spinetrack.prediction.metrics import Z95
from spinetrack.prediction.model import Model
from spinetrack.prediction.settings import settings
from spinetrack.prediction.table import Table

CHUNK = 100_000
OUTPUT_COLUMNS = (
    "patient_id",
    "p_improved",
    "p_improved_low",
    "p_improved_high",
    "p_unchanged",
    "p_worsened",
    "p_pass",
)
QUANTITIES = ("improved", "worsened", "pass")


@dataclass
class Predictions:
    """One entry per input row, in input order. ``low``/``high`` hold each quantity's 95 %
    interval; ``contributions[outcome][predictor]`` is how much that predictor, at this patient's
    value rather than a typical one, moved the probability (a difference of probabilities)."""

    patient_id: list[str]
    improved: Array
    unchanged: Array
    worsened: Array
    passed: Array
    low: dict[str, Array]
    high: dict[str, Array]
    missing: Array
    """How many of the model's predictors each row lacked (imputed)."""
    model_version: str
    contributions: dict[str, dict[str, Array]] = field(default_factory=dict)

    def frame(self) -> pl.DataFrame:
        """The contract's columns, probabilities rounded to 4 decimals."""
        return pl.DataFrame(
            {
                "patient_id": self.patient_id,
                "p_improved": self.improved,
                "p_improved_low": self.low["improved"],
                "p_improved_high": self.high["improved"],
                "p_unchanged": self.unchanged,
                "p_worsened": self.worsened,
                "p_pass": self.passed,
            }
        ).with_columns(pl.exclude("patient_id").round(4))


def standardised(model: Model, values: dict[str, Array]) -> Array:
    raw = design_matrix(model.terms, values)
    scaled: Array = (raw - np.asarray(model.center)) / np.asarray(model.scale)
    return scaled


@dataclass(frozen=True)
class Evaluated:
    """Per row: class probabilities, pass probability, and each quantity's logit and variance."""

    classes: Array
    passed: Array
    logit: dict[str, Array]
    variance: dict[str, Array]


def _quadratic(x: Array, cov: Array) -> Array:
    product: Array = np.einsum("ij,ij->i", x @ cov, x)
    return product


def linear_weights(model: Model) -> Array:
    """The three linear predictors' coefficients as columns (p x 3): the classes' shared one,
    the partial-odds term of the first cut (zero off its columns) and pass's."""
    cls, pas = model.submodels["classes"], model.submodels["pass"]
    weights = np.zeros((len(cls.coef), 3))
    weights[:, 0] = cls.coef
    weights[model.partial_columns, 1] = cls.partial
    weights[:, 2] = pas.coef
    return weights


def evaluate(
    model: Model, x: Array, variance: bool = True, linear: Array | None = None
) -> Evaluated:
    """Probabilities and logit variances for standardised design rows ``x``.

    Improved is the top cumulative logit (a2 + x'b), worsened minus the first one
    (-(a1 + x'b + z'g), z the partial-proportional-odds columns), pass its own logit; each is
    linear in the coefficients, so its variance is a quadratic form in the pooled covariance.
    ``linear`` (n x 3, ``x @ linear_weights(model)``) may be passed when already known."""
    cls, pas = model.submodels["classes"], model.submodels["pass"]
    cov_c, cov_p = np.asarray(cls.covariance), np.asarray(pas.covariance)
    p = x.shape[1]
    partial = model.partial_columns
    z = x[:, partial]
    if linear is None:
        linear = x @ linear_weights(model)
    eta_c, first, eta_p = linear[:, 0], linear[:, 1], linear[:, 2]
    cuts_c, cuts_p = np.asarray(cls.intercepts), np.asarray(pas.intercepts)
    if variance:
        quad_imp = _quadratic(x, cov_c[2 : 2 + p, 2 : 2 + p])
        xz = np.concatenate([x, z], axis=1) if partial else x
        quad_wor = _quadratic(xz, cov_c[2:, 2:]) if partial else quad_imp
        quad_p = _quadratic(x, cov_p[1:, 1:])
        var_imp = cov_c[1, 1] + 2.0 * x @ cov_c[1, 2 : 2 + p] + quad_imp
        var_wor = cov_c[0, 0] + 2.0 * xz @ cov_c[0, 2:] + quad_wor
        var_p = cov_p[0, 0] + 2.0 * x @ cov_p[0, 1:] + quad_p
    else:
        quad_imp = quad_wor = var_imp = var_wor = var_p = np.zeros(0)
    recal = model.recalibration
    if "classes" in recal:
        r = recal["classes"]
        eta_c, first, cuts_c = r.slope * eta_c, r.partial_slope * first, np.asarray(r.intercepts)
        if variance:
            var_imp = r.intercept_variance[1] + r.slope**2 * quad_imp
            var_wor = r.intercept_variance[0] + r.slope**2 * quad_wor
    if "pass" in recal:
        r = recal["pass"]
        # logit P(pass) = c + slope x (the model's own logit, intercept included)
        eta_p = r.slope * (cuts_p[0] + eta_p)
        cuts_p = np.asarray(r.intercepts)
        if variance:
            var_p = r.intercept_variance[0] + r.slope**2 * var_p
    probs = class_probabilities(cuts_c, eta_c, first)
    logit_pass = cuts_p[0] + eta_p
    return Evaluated(
        classes=probs,
        passed=np.asarray(expit(logit_pass)),
        logit={
            "improved": cuts_c[1] + eta_c,
            "worsened": -(cuts_c[0] + eta_c + first),
            "pass": logit_pass,
        },
        variance={"improved": var_imp, "worsened": var_wor, "pass": var_p},
    )


def _rubin(logits: Array, variances: Array) -> tuple[Array, Array]:
    """Rubin's rules on the logit scale: the 95 % interval of the pooled estimate."""
    m = logits.shape[0]
    mean = logits.mean(axis=0)
    within = variances.mean(axis=0)
    if m == 1:
        half = Z95 * np.sqrt(np.maximum(within, 0.0))
        return expit(mean - half), expit(mean + half)
    between = logits.var(axis=0, ddof=1)
    inflated = (1.0 + 1.0 / m) * between
    total = within + inflated
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(inflated > 0, within / inflated, np.inf)
        dof = (m - 1) * (1.0 + ratio) ** 2
    # Degrees of freedom rounded (and capped at 1000, where t is normal to 3 decimals) so the
    # quantile is computed once per distinct value, not once per row.
    rounded = np.where(np.isfinite(dof), np.clip(np.round(dof), 1, 1000), 1000).astype(np.int64)
    distinct, index = np.unique(rounded, return_inverse=True)
    quantile = student_t.ppf(0.975, distinct)[index]
    half = quantile * np.sqrt(np.maximum(total, 0.0))
    return expit(mean - half), expit(mean + half)


def _contributions(
    model: Model, completed: dict[str, Array], evaluated: Evaluated
) -> dict[str, dict[str, Array]]:
    """For each predictor: the probability minus the probability had this predictor been typical."""
    out: dict[str, dict[str, Array]] = {q: {} for q in QUANTITIES}
    scale = np.asarray(model.scale)
    coef_c = np.asarray(model.submodels["classes"].coef)
    coef_p = np.asarray(model.submodels["pass"].coef)
    gamma = np.zeros(coef_c.size)
    gamma[model.partial_columns] = model.submodels["classes"].partial
    partial_slope = (
        model.recalibration["classes"].partial_slope if "classes" in model.recalibration else 1.0
    )
    start = 0
    n = next(iter(completed.values())).shape[0]
    for term in model.terms:
        width = term.width()
        cols = slice(start, start + width)
        start += width
        mine = term_columns(term, completed[term.name])
        typical = term_columns(term, np.full(n, model.typical[term.name]))
        delta = (mine - typical) / scale[cols]
        # The shift is exact on the linear predictor: no design needs rebuilding.
        shift_c, shift_p = delta @ coef_c[cols], delta @ coef_p[cols]
        shift_w = _slope(model, "classes") * shift_c + partial_slope * (delta @ gamma[cols])
        base_logits = evaluated.logit
        out["improved"][term.name] = evaluated.classes[:, 2] - expit(
            base_logits["improved"] - _slope(model, "classes") * shift_c
        )
        out["worsened"][term.name] = evaluated.classes[:, 0] - expit(
            base_logits["worsened"] + shift_w
        )
        out["pass"][term.name] = evaluated.passed - expit(
            base_logits["pass"] - _slope(model, "pass") * shift_p
        )
    return out


def _slope(model: Model, outcome: str) -> float:
    recal = model.recalibration.get(outcome)
    return 1.0 if recal is None else recal.slope


@dataclass
class _Chunk:
    probs: Array
    passed: Array
    low: dict[str, Array]
    high: dict[str, Array]
    contributions: dict[str, dict[str, Array]]


def _evaluate_draws(
    model: Model, draws: list[dict[str, Array]], imputed: set[str]
) -> list[Evaluated]:
    """Each completed draw evaluated. The first is built whole, with its variances; the others
    differ from it only in the ``imputed`` predictors' columns, so their linear predictors are
    the first's plus the change in those columns (no design matrix rebuilt per draw)."""
    x = standardised(model, draws[0])
    weights = linear_weights(model)
    base = x @ weights
    results = [evaluate(model, x, variance=True, linear=base)]
    center, scale = np.asarray(model.center), np.asarray(model.scale)
    changed = [t for t in model.terms if t.name in imputed]
    slices = term_slices(model.terms)
    for completed in draws[1:]:
        linear = base.copy()
        for term in changed:
            cols = slices[term.name]
            columns = (term_columns(term, completed[term.name]) - center[cols]) / scale[cols]
            linear += (columns - x[:, cols]) @ weights[cols]
        results.append(evaluate(model, x, variance=False, linear=linear))
    return results


def _pooled(
    model: Model, draws: list[dict[str, Array]], explain: bool, imputed: set[str]
) -> _Chunk:
    """Rows evaluated on each completed draw and pooled: mean probabilities, Rubin's interval."""
    # The within-imputation variance is taken from the first draw (it changes little between
    # draws, and the quadratic forms are most of a prediction's cost); the spread of the draws'
    # logits is the between-imputation part, which is what widens a row with missing predictors.
    results = _evaluate_draws(model, draws, imputed)
    probs = np.mean([r.classes for r in results], axis=0)
    passed = np.mean([r.passed for r in results], axis=0)
    low, high = {}, {}
    for quantity in QUANTITIES:
        logits = np.stack([r.logit[quantity] for r in results])
        variances = np.broadcast_to(results[0].variance[quantity], logits.shape)
        low[quantity], high[quantity] = _rubin(logits, variances)
    point = {"improved": probs[:, 2], "worsened": probs[:, 0], "pass": passed}
    for quantity in QUANTITIES:
        low[quantity] = np.minimum(low[quantity], point[quantity])
        high[quantity] = np.maximum(high[quantity], point[quantity])
    contributions: dict[str, dict[str, Array]] = {}
    if explain:
        parts = [_contributions(model, d, r) for d, r in zip(draws, results, strict=True)]
        contributions = {
            q: {name: np.mean([p[q][name] for p in parts], axis=0) for name in parts[0][q]}
            for q in QUANTITIES
        }
    return _Chunk(probs, passed, low, high, contributions)


def _predict_rows(
    model: Model, values: dict[str, Array], rng: np.random.Generator, explain: bool
) -> _Chunk:
    """Complete rows are evaluated once; only the rows that lack a predictor go through the
    imputations (as many draws as the settings ask, cycling over the completed tables' models;
    each draw adds its own residual noise), and the two parts are put back in row order."""
    rules = settings().imputation
    lacking = np.zeros(next(iter(values.values())).shape[0], dtype=bool)
    for coding in model.codings:
        lacking |= np.isnan(values[coding.name])
    if not lacking.any():
        return _pooled(model, [values], explain, set())
    part = {name: column[lacking] for name, column in values.items()}
    imputed = {name for name, column in part.items() if np.isnan(column).any()}
    count = max(rules.imputations, len(model.conditionals))
    draws = impute_draws(
        model.codings, model.conditionals, part, rules.prediction_cycles, count, rng
    )
    filled = _pooled(model, draws, explain, imputed)
    if lacking.all():
        return filled
    whole = _pooled(model, [{k: v[~lacking] for k, v in values.items()}], explain, set())
    return _merge(lacking, filled, whole)


def _merge(lacking: Array, imputed: _Chunk, whole: _Chunk) -> _Chunk:
    def put(a: Array, b: Array) -> Array:
        out = np.empty((lacking.size, *a.shape[1:]), dtype=a.dtype)
        out[lacking], out[~lacking] = a, b
        return out

    return _Chunk(
        probs=put(imputed.probs, whole.probs),
        passed=put(imputed.passed, whole.passed),
        low={q: put(imputed.low[q], whole.low[q]) for q in QUANTITIES},
        high={q: put(imputed.high[q], whole.high[q]) for q in QUANTITIES},
        contributions={
            q: {k: put(v, whole.contributions[q][k]) for k, v in parts.items()}
            for q, parts in imputed.contributions.items()
        },
    )


def predict_table(model: Model, table: Table, explain: bool = False, seed: int = 0) -> Predictions:
    """Predict every row of a parsed table (see spinetrack.prediction.predict for the API)."""
    names = [c.name for c in model.codings]
    n = len(table)
    missing = np.zeros(n, dtype=np.int64)
    for name in names:
        missing += np.isnan(table.values[name])
    rng = np.random.default_rng(seed)
    chunks = []
    for start in range(0, n, CHUNK):
        rows = slice(start, min(n, start + CHUNK))
        chunk_values = {name: table.values[name][rows] for name in names}
        chunks.append(_predict_rows(model, chunk_values, rng, explain))
    probs = np.concatenate([c.probs for c in chunks]) if chunks else np.zeros((0, 3))
    passed = np.concatenate([c.passed for c in chunks]) if chunks else np.zeros(0)

    def joined(part: str, quantity: str) -> Array:
        pieces = [getattr(c, part)[quantity] for c in chunks]
        return np.concatenate(pieces) if pieces else np.zeros(0)

    contributions: dict[str, dict[str, Array]] = {}
    if explain and chunks:
        contributions = {
            q: {
                k: np.concatenate([c.contributions[q][k] for c in chunks])
                for k in chunks[0].contributions[q]
            }
            for q in QUANTITIES
        }
    return Predictions(
        patient_id=table.patient_id,
        improved=probs[:, 2],
        unchanged=probs[:, 1],
        worsened=probs[:, 0],
        passed=passed,
        low={q: joined("low", q) for q in QUANTITIES},
        high={q: joined("high", q) for q in QUANTITIES},
        missing=missing,
        model_version=model.version_id,
        contributions=contributions,
    )
