"""Numbers read as findings against the sourced thresholds of knowledge/reports/value_rules.yaml."""

import copy

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import find_in_reports, is_sign
from spinetrack.domain.reports.values import VALUES_FILE, parse_values, read_values, value_rules


def _read(text: str) -> dict[str, str]:
    return {m.id: m.status for m in find_in_reports([text])}


def test_every_value_rule_cites_a_source_and_names_a_known_finding() -> None:
    assert all(rule.sources for rule in value_rules().rules)
    data = copy.deepcopy(load_yaml(VALUES_FILE))  # the cached file must stay as shipped
    data["rules"][0]["finding"] = "crp_elevatd"
    with pytest.raises(KnowledgeError, match="crp_elevatd"):
        parse_values(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ESR 78 mm/hr. CRP 46 mg/L. WCC 9.1 (normal).",
            {"crp_elevated", "esr_elevated", "esr_raised"},
        ),
        ("CRP 8.9 mg/dL (normal < 1.0). White count 15.6.", {"crp_elevated", "wbc_elevated"}),
        ("Bloods: CRP 3 mg/L (ref <5), ESR 12 mm/h, WBC 7.2.", set()),
        # a peak inside the window: no raised CRP; the writer's "expected post-operative" is the
        # judgement that the marker is the operation's (false16s)
        ("Day 3 CRP 186 mg/L - expected post-operative peak.", {"markers_settling"}),
        # still above its limit, and falling at each step to under half: settling (flags16)
        ("CRP: 140 -> 62 -> 18 mg/L.", {"crp_elevated", "markers_settling"}),
        ("CRP day 3 168, day 10 31, day 21 94 mg/L.", {"crp_elevated", "crp_second_rise"}),
        ("Raised ESR in 2021 was put down to polymyalgia.", set()),
    ],
)
def test_inflammatory_markers_are_read_against_their_limits(text: str, expected: set[str]) -> None:
    assert set(_read(text)) == expected


def test_a_post_void_residual_is_retention_from_250_ml_and_uncertain_above_200() -> None:
    assert _read("Bladder scan: PVR 620 mL.") == {"urinary_retention": "affirmed"}
    assert _read("PVR 350 mL, repeat after the next void.") == {"urinary_retention": "affirmed"}
    assert _read("PVR 220 mL, repeat after the next void.") == {"urinary_retention": "uncertain"}
    assert _read("PVR 60 mL.") == {}


def test_muscle_grades_over_time_give_new_and_progressive_weakness() -> None:
    worse = "Power L EHL: 5/5 pre-op, 4/5 at 2 weeks, 2/5 today."
    assert _read(worse) == {"new_weakness": "affirmed", "progressive_weakness": "affirmed"}
    assert _read("EHL 4/5 - pre-op 5/5.") == {"new_weakness": "affirmed"}
    assert _read("Plantarflexion: 3/5 pre-op, 4/5 at 6 weeks, 5/5 today.") == {}


def test_block_relief_is_read_from_a_percentage_or_pain_scores() -> None:
    assert _read("Left L4/5 MBB gave 85% relief for 6 hours.") == {"mbb_positive": "affirmed"}
    assert _read("MBB L3/4 R: 30% relief only.") == {}
    sij = "Left SIJ block: pain 8/10 before, 1/10 after."
    assert _read(sij) == {"sij_block_positive": "affirmed"}


def test_lengths_need_their_unit_and_a_level_name_is_not_a_number() -> None:
    assert _read("Cage subsidence: 1 mm, no change from 6 weeks.") == {}
    assert _read("Screw halo measurements all <1 mm (max 0.6 mm at L5 left).") == {}
    assert _read("Peri-screw radiolucency: L5 right 2.5 mm.") == {"screw_lucency": "affirmed"}


def test_scores_and_weight() -> None:
    assert _read("PHQ-9 = 21. GAD-7 = 17.") == {"psychological_distress": "affirmed"}
    assert _read("PHQ-9 4/27, GAD-7 3/21.") == {}
    weight = "Weight 64 kg (was 71 kg at pre-op assessment 18 months ago)."
    assert _read(weight) == {"unexplained_weight_loss": "affirmed"}


