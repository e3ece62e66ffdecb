"""Instrument, window and status files load, carry sources, keep the contract's item ids exactly,
and a broken definition fails with the file and the field named."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError, UnknownInstrument
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.domain.instruments import registry as instrument_registry
from spinetrack.domain.instruments.definition import InstrumentDefinition
from spinetrack.domain.knowledge import list_files, load_yaml, parse
from spinetrack.domain.outcomes.rules import pain_instruments, status_rules
from spinetrack.domain.outcomes.windows import Schedule

COMI_COMMON = ["comi_function", "comi_wellbeing", "comi_qol", "comi_social", "comi_work"]

# Straight from scoring-and-outcomes.md, "Item identifiers".
CONTRACT_ITEMS: dict[str, list[tuple[str, int, int]]] = {
    "odi": [(f"odi_{i}", 0, 5) for i in range(1, 11)],
    "ndi": [(f"ndi_{i}", 0, 5) for i in range(1, 11)],
    "nrs_back": [("nrs_back", 0, 10)],
    "nrs_leg": [("nrs_leg", 0, 10)],
    "nrs_neck": [("nrs_neck", 0, 10)],
    "nrs_arm": [("nrs_arm", 0, 10)],
    "comi_back": [("comi_back_pain", 0, 10), ("comi_leg_pain", 0, 10)]
    + [(i, 1, 5) for i in COMI_COMMON],
    "comi_neck": [("comi_neck_pain", 0, 10), ("comi_arm_pain", 0, 10)]
    + [(i, 1, 5) for i in COMI_COMMON],
}

ODI_SECTIONS = [
    "Pain intensity",
    "Personal care",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life (if applicable)",
    "Social life",
    "Travelling",
]
NDI_SECTIONS = [
    "Pain intensity",
    "Personal care",
    "Lifting",
    "Reading",
    "Headaches",
    "Concentration",
    "Work",
    "Driving",
    "Sleeping",
    "Recreation",
]

# Straight from the contract's threshold table: (MCID points, MCID %, PASS, deterioration points).
CONTRACT_THRESHOLDS = {
    "odi": ("10", "30", "22", "10"),
    "ndi": ("10", "30", "14", "10"),
    "nrs_back": ("2", "30", "3", "2"),
    "nrs_leg": ("2", "30", "3", "2"),
    "nrs_neck": ("2", "30", "3", "2"),
    "nrs_arm": ("2", "30", "3", "2"),
    "comi_back": ("2.2", None, None, "0.3"),
    "comi_neck": ("2.2", None, None, "0.3"),
}


def test_the_registry_holds_exactly_the_contracts_instruments() -> None:
    assert instrument_ids() == list(CONTRACT_ITEMS)


def test_every_file_in_the_instruments_folder_is_registered() -> None:
    files = list_files("instruments")
    assert sorted(files) == sorted(instrument_registry.definition_file(i) for i in instrument_ids())


@pytest.mark.parametrize("instrument", instrument_ids())
def test_item_ids_and_ranges_are_the_contracts(instrument: str) -> None:
    items = get_instrument(instrument).items
    assert [(i.id, i.min, i.max) for i in items] == CONTRACT_ITEMS[instrument]


def test_odi_and_ndi_items_carry_their_section_titles_in_order() -> None:
    assert [i.title for i in get_instrument("odi").items] == ODI_SECTIONS
    assert [i.title for i in get_instrument("ndi").items] == NDI_SECTIONS


@pytest.mark.parametrize("instrument", instrument_ids())
def test_thresholds_are_the_contracts(instrument: str) -> None:
    outcome = get_instrument(instrument).outcome
    mcid_percent = outcome.mcid.percent_of_baseline
    found = (
        str(outcome.mcid.points),
        None if mcid_percent is None else str(mcid_percent),
        None if outcome.pass_ is None else str(outcome.pass_.at_most),
        str(outcome.deterioration.points),
    )
    assert found == CONTRACT_THRESHOLDS[instrument]


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_rule_and_threshold_cites_sources_and_names_its_cohort(instrument: str) -> None:
    definition = get_instrument(instrument)
    outcome = definition.outcome
    assert definition.sources and definition.scoring.sources
    assert outcome.mcid.sources and outcome.mcid.cohort
    assert outcome.deterioration.sources and outcome.deterioration.cohort
    if outcome.pass_ is not None:
        assert outcome.pass_.sources and outcome.pass_.cohort


@pytest.mark.parametrize("instrument", instrument_ids())
def test_every_item_describes_its_answer_levels_within_its_range(instrument: str) -> None:
    definition = get_instrument(instrument)
    for item in definition.items:
        levels = definition.levels_of(item)
        assert item.min in levels and item.max in levels
        if item.max - item.min <= 5:
            assert sorted(levels) == list(range(item.min, item.max + 1))


def test_regions_and_kinds_follow_the_instrument() -> None:
    found = {i: (get_instrument(i).kind, get_instrument(i).region) for i in instrument_ids()}
    assert found == {
        "odi": ("disability", "lumbar"),
        "ndi": ("disability", "cervical"),
        "nrs_back": ("pain", "lumbar"),
        "nrs_leg": ("pain", "lumbar"),
        "nrs_neck": ("pain", "cervical"),
        "nrs_arm": ("pain", "cervical"),
        "comi_back": ("comi", "lumbar"),
        "comi_neck": ("comi", "cervical"),
    }


def test_status_rules_name_odi_before_ndi_and_judge_from_three_months() -> None:
    rules = status_rules()
    assert rules.disability_instruments == ("odi", "ndi")
    assert rules.judged_from.timepoint == "3m" and rules.judged_from.sources
    assert pain_instruments() == ("nrs_arm", "nrs_back", "nrs_leg", "nrs_neck")


def test_an_unknown_instrument_is_named_in_the_error() -> None:
    with pytest.raises(UnknownInstrument):
        get_instrument("oswestry")


# Broken on purpose: each must fail naming the file and the field.


def _odi() -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(load_yaml("instruments/odi.yaml"))
    return data


def _break(change: str) -> dict[str, Any]:
    data = _odi()
    if change == "unknown key":
        data["scoring"]["maximum_missing"] = 2
    elif change == "threshold without sources":
        data["outcome"]["mcid"]["sources"] = []
    elif change == "threshold finer than hundredths":
        data["outcome"]["mcid"]["points"] = 10.005
    elif change == "item range upside down":
        data["items"][0]["min"] = 5
        data["items"][0]["max"] = 0
    elif change == "unknown method":
        data["scoring"]["method"] = "sum"
    elif change == "duplicate item":
        data["items"][1]["id"] = "odi_1"
    elif change == "level outside the range":
        data["levels"][6] = "beyond the scale"
    elif change == "higher is better":
        data["outcome"]["better"] = "higher"
    return data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("unknown key", "scoring.percent_of_max.maximum_missing"),
        ("threshold without sources", "outcome.mcid.sources"),
        ("threshold finer than hundredths", "outcome.mcid"),
        ("item range upside down", "items.0"),
        ("unknown method", "scoring"),
        ("duplicate item", ""),
        ("level outside the range", ""),
        ("higher is better", "outcome.better"),
    ],
)
def test_a_broken_instrument_definition_names_the_file_and_field(change: str, field: str) -> None:
    with pytest.raises(KnowledgeError) as raised:
        parse("instruments/broken.yaml", InstrumentDefinition, _break(change))
    assert raised.value.file == "instruments/broken.yaml"
    assert raised.value.field == field


def test_a_definition_scored_by_another_method_than_the_registry_says_does_not_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    methods = dict(instrument_registry._METHODS)
    methods["odi"] = methods["comi_back"]
    monkeypatch.setattr(instrument_registry, "_METHODS", methods)
    instrument_registry._load.cache_clear()
    try:
        with pytest.raises(KnowledgeError) as raised:
            get_instrument("odi")
        assert raised.value.field == "scoring.method"
    finally:
        instrument_registry._load.cache_clear()


def _windows() -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(load_yaml("outcomes/windows.yaml"))
    return data


def test_overlapping_windows_do_not_load() -> None:
    data = _windows()
    data["timepoints"][2]["start"] = 60
    with pytest.raises(KnowledgeError, match="3m must start after 6w ends"):
        parse("outcomes/windows.yaml", Schedule, data)


def test_a_nominal_day_outside_its_window_does_not_load() -> None:
    data = _windows()
    data["timepoints"][1]["nominal"] = 80
    with pytest.raises(KnowledgeError) as raised:
        parse("outcomes/windows.yaml", Schedule, data)
    assert raised.value.field == "timepoints.1"


def test_the_first_time_point_must_be_the_baseline_ending_by_day_zero() -> None:
    data = _windows()
    data["timepoints"][0]["end"] = 5
    data["timepoints"][0]["nominal"] = 5
    with pytest.raises(KnowledgeError, match="the first time point is the baseline"):
        parse("outcomes/windows.yaml", Schedule, data)


def test_an_item_without_any_answer_labels_does_not_load() -> None:
    data = _odi()
    data["levels"] = {}
    with pytest.raises(KnowledgeError, match="odi_1: no answer levels described"):
        parse("instruments/broken.yaml", InstrumentDefinition, data)
