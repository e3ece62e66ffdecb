"""Penalised maximum likelihood for cumulative-logit models, written out because no installed
library fits what is needed: statsmodels' OrderedModel has no penalty (and defaults to probit),
scikit-learn is not a dependency and penalises by default without saying how much.

One routine serves both outcomes: with K ordered classes, P(Y >= k) = expit(a_k + x'b) for
k = 1 .. K - 1, so K = 2 is ordinary logistic regression (pass) and K = 3 the proportional-odds
model (worsened < unchanged < improved). Newton-Raphson on the exact Hessian, step halving, a ridge
penalty on b only (the design columns are standardised first, so one penalty fits all)."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from spinetrack.prediction.arrays import Array

_MAX_STEPS = 60
_FIXED_STEPS = 20
"""Steps on a fixed curvature before the exact Hessian takes over (a resample whose curvature
is far from the full table's would otherwise crawl)."""
_TOLERANCE = 1e-9
_TINY = 1e-12
"""Floor of a likelihood term: where cumulative probabilities would cross (a partial-odds fit
far outside the data) the term stays finite and the step halving steers away from it."""


@dataclass(frozen=True)
class Fit:
    intercepts: Array
    """a_1 .. a_{K-1} (decreasing)."""
    coef: Array
    covariance: Array
    """Bayesian covariance (information plus penalty, inverted) of (intercepts, coef)."""
    loglik: float
    null_loglik: float
    edf: float
    """Effective degrees of freedom: trace(information x covariance)."""
    penalty: float
    curvature: Array
    """Information plus penalty at the estimate (the penalised objective's negative Hessian);
    empty when the fit did not compute it."""

    @property
    def theta(self) -> Array:
        return np.concatenate([self.intercepts, self.coef])


def expit(z: Array) -> Array:
    """The logistic function from numpy's exp: several times quicker than scipy's ufunc on
    the arrays a fit passes over (exact to rounding; the clip only avoids an overflow warning
    where the answer is 0 or 1 anyway)."""
    e = np.exp(-np.clip(z, -700.0, 700.0))
    e += 1.0
    out: Array = np.reciprocal(e, out=e)
    return out


def softplus(z: Array) -> Array:
    """log(1 + exp(z)) without overflow, the binary log-likelihood's normaliser."""
    out: Array = np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0.0)
    return out


def _parts(z: Array) -> tuple[Array, Array, Array]:
    """expit, its derivative and its second derivative at z."""
    big_f = expit(z)
    small_f = big_f * (1.0 - big_f)
    return big_f, small_f, small_f * (1.0 - 2.0 * big_f)


@dataclass(frozen=True)
class _Derivatives:
    loglik: float
    grad: Array
    hess: Array
    """Hessian of the log-likelihood (negative definite)."""


_NO_HESSIAN = np.zeros((0, 0))


def _logistic(
    theta: Array, x: Array, y: Array, offset: Array | None, curvature: bool = True
) -> _Derivatives:
    """The binary case in closed form (the common one: pass and every calibration model)."""
    eta = theta[0] + (x @ theta[1:] if x.shape[1] else 0.0)
    if offset is not None:
        eta = eta + offset
    p = expit(eta)
    residual = y - p
    size = 1 + x.shape[1]
    grad = np.empty(size)
    grad[0] = residual.sum()
    if size > 1:
        grad[1:] = x.T @ residual
    loglik = float(y @ eta - np.sum(softplus(eta)))
    if not curvature:
        return _Derivatives(loglik, grad, _NO_HESSIAN)
    weight = p * (1.0 - p)
    hess = np.empty((size, size))
    hess[0, 0] = -weight.sum()
    if size > 1:
        cross = x.T @ weight
        hess[0, 1:] = hess[1:, 0] = -cross
        hess[1:, 1:] = -((x * weight[:, None]).T @ x)
    return _Derivatives(loglik, grad, hess)


