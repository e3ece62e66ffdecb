"""The disclosure rule: the shipped threshold loads with its source, and a clinic cannot go below
the lowest threshold the rule allows."""

import pytest
from pydantic import ValidationError

from spinetrack.domain.disclosure import DisclosureRule, disclosure_rule


def test_the_shipped_rule_cites_its_source_and_allows_its_own_default() -> None:
    rule = disclosure_rule()
    assert rule.sources and rule.threshold >= rule.lowest >= 2
    assert rule.check(rule.threshold) == rule.threshold
    assert rule.check(rule.lowest) == rule.lowest


def test_a_threshold_below_the_lowest_is_refused_naming_the_floor_and_the_file() -> None:
    rule = disclosure_rule()
    with pytest.raises(ValueError, match=rf"at least {rule.lowest} \(see analytics/disclosure"):
        rule.check(rule.lowest - 1)


def test_a_rule_whose_floor_is_above_its_default_does_not_load() -> None:
    with pytest.raises(ValidationError, match="lowest must not exceed"):
        DisclosureRule(sources=["a source"], threshold=5, lowest=11)
