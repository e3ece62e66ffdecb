"""Muscle grades dated one by one in a line, read as a series over time (grade_series.py)."""

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.grade_series import fall, labelled_series
from spinetrack.domain.reports.time_words import TIME_WORDS_FILE, parse_time_words, time_patterns


def _weakness(text: str) -> set[str]:
    found = {m.id for m in find_in_reports([text])}
    return found & {"new_weakness", "progressive_weakness"}


@pytest.mark.parametrize(
    "text",
    [
        "Right quads 4/5 at the 10 day review, 3/5 at 3 weeks and 2/5 today.",
        "EHL 4/5 two weeks ago, 3/5 today.",
        "Neuro chart R leg: 08:00 EHL 5/5, 12:00 EHL 4/5, 16:00 EHL 3/5, TA 3/5.",
        "Obs overnight: 22:00 legs 4/5, 02:00 3/5, 06:00 2/5 both sides.",
        "Deltoid 4/5 pre-op, 4/5 at 2 weeks, 2/5 today.",
        # a day's series dated by the part of the day, in English and in a translated French note
        "EHL 4/5 this morning, 3/5 at midday and 2/5 this afternoon.",
        "Faiblesse de la dorsiflexion: 4/5 ce matin, 3/5 à midi, 2/5 ce soir.",
    ],
)
def test_a_grade_falling_from_an_already_weak_one_is_progressive(text: str) -> None:
    assert _weakness(text) == {"new_weakness", "progressive_weakness"}


@pytest.mark.parametrize(
    "text",
    [
        "Hip flexion 5/5 at 6 weeks, 4/5 today.",
        "Grip 5/5 pre-op, 3/5 today.",
    ],
)
def test_a_single_drop_from_full_power_or_from_before_surgery_is_only_new(text: str) -> None:
    assert _weakness(text) == {"new_weakness"}


@pytest.mark.parametrize(
    "text",
    [
        "EHL 2/5 at 2 weeks, 4/5 today.",
        "09:00 DF 3/5, 13:00 DF 4/5, 17:00 DF 5/5.",
    ],
)
def test_a_recovering_series_is_no_trend(text: str) -> None:
    steps = labelled_series(text)
    assert steps is not None
    assert fall(steps) is None


@pytest.mark.parametrize(
    "text",
    [
        "Right EHL 4/5, left EHL 3/5.",  # two sides, no times
        "L5 4/5 and S1 3/5 today.",  # the first grade has no time of its own
        "EHL 4/5 at 2 weeks, 3/5 yesterday.",  # two different clocks
    ],
)
def test_grades_not_each_placed_in_time_are_not_a_series(text: str) -> None:
    assert labelled_series(text) is None


def test_one_clock_time_written_twice_is_one_examination() -> None:
    steps = labelled_series("Arms 5/5 at 14:00, legs 3/5 at 14:00.")
    assert steps is None


@pytest.mark.parametrize(
    "text",
    [
        "Power: R EHL 4 (D1), 3 (D2), 2 (D3).",
        "Motor power L quads 4 at 1 week, 3 at 3 weeks, 3 at 5 weeks, 2 today.",
    ],
)
def test_bare_grades_in_a_power_line_are_read_as_a_series(text: str) -> None:
    assert _weakness(text) == {"new_weakness", "progressive_weakness"}


@pytest.mark.parametrize(
    "text",
    [
        "Power 5 throughout; reviewed on day 2 and day 3.",
        "Seen at 2 weeks, 4 weeks and today: walking 3 km.",
    ],
)
def test_digits_outside_a_power_line_or_naming_days_are_not_grades(text: str) -> None:
    assert labelled_series(text) is None