def _partial_blocks(
    grad: Array,
    hess: Array,
    x: Array,
    partial: Array,
    gradients: tuple[Array, Array],
    second: tuple[Array, Array, Array],
    first_cut: tuple[Array, Array],
    cut_of: tuple[list[Array], list[Array]],
) -> None:
    """Fill the gradient and Hessian entries of the partial-odds coefficients (in place)."""
    g_lo, g_hi = gradients
    h_ll, h_hh, h_lh = second
    on_lo, on_hi = first_cut
    cut_lo, cut_hi = cut_of
    cuts = len(cut_lo)
    p = x.shape[1]
    part = slice(cuts + p, grad.size)
    grad[part] = partial.T @ (g_lo * on_lo + g_hi * on_hi)
    w_gg = h_ll * on_lo + h_hh * on_hi
    hess[part, part] = (partial * w_gg[:, None]).T @ partial
    w_gb = on_lo * (h_ll + h_lh) + on_hi * (h_hh + h_lh)
    if p:
        hess[part, cuts : cuts + p] = (partial * w_gb[:, None]).T @ x
        hess[cuts : cuts + p, part] = hess[part, cuts : cuts + p].T
    for k in range(cuts):
        weight = on_lo * (h_ll * cut_lo[k] + h_lh * cut_hi[k]) + on_hi * (
            h_hh * cut_hi[k] + h_lh * cut_lo[k]
        )
        hess[k, part] = hess[part, k] = partial.T @ weight


def _derivatives(
    theta: Array,
    x: Array,
    y: Array,
    cuts: int,
    offset: Array | None,
    partial: Array | None = None,
    first_offset: Array | None = None,
    curvature: bool = True,
) -> _Derivatives:
    """Log-likelihood, gradient and (unless ``curvature`` is False) Hessian. ``partial`` (n x q)
    are columns whose coefficients (the last q of theta) act on the first cut only: partial
    proportional odds."""
    if cuts == 1 and partial is None and first_offset is None:
        return _logistic(theta, x, y, offset, curvature)
    q = 0 if partial is None else partial.shape[1]
    p = x.shape[1]
    a, b, g = theta[:cuts], theta[cuts : cuts + p], theta[cuts + p :]
    eta = x @ b if p else np.zeros(y.shape[0])
    if offset is not None:
        eta = eta + offset
    has_lo, has_hi = y >= 1, y <= cuts - 1
    lo_idx, hi_idx = np.clip(y - 1, 0, cuts - 1), np.clip(y, 0, cuts - 1)
    on_lo, on_hi = has_lo & (lo_idx == 0), has_hi & (hi_idx == 0)
    extra = partial @ g if partial is not None else np.zeros(y.shape[0])
    if first_offset is not None:
        extra = extra + first_offset
    idx = (lo_idx, hi_idx, has_lo, has_hi)
    f_lo, d_lo, s_lo = _parts(a[lo_idx] + eta + on_lo * extra)
    f_hi, d_hi, s_hi = _parts(a[hi_idx] + eta + on_hi * extra)
    f_lo, d_lo, s_lo = np.where(has_lo, f_lo, 1.0), d_lo * has_lo, s_lo * has_lo
    f_hi, d_hi, s_hi = np.where(has_hi, f_hi, 0.0), d_hi * has_hi, s_hi * has_hi
    lik = np.maximum(f_lo - f_hi, _TINY)
    # Where the floor holds, the term is flat: it contributes no gradient and no curvature.
    inside = (f_lo - f_hi) > _TINY
    d_lo, d_hi, s_lo, s_hi = d_lo * inside, d_hi * inside, s_lo * inside, s_hi * inside
    g_lo, g_hi = d_lo / lik, -d_hi / lik
    loglik = float(np.sum(np.log(lik)))
    if not curvature:
        return _Derivatives(loglik, _gradient(x, partial, cuts, (g_lo, g_hi), idx), _NO_HESSIAN)
    h_ll = s_lo / lik - g_lo**2
    h_hh = -s_hi / lik - g_hi**2
    h_lh = -g_lo * g_hi
    size = cuts + p + q
    grad = np.zeros(size)
    hess = np.zeros((size, size))
    grad[:cuts] = np.bincount(lo_idx, g_lo * has_lo, cuts) + np.bincount(
        hi_idx, g_hi * has_hi, cuts
    )
    aa_lo = np.bincount(lo_idx, h_ll * has_lo, cuts)
    aa_hi = np.bincount(hi_idx, h_hh * has_hi, cuts)
    hess[:cuts, :cuts] = np.diag(aa_lo + aa_hi)
    both = has_lo & has_hi
    for k in range(cuts - 1):
        value = float(np.sum(h_lh[both & (lo_idx == k)]))
        hess[k, k + 1] = hess[k + 1, k] = value
    # d(z_lo)/d(cut k) and d(z_hi)/d(cut k) indicators, for the cut-by-column blocks.
    cut_lo = [has_lo & (lo_idx == k) for k in range(cuts)]
    cut_hi = [has_hi & (hi_idx == k) for k in range(cuts)]
    if p:
        grad[cuts : cuts + p] = x.T @ (g_lo + g_hi)
        w = h_ll + 2.0 * h_lh + h_hh
        hess[cuts : cuts + p, cuts : cuts + p] = (x * w[:, None]).T @ x
        for k in range(cuts):
            weight = cut_lo[k] * (h_ll + h_lh) + cut_hi[k] * (h_hh + h_lh)
            hess[k, cuts : cuts + p] = hess[cuts : cuts + p, k] = x.T @ weight
    if partial is not None:
        _partial_blocks(
            grad,
            hess,
            x,
            partial,
            (g_lo, g_hi),
            (h_ll, h_hh, h_lh),
            (on_lo, on_hi),
            (cut_lo, cut_hi),
        )
    return _Derivatives(loglik, grad, hess)


