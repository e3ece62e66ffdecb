"""From predictor values to the model's design matrix: restricted cubic splines for the continuous
predictors that may bend, linear terms, 0/1 flags and category dummies (rare levels pooled into the
reference). The layout is chosen once, on the fitting table, and stored in the model file so a
prediction builds exactly the same columns."""

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict

from spinetrack.prediction.arrays import Array
from spinetrack.prediction.settings import PredictorSpec, settings


class Term(BaseModel):
    """One predictor's columns in the design."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str
    """``spline``, ``linear`` or ``levels`` (flags and categories: one 0/1 column per kept level)."""
    log: bool = False
    knots: tuple[float, ...] = ()
    levels: tuple[int, ...] = ()
    """Level codes with a column of their own; every other level is the reference."""
    level_names: tuple[str, ...] = ()
    reference: str = ""

    def columns(self) -> list[str]:
        if self.kind == "spline":
            return [self.name] + [self.name + "'" * (j + 1) for j in range(len(self.knots) - 2)]
        if self.kind == "linear":
            return [self.name]
        return [f"{self.name}={self.level_names[code]}" for code in self.levels]

    def width(self) -> int:
        return len(self.columns())


def transformed(values: Array, log: bool) -> Array:
    return np.log1p(values) if log else values


def rcs_basis(x: Array, knots: tuple[float, ...]) -> Array:
    """Restricted cubic spline basis (Harrell's parameterisation): x and k - 2 cubic terms,
    linear beyond the outer knots, scaled by the squared knot range."""
    t = np.asarray(knots, dtype=np.float64)
    k = len(t)
    scale = (t[-1] - t[0]) ** 2
    out = np.empty((x.shape[0], k - 1))
    out[:, 0] = x
    last = np.maximum(x - t[-1], 0.0) ** 3
    before = np.maximum(x - t[-2], 0.0) ** 3
    span = t[-1] - t[-2]
    for j in range(k - 2):
        term = np.maximum(x - t[j], 0.0) ** 3
        term -= before * (t[-1] - t[j]) / span
        term += last * (t[-2] - t[j]) / span
        out[:, j + 1] = term / scale
    return out


def _knots(observed: Array, count: int) -> tuple[float, ...]:
    """Knots at Harrell's quantiles, fewer when the values are too few to tell them apart."""
    quantiles = settings().splines.quantiles
    while count >= 3:
        knots = np.unique(np.quantile(observed, quantiles[count]))
        if len(knots) == count:
            return tuple(float(v) for v in knots)
        count -= 1
    return ()


def choose_term(spec: PredictorSpec, observed: Array) -> Term | None:
    """The term of one predictor from its observed values in the fitting table; None when the
    predictor never varies (it can tell nothing)."""
    observed = observed[~np.isnan(observed)]
    if observed.size == 0 or np.unique(observed).size < 2:
        return None
    if spec.kind in ("number", "whole"):
        x = transformed(observed, spec.log)
        knots = _knots(x, spec.knots) if spec.knots else ()
        kind = "spline" if knots else "linear"
        return Term(name=spec.name, kind=kind, log=spec.log, knots=knots)
    names = spec.level_names()
    counts = np.bincount(observed.astype(np.int64), minlength=len(names))
    reference = int(np.argmax(counts)) if spec.kind == "category" else 0
    least = settings().categories.min_patients_per_level
    kept = tuple(code for code in range(len(names)) if code != reference and counts[code] >= least)
    if spec.kind == "flag" and counts[1] > 0:
        kept = (1,)
    if not kept:
        return None
    return Term(
        name=spec.name, kind="levels", levels=kept, level_names=names, reference=names[reference]
    )


def term_columns(term: Term, values: Array) -> Array:
    """The design columns of one term for complete values."""
    if term.kind == "spline":
        return rcs_basis(transformed(values, term.log), term.knots)
    if term.kind == "linear":
        return transformed(values, term.log)[:, None]
    return np.stack([(values == code).astype(np.float64) for code in term.levels], axis=1)


def design_matrix(terms: list[Term], values: Mapping[str, Array]) -> Array:
    """The unstandardised design (no intercept) for complete values, one row per patient."""
    blocks = [term_columns(term, values[term.name]) for term in terms]
    return np.concatenate(blocks, axis=1)


def term_slices(terms: list[Term]) -> dict[str, slice]:
    """Which design columns belong to which predictor."""
    slices: dict[str, slice] = {}
    start = 0
    for term in terms:
        slices[term.name] = slice(start, start + term.width())
        start += term.width()
    return slices
