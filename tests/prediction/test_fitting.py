"""The hand-written likelihood agrees with statsmodels where statsmodels can fit the same model
(no penalty, logit link), and its derivatives agree with finite differences."""

import numpy as np
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from spinetrack.prediction.fitting import _derivatives, choose_penalty, fit_cumulative


def _data(n: int = 3000, seed: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5))
    latent = x @ np.array([0.8, -0.5, 0.3, 0.0, 0.2]) + rng.logistic(size=n)
    return x, np.digitize(latent, [-1.0, 0.7])


def test_logistic_regression_matches_statsmodels() -> None:
    x, y = _data()
    binary = (y == 2).astype(np.int64)
    ours = fit_cumulative(x, binary, 2)
    theirs = sm.Logit(binary, sm.add_constant(x)).fit(disp=0)
    assert np.allclose(ours.theta, theirs.params, atol=1e-6)
    assert np.allclose(np.sqrt(np.diag(ours.covariance)), theirs.bse, atol=1e-6)


def test_proportional_odds_matches_statsmodels_logit_ordered_model() -> None:
    x, y = _data()
    ours = fit_cumulative(x, y, 3)
    theirs = OrderedModel(y, x, distr="logit").fit(method="bfgs", disp=0, maxiter=5000)
    assert np.allclose(ours.coef, theirs.params[:5], atol=1e-4)
    # statsmodels: P(Y <= k) = F(t_k - x'b); ours: P(Y >= k) = F(a_k + x'b), so a_1 = -t_0.
    assert np.isclose(ours.intercepts[0], -theirs.params[5], atol=1e-4)


def test_partial_odds_derivatives_match_finite_differences() -> None:
    x, y = _data(400, 7)
    partial = x[:, :2] ** 2
    theta = np.array([0.9, -0.6, 0.3, -0.2, 0.1, 0.0, 0.2, 0.15, -0.1])
    exact = _derivatives(theta, x, y, 2, None, partial)
    step = 1e-6
    for i in range(theta.size):
        bump = np.zeros(theta.size)
        bump[i] = step
        up = _derivatives(theta + bump, x, y, 2, None, partial)
        down = _derivatives(theta - bump, x, y, 2, None, partial)
        assert np.isclose((up.loglik - down.loglik) / (2 * step), exact.grad[i], atol=1e-4)
        assert np.allclose((up.grad - down.grad) / (2 * step), exact.hess[:, i], atol=1e-3)


def test_the_penalty_shrinks_and_is_chosen_from_the_grid() -> None:
    x, y = _data(300)
    plain = fit_cumulative(x, y, 3)
    chosen = choose_penalty(x, y, 3, (0.0, 10.0, 1000.0))
    assert chosen.penalty in (0.0, 10.0, 1000.0)
    heavy = fit_cumulative(x, y, 3, 1000.0)
    assert np.linalg.norm(heavy.coef) < np.linalg.norm(plain.coef)
    assert heavy.edf < plain.edf