def _grid(text: str) -> set[str]:
    found = {(m.id, m.status) for m in find_in_reports([text])}
    return {finding for finding, status in found if status == "affirmed"} & {
        "new_weakness",
        "progressive_weakness",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Neuro obs\n| | 08:00 | 14:00 | 20:00 |\n| L EHL | 4 | 3 | 2 |\n| R EHL | 5 | 5 | 5 |\n",
        "Power chart\nDay | L quads | R quads\nD1 | 5 | 5\nD2 | 4 | 5\nD3 | 3- | 5\n",
        "Myotome | 2 months | 3 months | today\nR C7 triceps | 5 | 4+ | 4-\n",
    ],
)
def test_a_grid_of_grades_falling_over_two_times_is_a_progressive_weakness(text: str) -> None:
    assert _grid(text) == {"new_weakness", "progressive_weakness"}


def test_a_single_drop_in_a_grid_from_full_power_or_from_before_surgery_is_only_new() -> None:
    assert _grid("| | Pre-op | Day 1 | Day 2 |\n| L EHL | 5 | 4 | 4 |\n") == {"new_weakness"}
    assert _grid("Time | R DF\n09:00 | 5\n13:00 | 5\n17:00 | 4\n") == {"new_weakness"}


@pytest.mark.parametrize(
    "text",
    [
        "Power\n| | 08:00 | 14:00 | 20:00 |\n| L EHL | 2 | 3 | 5 |\n",  # recovering
        "| | 08:00 | 14:00 | 20:00 |\n| Back pain | 5 | 3 | 1 |\n",  # pain scores, not grades
        "Time | Sedation | RR\n08:00 | 3 | 14\n12:00 | 1 | 16\n",  # a falling score
    ],
)
def test_grids_that_recover_or_are_not_grades_give_no_weakness(text: str) -> None:
    assert _grid(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Quadriceps 4 -> 2 on both sides since lunchtime.",
            {"new_weakness", "progressive_weakness"},
        ),
        ("MRC ankle DF 5 → 4 → 3 over the week.", {"new_weakness", "progressive_weakness"}),
        ("EHL 5 -> 4 since the 6 week review.", {"new_weakness"}),
        ("Hip flexion power 4 then 3 by the evening.", {"new_weakness", "progressive_weakness"}),
        ("power three out of five in the left EHL, was five out of five pre-op", {"new_weakness"}),
    ],
)
def test_bare_grades_chained_after_a_muscle_are_a_series(text: str, expected: set[str]) -> None:
    assert _weakness(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "EHL 2 -> 4 over the fortnight, recovering.",  # rising
        "TA 2/5 -> 3/5 -> 4/5 since day 1, improving.",
        "Leg pain 8 -> 3 after the block.",  # a pain score, no muscle
        "Fused L4 -> 5 with cages.",  # a level, not a muscle
        "Grip 4 -> 3 kg on the dynamometer.",  # a measure, not a grade
    ],
)
def test_rising_chains_and_chains_of_other_numbers_give_no_weakness(text: str) -> None:
    assert not _weakness(text) & {"progressive_weakness"}
    assert "new_weakness" not in _weakness(text) or "2/5" in text


def test_time_words_come_from_the_knowledge_file() -> None:
    times = time_patterns()
    assert times.day_part_days["ce matin"] < times.day_part_days["à midi"] < 0
    assert times.day_part_days["ce soir"] == 0
    assert times.discharge.search("5/5 at her discharge") is not None
    assert times.preop.search("4/5 before the operation") is not None


def test_time_words_refuse_a_repeated_phrase_and_an_unplaced_discharge() -> None:
    shipped = load_yaml(TIME_WORDS_FILE)
    repeated = {**shipped, "day_parts": {**shipped["day_parts"]}}
    repeated["day_parts"]["times"] = [
        *shipped["day_parts"]["times"],
        {"days": -0.3, "phrases": ["This  Morning"]},
    ]
    with pytest.raises(KnowledgeError):
        parse_time_words(repeated)
    unplaced = {**shipped, "discharge": {**shipped["discharge"], "days": None}}
    with pytest.raises(KnowledgeError):
        parse_time_words(unplaced)