def _gradient(
    x: Array,
    partial: Array | None,
    cuts: int,
    gradients: tuple[Array, Array],
    idx: tuple[Array, Array, Array, Array],
) -> Array:
    """The cumulative model's gradient alone (a refit on a fixed curvature needs no more)."""
    g_lo, g_hi = gradients
    lo_idx, hi_idx, has_lo, has_hi = idx
    p, q = x.shape[1], 0 if partial is None else partial.shape[1]
    grad = np.empty(cuts + p + q)
    grad[:cuts] = np.bincount(lo_idx, g_lo * has_lo, cuts) + np.bincount(
        hi_idx, g_hi * has_hi, cuts
    )
    if p:
        grad[cuts : cuts + p] = x.T @ (g_lo + g_hi)
    if partial is not None:
        on_lo, on_hi = has_lo & (lo_idx == 0), has_hi & (hi_idx == 0)
        grad[cuts + p :] = partial.T @ (g_lo * on_lo + g_hi * on_hi)
    return grad


def null_loglik(y: Array, classes: int) -> float:
    counts = np.bincount(y, minlength=classes).astype(np.float64)
    counts = counts[counts > 0]
    return float(np.sum(counts * np.log(counts / counts.sum())))


def _start(y: Array, classes: int, p: int) -> Array:
    counts = np.bincount(y, minlength=classes).astype(np.float64) + 0.5
    at_least = np.cumsum(counts[::-1])[::-1][1:] / counts.sum()
    return np.concatenate([np.log(at_least / (1.0 - at_least)), np.zeros(p)])


def fit_cumulative(
    x: Array,
    y: Array,
    classes: int,
    penalty: float = 0.0,
    start: Array | None = None,
    offset: Array | None = None,
    tolerance: float = _TOLERANCE,
    covariance: bool = True,
    partial: Array | None = None,
    first_offset: Array | None = None,
    curvature: Array | None = None,
) -> Fit:
    """Maximise log-likelihood - penalty/2 * |b|^2 for y in 0 .. classes - 1. A bootstrap refit
    passes a looser ``tolerance`` and ``covariance=False`` (it needs the estimates only), and may
    pass ``curvature``: the full table's information plus penalty, used as a fixed Hessian. A
    resample's curvature differs from it by O(1/sqrt(n)), so each fixed step still gains about
    one digit, and a step needs only the gradient: no p x p cross-product over the rows, most of
    a Newton step's cost. Should a fixed step fail to improve the objective, or stall, the
    exact Hessian takes over."""
    cuts = classes - 1
    p = x.shape[1] + (0 if partial is None else partial.shape[1])
    ridge = np.zeros(cuts + p)
    ridge[cuts:] = penalty
    theta = _start(y, classes, p) if start is None else start.copy()
    state = _Search(
        lambda at, exact: _derivatives(at, x, y, cuts, offset, partial, first_offset, exact),
        ridge,
        curvature if curvature is not None and not covariance else None,
    )
    theta, current = state.run(theta, tolerance)
    if current.hess.size == 0:
        information = np.zeros((cuts + p, cuts + p))
        inverse, edf, curv = information, float("nan"), _NO_HESSIAN
    else:
        information = -current.hess
        curv = information + np.diag(ridge)
        if covariance:
            inverse = np.linalg.pinv(curv)
            edf = float(np.trace(information @ inverse))
        else:
            inverse, edf = np.zeros_like(information), float("nan")
    return Fit(
        intercepts=theta[:cuts],
        coef=theta[cuts:],
        covariance=inverse,
        loglik=current.loglik,
        null_loglik=null_loglik(y, classes),
        edf=edf,
        penalty=penalty,
        curvature=curv,
    )


