"""Riley et al.'s minimum sample size: the closed forms, and a refusal that names the numbers."""

import math

from spinetrack.prediction.sample_size import minimum_sample_size


def test_criterion_one_is_the_closed_form() -> None:
    size = minimum_sample_size(20, 5000, [0.1, 0.3, 0.6], 0.5)
    passing = next(c for c in size.criteria if c.outcome == "pass" and "shrinkage" in c.name)
    r2_max = 1 - math.exp(2 * (0.5 * math.log(0.5) * 2))
    r2 = 0.15 * r2_max
    assert passing.minimum == math.ceil(20 / ((0.9 - 1) * math.log(1 - r2 / 0.9)))


def test_more_parameters_need_more_patients_and_too_few_are_refused() -> None:
    small = minimum_sample_size(10, 1000, [0.1, 0.3, 0.6], 0.4)
    large = minimum_sample_size(30, 1000, [0.1, 0.3, 0.6], 0.4)
    assert large.minimum > small.minimum
    assert not large.enough
    assert "1000 patients" in large.explain() and str(large.minimum) in large.explain()


def test_precision_of_the_overall_proportion() -> None:
    size = minimum_sample_size(1, 10, [0.5, 0.5], 0.5)
    overall = [c for c in size.criteria if c.name == "overall proportion"]
    assert max(c.minimum for c in overall) == math.ceil((1.959963984540054 / 0.05) ** 2 * 0.25)
