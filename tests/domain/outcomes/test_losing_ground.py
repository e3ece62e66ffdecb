"""Losing ground: the latest disability score worse than the best follow-up by the MCID's points,
a signal beside the status, never a status (issue 18, point 3)."""

from spinetrack.domain.outcomes import ScorePoint, classify_patient, losing_ground
from spinetrack.domain.outcomes.losing_ground import losing_ground_rule


def _summary(*scores: tuple[int, float]):  # type: ignore[no-untyped-def]
    return classify_patient([ScorePoint("odi", day, score) for day, score in scores])


def test_a_large_late_worsening_is_losing_ground_while_the_status_stays_succeeding() -> None:
    # ODI 56 before, 18 at 6 months, 42 at 24 months: still 14 points better than baseline.
    summary = _summary((-5, 56), (182, 18), (730, 42))
    assert summary.status == "succeeding"
    signal = losing_ground(summary)
    assert signal is not None
    assert (signal.best_timepoint, signal.latest_timepoint) == ("6m", "24m")
    assert (signal.best_score, signal.latest_score, signal.worse_by) == (18, 42, 24)
    assert signal.threshold == 10  # ODI's MCID in points
    assert signal.sources == tuple(losing_ground_rule().sources)


def test_a_slip_smaller_than_the_mcid_is_not_losing_ground() -> None:
    assert losing_ground(_summary((-5, 56), (182, 18), (730, 27.99))) is None


def test_exactly_the_mcid_worse_is_losing_ground() -> None:
    assert losing_ground(_summary((-5, 56), (182, 18), (730, 28))) is not None


def test_the_first_follow_up_has_nothing_to_lose_ground_against() -> None:
    assert losing_ground(_summary((-5, 56), (182, 50))) is None


def test_a_patient_without_a_disability_score_has_no_signal() -> None:
    assert losing_ground(classify_patient([ScorePoint("nrs_back", -5, 8)])) is None
