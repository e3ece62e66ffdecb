"""Missing predictors, never a dropped patient.

Fitting: multiple imputation by chained equations with predictive mean matching. Each incomplete
predictor in turn is regressed (least squares on a numeric coding of every other predictor and of
the outcomes) with a coefficient vector drawn from its posterior; a missing cell takes the observed
value of one of the few patients whose predicted means are nearest (for a category the predicted
means are the vector of level indicators). Every chain gives one completed table.

Predicting: a new patient's outcome is unknown, so the stored conditional models are refitted on
each completed table without the outcomes; missing cells are drawn from them (normal residual for a
number, the predicted level shares for a flag or category) in a few Gibbs cycles, once per
completed table, and Rubin's rules turn the spread of the predictions into a wider interval."""

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

from spinetrack.prediction.arrays import Array
from spinetrack.prediction.settings import PredictorSpec

_RIDGE = 1e-4
_SHARE_FLOOR = 0.005


class Coding(BaseModel):
    """How one predictor enters the imputation models as numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str
    """``number`` (standardised, after log when ``log``), ``flag`` or ``category``."""
    log: bool = False
    whole: bool = False
    mean: float = 0.0
    sd: float = 1.0
    low: float = 0.0
    high: float = 0.0
    levels: tuple[int, ...] = ()
    """Category level codes seen in the fitting table; the first is the reference."""
    shares: tuple[float, ...] = ()
    """Share of each level (flags: false, true) among the observed values."""

    def width(self) -> int:
        return len(self.levels) - 1 if self.kind == "category" else 1

    def target_width(self) -> int:
        return len(self.levels) if self.kind == "category" else 1

    def encode(self, values: Array) -> Array:
        """Predictor columns (n x width)."""
        if self.kind == "number":
            x = np.log1p(values) if self.log else values
            return ((x - self.mean) / self.sd)[:, None]
        if self.kind == "flag":
            return values[:, None]
        return np.stack([(values == code).astype(np.float64) for code in self.levels[1:]], axis=1)

    def target(self, values: Array) -> Array:
        """What the conditional model predicts (n x target_width)."""
        if self.kind == "category":
            return np.stack([(values == code).astype(np.float64) for code in self.levels], axis=1)
        return self.encode(values)

    def decode(self, number: Array) -> Array:
        """A drawn coded number back on the predictor's own scale, inside the observed range."""
        x = number * self.sd + self.mean
        values = np.expm1(x) if self.log else x
        values = np.clip(values, self.low, self.high)
        return np.round(values) if self.whole else values


def make_coding(spec: PredictorSpec, observed: Array) -> Coding:
    seen = observed[~np.isnan(observed)]
    if spec.kind in ("number", "whole"):
        x = np.log1p(seen) if spec.log else seen
        sd = float(np.std(x)) or 1.0
        return Coding(
            name=spec.name,
            kind="number",
            log=spec.log,
            whole=spec.kind == "whole",
            mean=float(np.mean(x)),
            sd=sd,
            low=float(seen.min()),
            high=float(seen.max()),
        )
    counts = np.bincount(seen.astype(np.int64), minlength=len(spec.level_names()))
    if spec.kind == "flag":
        shares = counts / counts.sum()
        return Coding(name=spec.name, kind="flag", levels=(0, 1), shares=tuple(map(float, shares)))
    order = [int(c) for c in np.argsort(-counts, kind="stable") if counts[c] > 0]
    shares = counts[order] / counts.sum()
    return Coding(
        name=spec.name, kind="category", levels=tuple(order), shares=tuple(map(float, shares))
    )


def encode_all(codings: list[Coding], values: Mapping[str, Array]) -> Array:
    return np.concatenate([c.encode(values[c.name]) for c in codings], axis=1)


def _slices(codings: list[Coding]) -> list[slice]:
    out, start = [], 0
    for coding in codings:
        out.append(slice(start, start + coding.width()))
        start += coding.width()
    return out


def _others(matrix: Array, where: slice, extra: Array | None) -> Array:
    n = matrix.shape[0]
    blocks = [np.ones((n, 1)), matrix[:, : where.start], matrix[:, where.stop :]]
    if extra is not None:
        blocks.append(extra)
    return np.concatenate(blocks, axis=1)


