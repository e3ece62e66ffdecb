"""Shared fits for the prediction tests: one model on 4,000 simulated patients (small bootstrap),
one on the same patients with 40 % of five predictors missing, and a large held-out table whose
true probabilities are known. Fitted once per session; the full sizes run in benchmarks/risk.py."""

from dataclasses import dataclass

import pytest

from spinetrack.prediction import Model
from spinetrack.prediction.fit import fit_table
from spinetrack.prediction.simulate import MISSABLE, Simulated, simulate
from spinetrack.prediction.table import Table, parse_table

TRAINING = 4000
HELD_OUT = 20000


@dataclass(frozen=True)
class Fitted:
    model: Model
    training: Table


@pytest.fixture(scope="session")
def held_out() -> tuple[Simulated, Table]:
    sim = simulate(HELD_OUT, seed=999)
    return sim, parse_table(sim.table, with_outcome=True)


@pytest.fixture(scope="session")
def complete_fit() -> Fitted:
    table = parse_table(simulate(TRAINING, seed=4).table, with_outcome=True)
    return Fitted(fit_table(table, bootstrap=20), table)


@pytest.fixture(scope="session")
def missing_fit() -> Fitted:
    sim = simulate(TRAINING, seed=4, missing=MISSABLE)
    table = parse_table(sim.table, with_outcome=True)
    return Fitted(fit_table(table, bootstrap=10, imputations=5), table)