def test_a_weight_change_written_with_an_arrow_reads_before_then_now() -> None:
    assert _read("Weight 82 -> 74 kg over the winter.") == {"unexplained_weight_loss": "affirmed"}
    assert _read("Weight 70 -> 69 kg.") == {}  # under 5 %
    assert _read("Weight 60 -> 66 kg.") == {}  # a gain


def test_a_radiotransparent_border_is_a_lucency_measured() -> None:
    assert _read("Radiotransparent border 2 mm around the S1 screws.") == {
        "screw_lucency": "affirmed"
    }


def test_a_grade_before_an_arrow_or_yesterday_is_the_earlier_one() -> None:
    """Issue 16: "5/5 -> 4/5", "3/5 today, yesterday 4+/5", "5/5 to 3/5" are weakness getting
    worse; a grade rising is not."""
    for sentence in (
        "Hip flexion 5/5 -> 4/5.",
        "Hip flexors 3/5 bilat, yesterday 4+/5.",
        "EHL 5/5 to 3/5 over two days.",
    ):
        found = {reading.finding for reading in read_values([(0, sentence)])}
        assert found == {"new_weakness", "progressive_weakness"}, sentence
    assert read_values([(0, "Power 4/5 to 5/5 in all groups.")]) == []


def test_a_grip_strength_fallen_by_more_than_its_clinically_important_difference() -> None:
    assert _read("Grip R 18 kg (was 24 kg 4 wks ago).") == {
        "progressive_weakness": "affirmed",
        "new_weakness": "affirmed",  # weakness getting worse is new weakness (implied_findings)
    }
    assert _read("Grip R 20 kg (was 23 kg at discharge).") == {}
    assert _read("Grip 28 kg R, 26 kg L.") == {}


def test_a_series_is_judged_by_its_current_value() -> None:
    assert _read("CRP (mg/L): day 2 170, day 7 52, day 14 11, day 21 4.") == {}
    assert _read("CRP 30 -> 8.") == {}
    assert _read("CRP 8 -> 30.") == {"crp_elevated": "affirmed"}
    assert _read("CRP 85 mg/L, WCC 14.2.") == {
        "crp_elevated": "affirmed",
        "wbc_elevated": "affirmed",
    }


def test_a_measurement_written_before_its_name_is_read_and_its_span_covers_both() -> None:
    text = "Dynamic views: 3 mm interspinous motion between L4 and L5."
    [motion] = find_in_reports([text])
    assert (motion.id, motion.text) == ("motion_on_flexion_extension", "3 mm interspinous motion")
    assert _read("0.5 mm interspinous motion at C5-6.") == {}


def test_a_measurement_before_its_name_is_the_names_own_not_the_comparison_after_it() -> None:
    """A level's figure comes first and other levels' follow: the first decides either way."""
    assert _read("Flexion-extension: 4 mm translation at L4-5 (adjacent levels 1 mm).") == {
        "motion_on_flexion_extension": "affirmed"
    }
    assert _read("1 mm translation at L4-5 (5 mm at L3-4 before the fusion).") == {}
    assert _read("3 mm change in interspinous distance at C5-6 versus 1 mm at C4-5.") == {
        "motion_on_flexion_extension": "affirmed"
    }


def test_a_raised_white_count_has_no_post_operative_window_unlike_crp() -> None:
    assert _read("POD 1 bloods: WCC 12.1 (H), CRP 38.") == {"wbc_elevated": "affirmed"}


def test_a_crp_above_one_taken_after_the_peak_is_a_second_rise() -> None:
    assert "crp_second_rise" in _read("CRP 212 (was 40 on day 6).")
    assert "crp_second_rise" in _read("CRP 90, up from 35 on POD 8.")
    assert "crp_second_rise" not in _read("CRP 190 (was 20 on day 1).")
    assert "crp_second_rise" not in _read("CRP 30 (was 40 on day 6).")