def _least_squares(x: Array, y: Array) -> tuple[Array, Array, Array]:
    """Coefficients, the inverse cross-product and the residual variance of each target."""
    # A small ridge keeps collinear codings (region and instrument often coincide) solvable.
    cross = x.T @ x + _RIDGE * x.shape[0] * np.eye(x.shape[1])
    inverse = np.linalg.inv(cross)
    coef = inverse @ (x.T @ y)
    residual = y - x @ coef
    dof = max(x.shape[0] - x.shape[1], 1)
    return coef, inverse, np.sum(residual**2, axis=0) / dof


def _donors(known: Array, wanted: Array, k: int, rng: np.random.Generator) -> Array:
    """For each wanted predicted mean, one of the ``k`` observed rows whose predicted means are
    nearest (index into ``known``). One-dimensional means (numbers and flags, the usual case) are
    matched on a sorted array: the k nearest of a value lie within k places either side of where
    it would be inserted, so a window of 2k candidates per row holds them. A category's vector of
    level shares goes through a k-d tree."""
    if known.shape[1] == 1 and known.shape[0] >= 2 * k:
        order = np.argsort(known[:, 0], kind="stable")
        ranked = known[order, 0]
        query = wanted[:, 0]
        start = np.clip(np.searchsorted(ranked, query) - k, 0, ranked.size - 2 * k)
        window = start[:, None] + np.arange(2 * k)
        distance = np.abs(ranked[window] - query[:, None])
        nearest = np.take_along_axis(window, np.argpartition(distance, k - 1, axis=1)[:, :k], 1)
        nearest = order[nearest]
    else:
        _, nearest = cKDTree(known).query(wanted, k=k)
        nearest = nearest.reshape(wanted.shape[0], k)
    picked: Array = nearest[np.arange(nearest.shape[0]), rng.integers(0, k, nearest.shape[0])]
    return picked


def _initial(coding: Coding, count: int, observed: Array, rng: np.random.Generator) -> Array:
    return rng.choice(observed, size=count) if observed.size else np.zeros(count)


def impute_chain(
    codings: list[Coding],
    values: Mapping[str, Array],
    outcomes: Array,
    iterations: int,
    donors: int,
    rng: np.random.Generator,
) -> dict[str, Array]:
    """One completed copy of ``values`` (predictive mean matching; ``outcomes`` as extra columns)."""
    completed = {c.name: values[c.name].copy() for c in codings}
    missing = {c.name: np.isnan(values[c.name]) for c in codings}
    order = [c for c in codings if missing[c.name].any()]
    for coding in order:
        hole = missing[coding.name]
        completed[coding.name][hole] = _initial(
            coding, int(hole.sum()), values[coding.name][~hole], rng
        )
    slices = dict(zip((c.name for c in codings), _slices(codings), strict=True))
    matrix = encode_all(codings, completed)
    for _ in range(iterations if order else 0):
        for coding in order:
            hole = missing[coding.name]
            x = _others(matrix, slices[coding.name], outcomes)
            target = coding.target(completed[coding.name])
            seen = x[~hole]
            coef, inverse, variance = _least_squares(seen, target[~hole])
            dof = max(seen.shape[0] - x.shape[1], 1)
            sigma = np.sqrt(variance * dof / rng.chisquare(dof, size=variance.shape))
            values_, vectors = np.linalg.eigh((inverse + inverse.T) / 2.0)
            root = vectors * np.sqrt(np.clip(values_, 0.0, None))
            drawn = coef + (root @ rng.standard_normal(coef.shape)) * sigma
            k = min(donors, seen.shape[0])
            pick = _donors(seen @ coef, x[hole] @ drawn, k, rng)
            completed[coding.name][hole] = values[coding.name][~hole][pick]
            matrix[:, slices[coding.name]] = coding.encode(completed[coding.name])
    return completed


