"""Scoring one response: each instrument's published arithmetic (worked by hand in the comments),
every missing-data rule, and every way a value can be invalid."""

import math

import pytest

from spinetrack.domain.errors import UnknownInstrument
from spinetrack.domain.instruments import Score, get_instrument, instrument_ids, score


def odi(*values: float | None) -> dict[str, float | int | None]:
    return {f"odi_{i}": v for i, v in enumerate(values, start=1)}


def ndi(*values: float | None) -> dict[str, float | int | None]:
    return {f"ndi_{i}": v for i, v in enumerate(values, start=1)}


def comi_back(
    back: int | None, leg: int | None, function: int | None, wellbeing: int | None,
    qol: int | None, social: int | None, work: int | None,
) -> dict[str, float | int | None]:  # fmt: skip
    return {
        "comi_back_pain": back,
        "comi_leg_pain": leg,
        "comi_function": function,
        "comi_wellbeing": wellbeing,
        "comi_qol": qol,
        "comi_social": social,
        "comi_work": work,
    }


# ODI and NDI: percent = sum / (5 x answered) x 100; raw = sum x 10 / answered.


def test_odi_with_every_section_answered_is_sum_over_fifty() -> None:
    # 1+2+3+4+5+0+1+2+3+4 = 25; 25 / 50 x 100 = 50 %; raw 25 x 10 / 10 = 25
    assert score("odi", odi(1, 2, 3, 4, 5, 0, 1, 2, 3, 4)) == Score("odi", "ok", 10, 25.0, 50.0)


def test_odi_with_one_missing_section_lowers_the_denominator_by_five() -> None:
    # the publisher's example: 16 / 45 = 35.555...% -> 35.56; raw 16 x 10 / 9 = 17.777... -> 17.78
    result = score("odi", odi(2, 2, 2, 2, 2, 2, 2, 2, None, 0))
    assert result == Score("odi", "ok", 9, 17.78, 35.56)


def test_odi_rounds_a_repeating_decimal_down_when_below_half() -> None:
    # 10 / 45 x 100 = 22.222...% -> 22.22; raw 100 / 9 = 11.111... -> 11.11
    result = score("odi", odi(1, 1, 1, 1, 1, 1, 1, 1, 2, None))
    assert (result.raw, result.percent) == (11.11, 22.22)


def test_odi_with_two_missing_sections_is_still_scored() -> None:
    # 20 / 40 x 100 = 50 %; raw 20 x 10 / 8 = 25
    result = score("odi", odi(5, 5, 5, 5, 0, 0, 0, 0, None, None))
    assert result == Score("odi", "ok", 8, 25.0, 50.0)


def test_odi_with_three_missing_items_is_insufficient() -> None:
    result = score("odi", odi(5, 5, 5, 5, 0, 0, 0, None, None, None))
    assert (result.status, result.answered, result.raw, result.percent) == (
        "insufficient",
        7,
        None,
        None,
    )
    assert result.reason == "3 of 10 items missing; at most 2 may be missing"


def test_odi_with_no_answer_at_all_is_insufficient() -> None:
    assert score("odi", {}).status == "insufficient"
    assert score("odi", {}).answered == 0


def test_odi_all_zero_scores_zero_and_all_five_scores_one_hundred() -> None:
    assert score("odi", odi(*[0] * 10)).percent == 0.0
    assert score("odi", odi(*[5] * 10)) == Score("odi", "ok", 10, 50.0, 100.0)


def test_ndi_missing_item_matches_the_authors_mean_substitution() -> None:
    # nine items sum to 18, mean 2; the author adds 2 for the missing one: raw 20, 40 %.
    result = score("ndi", ndi(2, 2, 2, 2, 2, 2, 2, None, 2, 2))
    assert result == Score("ndi", "ok", 9, 20.0, 40.0)


def test_ndi_with_three_missing_items_is_insufficient() -> None:
    assert score("ndi", ndi(1, 1, 1, 1, 1, 1, 1, None, None, None)).status == "insufficient"


# COMI: pain = higher pain item; 1-5 items -> 0, 2.5, 5, 7.5, 10; disability = mean of social and
# work; score = mean of the five domains.


def test_comi_back_takes_the_worse_pain_and_averages_five_domains() -> None:
    # pain max(7, 3) = 7; function 3 -> 5; well-being 4 -> 7.5; QoL 2 -> 2.5;
    # disability mean(1 -> 0, 3 -> 5) = 2.5; (7 + 5 + 7.5 + 2.5 + 2.5) / 5 = 24.5 / 5 = 4.9
    assert score("comi_back", comi_back(7, 3, 3, 4, 2, 1, 3)) == Score("comi_back", "ok", 7, 4.9)


def test_comi_best_and_worst_answers_span_zero_to_ten() -> None:
    assert score("comi_back", comi_back(0, 0, 1, 1, 1, 1, 1)).raw == 0.0
    assert score("comi_back", comi_back(10, 10, 5, 5, 5, 5, 5)).raw == 10.0


def test_comi_with_one_pain_item_missing_uses_the_other() -> None:
    # pain 6; function 2 -> 2.5; well-being 2 -> 2.5; QoL 2 -> 2.5; disability (2 -> 2.5) = 2.5
    # (6 + 2.5 + 2.5 + 2.5 + 2.5) / 5 = 16 / 5 = 3.2
    result = score("comi_back", comi_back(None, 6, 2, 2, 2, 2, None))
    assert result == Score("comi_back", "ok", 5, 3.2)


