"""The score a response counts with: the percentage, else the raw score, only when scored "ok"."""

import pytest

from spinetrack.domain.outcomes.counted_score import counted_score


def test_the_percentage_is_preferred_when_there_is_one() -> None:
    assert counted_score("ok", 12.0, 24.0) == 24.0


def test_the_raw_score_counts_when_the_instrument_has_no_percentage() -> None:
    assert counted_score("ok", 6.5, None) == 6.5


def test_a_zero_percentage_is_a_score_not_a_missing_one() -> None:
    assert counted_score("ok", 3.0, 0.0) == 0.0


def test_a_scored_response_without_any_number_counts_with_nothing() -> None:
    assert counted_score("ok", None, None) is None


@pytest.mark.parametrize("status", ["incomplete", "invalid", ""])
def test_a_response_not_scored_ok_counts_with_nothing_even_with_a_number(status: str) -> None:
    assert counted_score(status, 12.0, 24.0) is None