class Conditional(BaseModel):
    """One predictor given all others, fitted on one completed table (no outcomes)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    coef: list[list[float]]
    """(1 + other columns) x target width."""
    sd: float


def conditionals(codings: list[Coding], completed: Mapping[str, Array]) -> list[Conditional]:
    matrix = encode_all(codings, completed)
    fitted = []
    for coding, where in zip(codings, _slices(codings), strict=True):
        coef, _, variance = _least_squares(
            _others(matrix, where, None), coding.target(completed[coding.name])
        )
        fitted.append(
            Conditional(name=coding.name, coef=coef.tolist(), sd=float(np.sqrt(variance[0])))
        )
    return fitted


def _draw(coding: Coding, mean: Array, sd: float, rng: np.random.Generator) -> Array:
    if coding.kind == "number":
        return coding.decode(mean[:, 0] + sd * rng.standard_normal(mean.shape[0]))
    if coding.kind == "flag":
        share = np.clip(mean[:, 0], _SHARE_FLOOR, 1.0 - _SHARE_FLOOR)
        return (rng.random(mean.shape[0]) < share).astype(np.float64)
    shares = np.clip(mean, _SHARE_FLOOR, None)
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
    chosen = (rng.random(mean.shape[0])[:, None] > cumulative).sum(axis=1)
    chosen = np.minimum(chosen, len(coding.levels) - 1)
    levels: Array = np.asarray(coding.levels, dtype=np.float64)
    drawn: Array = levels[chosen]
    return drawn


def _marginal(coding: Coding, count: int, rng: np.random.Generator) -> Array:
    if coding.kind == "number":
        return coding.decode(rng.standard_normal(count))
    chosen = rng.choice(len(coding.levels), size=count, p=np.asarray(coding.shares))
    levels: Array = np.asarray(coding.levels, dtype=np.float64)
    drawn: Array = levels[chosen]
    return drawn


def impute_draws(
    codings: list[Coding],
    model_sets: list[list[Conditional]],
    values: Mapping[str, Array],
    cycles: int,
    draws: int,
    rng: np.random.Generator,
) -> list[dict[str, Array]]:
    """``draws`` completed copies of new rows, cycling over the completed tables' models; only
    the rows that lack something are worked on, and their coding is computed once."""
    lacking = np.zeros(next(iter(values.values())).shape[0], dtype=bool)
    for coding in codings:
        lacking |= np.isnan(values[coding.name])
    part = {c.name: values[c.name][lacking] for c in codings}
    start = {
        c.name: np.where(np.isnan(v), _first(c), v)
        for c, v in zip(codings, part.values(), strict=True)
    }
    base = encode_all(codings, start)
    found = []
    for m in range(draws):
        filled = _impute_rows(codings, model_sets[m % len(model_sets)], part, base, cycles, rng)
        completed = {c.name: values[c.name].copy() for c in codings}
        for coding in codings:
            completed[coding.name][lacking] = filled[coding.name]
        found.append(completed)
    return found


def _first(coding: Coding) -> float:
    """A placeholder value before the first draw (replaced before it is used)."""
    return 0.0 if coding.kind != "category" else float(coding.levels[0])


def _impute_rows(
    codings: list[Coding],
    models: list[Conditional],
    values: Mapping[str, Array],
    base: Array,
    cycles: int,
    rng: np.random.Generator,
) -> dict[str, Array]:
    completed = {c.name: values[c.name].copy() for c in codings}
    missing = {c.name: np.isnan(values[c.name]) for c in codings}
    order = [(c, m) for c, m in zip(codings, models, strict=True) if missing[c.name].any()]
    slices = dict(zip((c.name for c in codings), _slices(codings), strict=True))
    # Only the incomplete predictors' columns change between cycles: they are kept apart
    # (``moving``, a few columns) and the rest of each conditional mean is one product with the
    # fixed columns, made once per call.
    moving = np.concatenate(
        [np.arange(slices[c.name].start, slices[c.name].stop) for c, _ in order]
    ).astype(np.int64)
    local, at = {}, 0
    for coding, _ in order:
        local[coding.name] = slice(at, at + coding.width())
        at += coding.width()
    dynamic = base[:, moving]
    for coding, _ in order:
        hole = missing[coding.name]
        completed[coding.name][hole] = _marginal(coding, int(hole.sum()), rng)
        where = local[coding.name]
        dynamic[hole, where.start : where.stop] = coding.encode(completed[coding.name][hole])
    width = base.shape[1]
    fixed_mean, moving_coef = {}, {}
    for coding, model in order:
        # The model's coefficients laid over every column (zero on its own).
        coef = np.asarray(model.coef)
        where = slices[coding.name]
        full = np.zeros((width + 1, coef.shape[1]))
        full[0] = coef[0]
        others = np.r_[np.arange(where.start), np.arange(where.stop, width)]
        full[1 + others] = coef[1:]
        moving_coef[coding.name] = full[1 + moving].copy()
        full[1 + moving] = 0.0
        fixed_mean[coding.name] = full[0] + base @ full[1:]
    for _ in range(cycles if len(order) > 1 else min(cycles, 1)):
        for coding, model in order:
            hole = missing[coding.name]
            mean = (fixed_mean[coding.name] + dynamic @ moving_coef[coding.name])[hole]
            drawn = _draw(coding, mean, model.sd, rng)
            completed[coding.name][hole] = drawn
            where = local[coding.name]
            dynamic[hole, where.start : where.stop] = coding.encode(drawn)
    return completed