def test_comi_without_any_disability_answer_is_insufficient() -> None:
    result = score("comi_back", comi_back(7, 3, 3, 4, 2, None, None))
    assert (result.status, result.answered) == ("insufficient", 5)
    assert result.reason == "no answer in the disability domain"


def test_comi_names_every_domain_left_without_an_answer() -> None:
    result = score("comi_back", comi_back(None, None, 3, 4, 2, None, None))
    assert result.reason == "no answer in the pain, disability domains"


def test_comi_neck_scores_neck_and_arm_pain_like_the_back_version() -> None:
    # pain max(2, 9) = 9; function 5 -> 10; well-being 1 -> 0; QoL 3 -> 5; disability mean(4 -> 7.5,
    # 5 -> 10) = 8.75; (9 + 10 + 0 + 5 + 8.75) / 5 = 32.75 / 5 = 6.55
    answers = {
        "comi_neck_pain": 2,
        "comi_arm_pain": 9,
        "comi_function": 5,
        "comi_wellbeing": 1,
        "comi_qol": 3,
        "comi_social": 4,
        "comi_work": 5,
    }
    assert score("comi_neck", answers) == Score("comi_neck", "ok", 7, 6.55)


# Pain NRS: the value itself.


@pytest.mark.parametrize("instrument", ["nrs_back", "nrs_leg", "nrs_neck", "nrs_arm"])
def test_nrs_score_is_the_answer_itself(instrument: str) -> None:
    assert score(instrument, {instrument: 7}) == Score(instrument, "ok", 1, 7.0)


def test_nrs_without_an_answer_is_insufficient() -> None:
    result = score("nrs_leg", {"nrs_leg": None})
    assert (result.status, result.answered, result.reason) == (
        "insufficient",
        0,
        "nrs_leg is not answered",
    )


# Invalid values: never scored, never clipped; the reason names the item.


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (6, "odi_3: 6 is outside 0-5"),
        (-1, "odi_3: -1 is outside 0-5"),
        (2.5, "odi_3: 2.5 is not a whole number"),
        (math.nan, "odi_3: nan is not a number"),
        (math.inf, "odi_3: inf is not a number"),
        (True, "odi_3: True is not a number"),
    ],
)
def test_odi_value_out_of_range_or_fractional_makes_the_response_invalid(
    value: float, reason: str
) -> None:
    result = score("odi", odi(1, 1, value, 1, 1, 1, 1, 1, 1, 1))
    assert result == Score("odi", "invalid", 10, None, None, reason)


def test_a_huge_whole_number_is_out_of_range_not_a_crash() -> None:
    assert score("nrs_back", {"nrs_back": 10**400}).status == "invalid"


def test_a_whole_number_written_as_a_float_is_valid() -> None:
    assert score("odi", odi(*[3.0] * 10)).percent == 60.0


def test_an_invalid_value_wins_over_missing_items() -> None:
    result = score("odi", odi(9, None, None, None, None, None, None, None, None, None))
    assert (result.status, result.answered) == ("invalid", 1)


def test_every_invalid_item_is_named_in_the_reason() -> None:
    result = score("comi_back", comi_back(11, 3, 0, 4, 2, 1, 6))
    assert result.reason == (
        "comi_back_pain: 11 is outside 0-10; comi_function: 0 is outside 1-5; "
        "comi_work: 6 is outside 1-5"
    )


def test_nrs_above_ten_is_invalid() -> None:
    assert score("nrs_back", {"nrs_back": 11}).reason == "nrs_back: 11 is outside 0-10"


def test_keys_that_are_not_items_are_ignored() -> None:
    answers = odi(*[1] * 10) | {"odi_11": 99, "comment": None}
    assert score("odi", answers) == Score("odi", "ok", 10, 10.0, 20.0)


def test_an_unknown_instrument_is_refused() -> None:
    with pytest.raises(UnknownInstrument) as raised:
        score("eq5d", {})
    assert raised.value.message == "instrument: unknown instrument 'eq5d'"


# Every registered instrument goes through ok / insufficient / invalid.


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_instrument_scores_a_complete_response(instrument: str) -> None:
    definition = get_instrument(instrument)
    result = score(instrument, {item.id: item.max for item in definition.items})
    assert result.status == "ok"
    assert result.answered == len(definition.items)
    assert result.raw is not None and result.reason == ""


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_instrument_finds_an_empty_response_insufficient(instrument: str) -> None:
    definition = get_instrument(instrument)
    result = score(instrument, dict.fromkeys((item.id for item in definition.items), None))
    assert (result.status, result.answered, result.raw, result.percent) == (
        "insufficient",
        0,
        None,
        None,
    )
    assert result.reason


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_instrument_refuses_a_value_above_its_range(instrument: str) -> None:
    definition = get_instrument(instrument)
    answers: dict[str, float | int | None] = {item.id: item.min for item in definition.items}
    first = definition.items[0]
    answers[first.id] = first.max + 1
    result = score(instrument, answers)
    assert result.status == "invalid"
    assert result.reason == f"{first.id}: {first.max + 1} is outside {first.min}-{first.max}"


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_instrument_refuses_a_value_below_its_range(instrument: str) -> None:
    definition = get_instrument(instrument)
    answers: dict[str, float | int | None] = {item.id: item.max for item in definition.items}
    last = definition.items[-1]
    answers[last.id] = last.min - 1
    assert score(instrument, answers).status == "invalid"
