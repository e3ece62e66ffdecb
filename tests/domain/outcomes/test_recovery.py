"""The plain-words course of recovery and the "getting worse" signal of a patient's results page."""

import pytest

from spinetrack.domain.outcomes import schedule
from spinetrack.domain.outcomes.recovery import getting_worse, recovery_words


def test_every_time_point_has_its_words_and_every_word_has_a_source() -> None:
    words = recovery_words()
    assert {t.id for t in schedule()} == set(words.timepoints)
    assert words.sources
    assert all(text.strip() for text in words.texts())


@pytest.mark.parametrize(
    ("scores", "baseline", "worse"),
    [
        ([60.0, 20.0], 60.0, False),  # better than the start
        ([60.0, 20.0, 60.0], 60.0, True),  # 40 points worse than the score before
        ([20.0, 40.0], 20.0, True),  # worse than the start by more than the ODI's 10 points
        ([20.0, 25.0], 20.0, False),  # a change too small to matter
        ([30.0, 45.0], None, True),  # no starting point: the score before decides
        ([30.0], None, False),  # one score says nothing about a trend
    ],
)
def test_the_latest_odi_is_worse_than_the_start_or_the_score_before(
    scores: list[float], baseline: float | None, worse: bool
) -> None:
    assert getting_worse("odi", scores, baseline) is worse


def test_the_words_of_one_time_point_are_read_by_its_id() -> None:
    words = recovery_words()
    for point in schedule():
        assert words.at(point.id) == words.timepoints[point.id]


def test_words_that_skip_a_time_point_do_not_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from spinetrack.domain.errors import KnowledgeError
    from spinetrack.domain.outcomes import recovery

    shipped = recovery_words()
    first = next(iter(shipped.timepoints))
    short = shipped.model_copy(
        update={"timepoints": {k: v for k, v in shipped.timepoints.items() if k != first}}
    )
    monkeypatch.setattr(recovery, "parse", lambda *_: short)
    recovery_words.cache_clear()
    try:
        with pytest.raises(KnowledgeError, match="must name exactly the time points"):
            recovery_words()
    finally:
        recovery_words.cache_clear()
