"""Patient status from the PROM history: each status, the MCID / PASS / deterioration tests with the
contract's rounding (half up to 2 decimals), pain improvement, and what a ScorePoint refuses."""

import pytest

from spinetrack.domain.errors import InvalidInput, UnknownInstrument
from spinetrack.domain.outcomes import (
    Change,
    ScorePoint,
    TimepointChange,
    classify_patient,
    compare,
)


def p(instrument: str, day: int, score: float) -> ScorePoint:
    return ScorePoint(instrument, day, score)


def status_of(*points: ScorePoint) -> str:
    return classify_patient(points).status


# Statuses


def test_a_patient_without_any_score_has_no_baseline() -> None:
    outcome = classify_patient([])
    assert (outcome.status, outcome.latest_timepoint, outcome.disability_instrument) == (
        "no_baseline",
        None,
        None,
    )


def test_a_patient_with_only_follow_ups_has_no_baseline_but_a_latest_timepoint() -> None:
    outcome = classify_patient([p("odi", 42, 40), p("odi", 365, 20), p("nrs_back", -5, 8)])
    assert outcome.status == "no_baseline"
    assert outcome.latest_timepoint == "12m"
    assert (outcome.disability_improvement, outcome.pain_improvement) == (None, None)


def test_pain_scores_alone_give_no_baseline() -> None:
    assert status_of(p("nrs_back", -5, 8), p("nrs_back", 365, 2)) == "no_baseline"


def test_only_a_baseline_is_too_early_with_no_improvement_yet() -> None:
    outcome = classify_patient([p("odi", -5, 40), p("nrs_back", -5, 7)])
    assert outcome.status == "too_early"
    assert outcome.latest_timepoint == "baseline"
    assert (outcome.disability_improvement, outcome.pain_improvement) == (None, None)


def test_a_latest_score_at_six_weeks_is_too_early_even_when_worse() -> None:
    outcome = classify_patient([p("odi", -5, 40), p("odi", 42, 60)])
    assert (outcome.status, outcome.latest_timepoint, outcome.disability_improvement) == (
        "too_early",
        "6w",
        -20.0,
    )


def test_reaching_the_mcid_at_the_latest_time_point_is_succeeding() -> None:
    # 60 -> 45: improvement 15 >= 10 points; 45 is above the PASS of 22
    outcome = classify_patient([p("odi", -5, 60), p("odi", 91, 45)])
    assert (outcome.status, outcome.latest_timepoint, outcome.disability_improvement) == (
        "succeeding",
        "3m",
        15.0,
    )


def test_a_score_within_pass_is_succeeding_without_the_mcid() -> None:
    # 25 -> 20: improvement 5 < 10 and < 30 % of 25 (7.5), but 20 <= PASS 22
    assert status_of(p("odi", -5, 25), p("odi", 365, 20)) == "succeeding"


def test_a_score_exactly_at_pass_is_within_it() -> None:
    assert status_of(p("odi", -5, 30), p("odi", 365, 22)) == "succeeding"
    assert status_of(p("odi", -5, 30), p("odi", 365, 22.01)) == "failing"


def test_an_earlier_improvement_lost_by_the_latest_time_point_is_relapsed() -> None:
    points = [p("odi", -5, 60), p("odi", 42, 30), p("odi", 365, 55)]
    assert status_of(*points) == "relapsed"


def test_no_improvement_at_any_follow_up_is_failing() -> None:
    points = [p("odi", -5, 60), p("odi", 42, 58), p("odi", 91, 55), p("odi", 730, 57)]
    outcome = classify_patient(points)
    assert (outcome.status, outcome.latest_timepoint, outcome.disability_improvement) == (
        "failing",
        "24m",
        3.0,
    )


def test_odi_decides_when_the_patient_has_odi_scores() -> None:
    points = [p("ndi", -5, 60), p("ndi", 365, 10), p("odi", -5, 60), p("odi", 365, 58)]
    outcome = classify_patient(points)
    assert (outcome.status, outcome.disability_instrument) == ("failing", "odi")