def test_an_hba1c_at_the_diagnostic_threshold_is_diabetes() -> None:
    assert _read("HbA1c 68.") == {"diabetes": "affirmed"}
    assert _read("HbA1c 44 mmol/mol.") == {}


def test_each_muscle_is_compared_with_its_own_earlier_grades() -> None:
    # EHL fell since the 6-week visit (progressive); DF only since before surgery would be new.
    text = "Power today: L EHL 3/5 (was 4/5 at 6 weeks, 5/5 pre-op), L ankle DF 4-/5 (was 4+/5)."
    assert _read(text) == {"new_weakness": "affirmed", "progressive_weakness": "affirmed"}
    stable = "EHL 4/5 (was 4/5 at 6 weeks, 5/5 pre-op), DF 5/5 (was 5/5)."
    assert _read(stable) == {"new_weakness": "affirmed"}


def test_the_last_grade_of_a_timed_series_is_the_current_one() -> None:
    text = "Neuro obs: EHL 2/5 at 2200 -> 1/5 at 0200 -> 0/5 at 0600."
    assert _read(text) == {"new_weakness": "affirmed", "progressive_weakness": "affirmed"}
    recovering = "Neuro obs: EHL 1/5 at 2200 -> 2/5 at 0200 -> 3/5 at 0600."
    assert _read(recovering) == {}


def test_a_day_named_once_dates_the_values_that_follow_it() -> None:
    assert _read("Bloods day 3 post-op. CRP 180.") == {}
    assert _read("Day 30 post-op: wound healed. CRP 80.") == {"crp_elevated": "affirmed"}


def test_a_single_drop_from_normal_weeks_or_months_ago_is_new_not_progressive_weakness() -> None:
    """Issue 16 (fourth blind set): "4/5 (5/5 at 3 months)" is a new weakness; a drop since
    yesterday, or of a muscle already weak, is one getting worse."""
    found = {r.finding for r in read_values([(0, "R quads now 4/5 (5/5 at 3 months).")])}
    assert found == {"new_weakness"}
    found = {r.finding for r in read_values([(0, "DF R 3/5 (GP letter 1 wk ago: R 4/5).")])}
    assert found == {"new_weakness", "progressive_weakness"}


def test_serial_timed_examinations_one_per_line_are_a_series() -> None:
    lines = ["08:00 hip flexion 4/5.", "12:00 hip flex 3/5.", "16:00 hip flex 2/5."]
    sentences, offset = [], 0
    for line in lines:
        sentences.append((offset, line))
        offset += len(line) + 1
    found = {r.finding for r in read_values(sentences)}
    assert found == {"new_weakness", "progressive_weakness"}
    steady = [(0, "08:00 hip flexion 4/5."), (23, "12:00 hip flex 4/5.")]
    assert read_values(steady) == []


def test_a_slower_timed_walk_or_peg_test_or_a_lower_balance_score_is_a_worse_cord_sign() -> None:
    found = _read(
        "10 m walk test 14.2 s (was 9.8 s 6 weeks ago); Berg 41/56 (was 50)."
        " 9-hole peg R 38 s (was 24 s)."
    )
    assert found.get("gait_disturbance") == "affirmed"
    assert found.get("hand_clumsiness") == "affirmed"
    assert "gait_disturbance" not in _read("10 m walk 7.1 s (was 7.5 s). Berg 52/56 (was 50).")
    assert "hand_clumsiness" not in _read("Nine-hole peg 25 s (was 24 s).")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mood screen: PHQ9 = 17, low most days.", {"psychological_distress": "affirmed"}),
        ("Anxiety questionnaire GAD 7: 12/21.", {"psychological_distress": "affirmed"}),
        ("She scored 15 on the GAD-7 at this visit.", {"psychological_distress": "affirmed"}),
        ("PHQ-9 today 20/27.", {"psychological_distress": "affirmed"}),
        ("PHQ-9 6/27 and GAD-7 4/21, both mild.", {}),
        ("He scores 5 on the PHQ-9.", {}),
    ],
)
def test_questionnaire_scores_out_of_their_maximum_or_written_before_the_name(
    text: str, expected: dict[str, str]
) -> None:
    # Signs are left out: "anxiety" is read as a sign that only the airway rule uses.
    assert {id_: status for id_, status in _read(text).items() if not is_sign(id_)} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ESR 26 mm/h (normal range 0-15), otherwise well.", set()),  # age-adjusted limit kept
        ("Repeat CRP 8 mg/L (ref < 5), wound dry.", {"crp_elevated"}),
        ("White cells 12.0 (ref 4-13) on the ward.", set()),
        ("Day 2 CRP 140 mg/L (ref <5): the expected peak.", set()),
        ("Leukocytes 13.9 x10^9/L.", {"wbc_elevated"}),
        ("WBC 9.4 x 10^9/L (4-11).", set()),
    ],
)
def test_a_reference_range_the_writer_states_is_the_limit_after_the_early_days(
    text: str, expected: set[str]
) -> None:
    assert set(_read(text)) == expected