class _Search:
    """Newton-Raphson with step halving on the penalised log-likelihood; on a fixed curvature
    (gradient-only passes) until that stops paying, then on the exact Hessian."""

    def __init__(
        self,
        derivatives: Callable[[Array, bool], _Derivatives],
        ridge: Array,
        curvature: Array | None,
    ) -> None:
        self.derivatives = derivatives
        self.ridge = ridge
        self.curvature = curvature

    def _objective(self, theta: Array, found: _Derivatives) -> float:
        return found.loglik - 0.5 * float(theta @ (self.ridge * theta))

    def _step(self, theta: Array, current: _Derivatives) -> Array:
        grad: Array = current.grad - self.ridge * theta
        if self.curvature is not None:
            neg_hess = self.curvature
        else:
            neg_hess = -current.hess + np.diag(self.ridge)
        try:
            step: Array = np.linalg.solve(neg_hess, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(neg_hess, grad, rcond=None)[0]
        return step

    def _exact(self, theta: Array) -> _Derivatives:
        self.curvature = None
        return self.derivatives(theta, True)

    def run(self, theta: Array, tolerance: float) -> tuple[Array, _Derivatives]:
        current = self.derivatives(theta, self.curvature is None)
        objective = self._objective(theta, current)
        for iteration in range(_MAX_STEPS):
            if self.curvature is not None and iteration >= _FIXED_STEPS:
                current = self._exact(theta)
            step = self._step(theta, current)
            if np.max(np.abs(step), initial=0.0) < tolerance:
                # Newton converges fast: a step this small changes nothing a caller reads, so
                # it is taken without another pass over the rows (the costly part of a refit).
                return theta + step, current
            size = 1.0
            while True:
                trial = theta + size * step
                candidate = self.derivatives(trial, self.curvature is None)
                value = self._objective(trial, candidate)
                if value >= objective - 1e-12 or size < 1e-6 or self.curvature is not None:
                    break
                size /= 2.0
            if value < objective - 1e-12:
                if self.curvature is not None:
                    current = self._exact(theta)  # the fixed curvature overshot
                    continue
                break  # no step improves the objective: this is the maximum we can reach
            gain = value - objective
            theta, current, objective = trial, candidate, value
            if np.max(np.abs(size * step)) < tolerance or abs(gain) < tolerance * 1e-3:
                break
        return theta, current


def choose_penalty(
    x: Array,
    y: Array,
    classes: int,
    grid: tuple[float, ...],
    partial: Array | None = None,
) -> Fit:
    """The fit whose penalty maximises Harrell's corrected AIC: LR chi-square - 2 x effective d.f."""
    best: Fit | None = None
    best_aic = -np.inf
    start: Array | None = None
    for penalty in sorted(grid, reverse=True):
        fit = fit_cumulative(x, y, classes, penalty, start, partial=partial)
        start = fit.theta
        aic = 2.0 * (fit.loglik - fit.null_loglik) - 2.0 * fit.edf
        if aic > best_aic:
            best, best_aic = fit, aic
    assert best is not None
    return best


def class_probabilities(intercepts: Array, eta: Array, first_cut: Array | None = None) -> Array:
    """P(Y = k) for each row (columns 0 .. K - 1) from the cumulative model; ``first_cut`` adds
    the partial-proportional-odds term to the first cumulative logit. Where the cumulative
    probabilities would cross (far outside the data) the middle class is 0, never negative."""
    at_least = expit(intercepts[None, :] + eta[:, None])
    if first_cut is not None:
        at_least[:, 0] = np.maximum(expit(intercepts[0] + eta + first_cut), at_least[:, 1])
    n = eta.shape[0]
    upper = np.concatenate([np.ones((n, 1)), at_least], axis=1)
    lower = np.concatenate([at_least, np.zeros((n, 1))], axis=1)
    probabilities: Array = np.clip(upper - lower, 0.0, 1.0)
    return probabilities