def test_odi_without_a_baseline_still_decides_over_ndi() -> None:
    points = [p("ndi", -5, 60), p("ndi", 365, 10), p("odi", 365, 58)]
    assert classify_patient(points).status == "no_baseline"


def test_ndi_decides_for_a_patient_without_odi() -> None:
    outcome = classify_patient([p("ndi", -5, 50), p("ndi", 182, 30)])
    assert (outcome.status, outcome.disability_instrument, outcome.latest_timepoint) == (
        "succeeding",
        "ndi",
        "6m",
    )


def test_an_odi_score_outside_every_window_does_not_make_odi_the_instrument() -> None:
    points = [p("odi", 1200, 10), p("ndi", -5, 50), p("ndi", 182, 30)]
    assert classify_patient(points).disability_instrument == "ndi"


# The MCID with the contract's rounding


def test_thirty_percent_of_the_baseline_is_rounded_half_up_before_comparing() -> None:
    # 30 % of 33.15 = 9.945 -> 9.95 (half up; floating point gives 9.944999...)
    # 33.15 -> 23.20: improvement 9.95 >= 9.95: MCID; 23.20 is above the PASS of 22
    assert status_of(p("odi", -5, 33.15), p("odi", 365, 23.20)) == "succeeding"
    # 33.15 -> 23.21: improvement 9.94 < 9.95
    assert status_of(p("odi", -5, 33.15), p("odi", 365, 23.21)) == "failing"


def test_a_percentage_that_rounds_down_is_reached_by_the_rounded_improvement() -> None:
    # 30 % of 33.18 = 9.954 -> 9.95; 33.18 -> 23.23 improves by 9.95, enough once both are rounded
    assert status_of(p("odi", -5, 33.18), p("odi", 365, 23.23)) == "succeeding"
    assert status_of(p("odi", -5, 33.18), p("odi", 365, 23.24)) == "failing"


def test_an_improvement_of_exactly_the_mcid_reaches_it_despite_float_noise() -> None:
    # COMI has no percentage rule: 2.3 - 0.1 is 2.1999999999999997 in floating point; rounded,
    # it is 2.20, which reaches the MCID of 2.2
    assert compare("comi_back", 2.3, 0.1) == Change(2.2, "improved", None)


def test_the_improvement_itself_is_rounded_half_up() -> None:
    # 50.005 - 40 = 10.005 -> 10.01; a worsening of 2.345 -> -2.35 (halves away from zero)
    assert compare("odi", 50.005, 40).improvement == 10.01
    assert compare("odi", 40, 42.345).improvement == -2.35


def test_nrs_mcid_is_two_points_or_thirty_percent() -> None:
    # baseline 3: 30 % = 0.9, so one point is enough; baseline 8: 30 % = 2.4, so 2 points are
    assert compare("nrs_back", 3, 2).change == "improved"
    assert compare("nrs_back", 8, 6).change == "improved"
    assert compare("nrs_back", 8, 7).change == "unchanged"


def test_the_percentage_rule_needs_a_non_zero_baseline() -> None:
    assert compare("nrs_leg", 0, 0).change == "unchanged"


def test_comi_mcid_is_2_2_points_without_a_percentage() -> None:
    assert compare("comi_back", 8, 5.8).change == "improved"
    assert compare("comi_back", 8, 5.85).change == "unchanged"


# Deterioration and PASS


def test_deterioration_is_the_mcid_test_on_follow_up_minus_baseline() -> None:
    assert compare("odi", 40, 50).change == "worsened"
    # 30 % of 20 = 6: 20 -> 26 is worse by the percentage
    assert compare("odi", 20, 26).change == "worsened"
    assert compare("odi", 20, 25.99).change == "unchanged"


def test_comi_deterioration_is_an_increase_of_0_3() -> None:
    assert compare("comi_neck", 5, 5.3).change == "worsened"
    assert compare("comi_neck", 5, 5.25).change == "unchanged"