def test_a_tympanic_temperature_is_a_temperature() -> None:
    assert set(_read("Tympanic 38.4 at the visit.")) == {"fever"}
    assert _read("Tympanic 37.2, settled.") == {}


def test_the_day_of_an_earlier_value_does_not_date_the_current_one() -> None:
    late = "Five weeks on. 4 weeks after the fusion: CRP 88 mg/L (was 15 on day 6)."
    assert set(_read(late)) >= {"crp_elevated"}
    assert _read("CRP 140 mg/L (down from 210 on day 2).") == {}


def test_a_grade_followed_by_its_earlier_one_in_brackets_is_the_current_one() -> None:
    worse = "Hip flexion weak (3/5, was 4/5 this morning)."
    assert _read(worse) == {"new_weakness": "affirmed", "progressive_weakness": "affirmed"}
    better = "Hip flexion good (5/5, was 4/5 this morning)."
    assert "progressive_weakness" not in _read(better)


def test_recovery_lines_timed_from_arrival_are_a_series() -> None:
    text = "On arrival: L DF 4/5. +30 min: L DF 3/5. +90 min: L DF 2/5."
    assert _read(text) == {"new_weakness": "affirmed", "progressive_weakness": "affirmed"}
    assert _read("Baseline: L DF 2/5. +1 h: L DF 3/5. +2 h: L DF 4/5.") == {
        "new_weakness": "affirmed"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Left SIJ diagnostic blocks x2: 90% and 80% relief.", {"sij_block_positive"}),
        ("Blocks (L SIJ): 20% relief, not diagnostic.", set()),
        ("Blocks to the right L4/5 medial branches gave 75% relief.", {"mbb_positive"}),
    ],
)
def test_block_wordings_name_the_block_before_or_after_the_joint(
    text: str, expected: set[str]
) -> None:
    assert set(_read(text)) == expected


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Nothing passed overnight, feels no urge; bladder scan 950 mL.", "urinary_retention"),
        ("Scar clean with no swelling or ooze, though her CRP is 88 and WCC 15.2.", "crp_elevated"),
        ("Scar clean with no swelling or ooze, though her CRP is 88 and WCC 15.2.", "wbc_elevated"),
        ("Day 20, no rigors, CRP 47.", "crp_elevated"),
        ("Not sleeping, temperature 38.9 at 02:00.", "fever"),
    ],
)
def test_a_negation_of_another_noun_leaves_a_measured_value(text: str, finding: str) -> None:
    assert _read(text).get(finding) == "affirmed"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("No rise in CRP, 38 today.", "crp_elevated"),
        ("CRP not raised at 38.", "crp_elevated"),
        ("White count normal at 11.8.", "wbc_elevated"),
        ("Inflammatory markers not raised: CRP 14.", "crp_elevated"),
        (
            "Wound dry, no erythema, apyrexial, CRP 13.",
            "crp_elevated",
        ),  # borderline, among negatives
    ],
)
def test_a_negation_that_names_the_value_or_lists_a_borderline_one_still_denies_it(
    text: str, finding: str
) -> None:
    assert finding not in _read(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("the scan showed a residual of six hundred and fifty mls", "urinary_retention"),
        ("temperature thirty nine point one this evening", "fever"),
        ("her CRP came back at one hundred and forty", "crp_elevated"),
    ],
)
def test_dictated_number_words_are_read_as_values(text: str, finding: str) -> None:
    assert _read(text).get(finding) == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        "residual of forty mls after voiding",  # below the limit
        "temperature thirty seven point two",
        "he walks two hundred yards before the pain starts",  # no analyte
        "the left one is sorer than the right one",
    ],
)
def test_dictated_number_words_below_a_limit_or_without_an_analyte_give_nothing(text: str) -> None:
    found = _read(text)
    assert not {"urinary_retention", "fever", "crp_elevated"} & set(found)


def test_a_crp_rising_again_inside_the_early_window_is_the_second_rise_alone() -> None:
    """Issue 16 (precision20): crp_elevated is a raised CRP beyond the second post-operative week
    (the vocabulary); before it, a rise after the fall is crp_second_rise only. Later, or without
    a second rise, the early window's own limit still reads a very high value."""
    assert _read("POD6 CRP 140 mg/L (POD2 110, POD4 128).") == {"crp_second_rise": "affirmed"}
    assert _read("Day 12. CRP 168 (D3 102, D7 60).") == {"crp_second_rise": "affirmed"}
    assert _read("CRP 205 mg/L at day 13.") == {"crp_elevated": "affirmed"}
    late = _read("D15 post PLIF. CRP 145 (D3 was 190, D7 52).")
    assert late == {"crp_elevated": "affirmed", "crp_second_rise": "affirmed"}


def test_a_bracket_of_earlier_dated_values_does_not_date_todays_value() -> None:
    """Today's value first, the earlier ones each with its day in brackets: the report's own day
    (here day 15, told as days over seven) dates it, not the brackets' days 3 and 7."""
    assert "crp_elevated" in _read("15/7 post L4/5 PLIF. CRP 60 (D3 150, D7 40).")
    assert "crp_elevated" not in _read("5/7 post L4/5 PLIF. CRP 60.")


@pytest.mark.parametrize(
    ("text", "elevated"),
    [
        ("ESR 58 mm/h at 3 weeks post-op.", False),
        ("Day 21 bloods: ESR 64 mm/h.", False),
        ("ESR 58 mm/h at 8 weeks after the fusion.", True),
        ("ESR 58 mm/h.", True),
    ],
)
def test_a_raised_esr_is_the_finding_only_beyond_six_weeks_but_always_the_sign(
    text: str, elevated: bool
) -> None:
    read = _read(text)
    assert ("esr_elevated" in read) is elevated
    assert read.get("esr_raised") == "affirmed"
    assert is_sign("esr_raised")


def test_an_early_raised_esr_still_counts_as_the_second_marker_for_infection() -> None:
    from tests.support.report_cases import flags_reader

    flags = flags_reader(days=21)
    assert "infection" in flags("Post-op day 21: CRP 67 mg/L (ref <5), ESR 58 mm/h.")
    assert "infection" not in flags("Post-op day 21: CRP 4 mg/L, ESR 58 mm/h.")


def test_the_public_reading_api_gives_each_stretch_its_values_and_stated_reference() -> None:
    from spinetrack.domain.reports.values import stretches, without_out_of

    crp = next(rule for rule in value_rules().rules if rule.finding == "crp_elevated")
    text = "CRP 45 mg/L (ref <10), then CRP 8."
    first, second = list(stretches(crp, text))
    assert first.reference == 10
    assert [v.number for v in first.values] == [45]
    assert "10" not in first.text and len(first.text) == len(text)  # the range is blanked
    assert [v.number for v in second.values] == [8]
    assert without_out_of(crp, text) == text