def test_pass_is_reported_where_the_instrument_has_one() -> None:
    assert compare("odi", 40, 22).within_pass is True
    assert compare("odi", 40, 23).within_pass is False
    assert compare("ndi", 40, 14).within_pass is True
    assert compare("nrs_arm", 5, 3).within_pass is True
    assert compare("comi_back", 5, 1).within_pass is None


def test_every_follow_up_of_every_instrument_with_a_baseline_is_detailed() -> None:
    points = [p("odi", -5, 50), p("odi", 42, 35), p("odi", 365, 20), p("comi_back", -5, 7)]
    points += [p("comi_back", 91, 7.4), p("nrs_leg", 365, 3)]
    assert classify_patient(points).timepoints == (
        TimepointChange("comi_back", "3m", 7.4, -0.4, "worsened", None),
        TimepointChange("odi", "6w", 35, 15.0, "improved", False),
        TimepointChange("odi", "12m", 20, 30.0, "improved", True),
    )


# Pain improvement


def test_pain_improvement_uses_the_nrs_with_the_highest_baseline() -> None:
    points = [p("odi", -5, 50), p("odi", 365, 30)]
    points += [
        p("nrs_back", -5, 6),
        p("nrs_back", 365, 5),
        p("nrs_leg", -5, 8),
        p("nrs_leg", 365, 2),
    ]
    assert classify_patient(points).pain_improvement == 6.0


def test_pain_improvement_ties_go_to_the_first_name() -> None:
    points = [p("odi", -5, 50), p("odi", 365, 30)]
    points += [
        p("nrs_leg", -5, 7),
        p("nrs_leg", 365, 1),
        p("nrs_back", -5, 7),
        p("nrs_back", 365, 5),
    ]
    assert classify_patient(points).pain_improvement == 2.0


def test_pain_improvement_needs_the_nrs_at_baseline_and_at_the_latest_time_point() -> None:
    points = [p("odi", -5, 50), p("odi", 365, 30)]
    points += [
        p("nrs_leg", -5, 9),
        p("nrs_leg", 182, 1),
        p("nrs_back", -5, 4),
        p("nrs_back", 365, 3),
    ]
    assert classify_patient(points).pain_improvement == 1.0


def test_pain_improvement_is_empty_without_a_matching_nrs() -> None:
    points = [p("odi", -5, 50), p("odi", 365, 30), p("nrs_leg", 365, 1)]
    assert classify_patient(points).pain_improvement is None


def test_pain_improvement_is_reported_while_too_early() -> None:
    points = [p("odi", -5, 50), p("odi", 42, 45), p("nrs_back", -5, 8), p("nrs_back", 40, 4)]
    outcome = classify_patient(points)
    assert (outcome.status, outcome.pain_improvement) == ("too_early", 4.0)


# What a score point refuses


def test_a_score_point_refuses_an_unknown_instrument() -> None:
    with pytest.raises(UnknownInstrument):
        ScorePoint("eq5d", 10, 0.5)


@pytest.mark.parametrize(
    ("instrument", "score"),
    [
        ("odi", 100.5),
        ("odi", -0.1),
        ("nrs_back", 11),
        ("nrs_back", 10**400),
        ("comi_back", 10.01),
        ("ndi", float("nan")),
    ],
)
def test_a_score_point_refuses_a_score_off_the_instruments_scale(
    instrument: str, score: float
) -> None:
    with pytest.raises(InvalidInput) as raised:
        ScorePoint(instrument, 10, score)
    assert raised.value.field == "score"


def test_a_score_point_refuses_a_fractional_day() -> None:
    with pytest.raises(InvalidInput) as raised:
        ScorePoint("odi", 1.5, 20)  # type: ignore[arg-type]
    assert raised.value.field == "days_after_surgery"


def test_a_score_point_refuses_a_score_that_is_not_a_number() -> None:
    with pytest.raises(InvalidInput) as raised:
        ScorePoint("odi", 10, "20")  # type: ignore[arg-type]
    assert raised.value.message == "score: '20' is not a number"
