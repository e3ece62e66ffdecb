"""Each scoring method refuses a definition it cannot score (a load error, never a wrong score), and
says which number outcomes are judged on."""

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.instruments import get_instrument, score
from spinetrack.domain.instruments import registry as instrument_registry
from spinetrack.domain.instruments.methods import comi, percent_of_max, single_item
from spinetrack.domain.instruments.rounding import half_up
from spinetrack.domain.outcomes.points import score_range


def test_each_method_refuses_a_definition_written_for_another() -> None:
    with pytest.raises(ValueError, match="not scored as a percentage"):
        percent_of_max.check(get_instrument("comi_back"))
    with pytest.raises(ValueError, match="not scored by COMI domains"):
        comi.check(get_instrument("odi"))
    with pytest.raises(ValueError, match="not a single-item instrument"):
        single_item.check(get_instrument("odi"))


def test_percent_of_max_needs_items_from_zero_to_one_shared_maximum() -> None:
    odi = get_instrument("odi")
    shifted = odi.items[0].model_copy(update={"min": 1})
    with pytest.raises(ValueError, match="start at 0"):
        percent_of_max.check(odi.model_copy(update={"items": (shifted, *odi.items[1:])}))
    taller = odi.items[0].model_copy(update={"max": 6})
    with pytest.raises(ValueError, match="same maximum"):
        percent_of_max.check(odi.model_copy(update={"items": (taller, *odi.items[1:])}))
    lenient = odi.scoring.model_copy(update={"max_missing": 10})
    with pytest.raises(ValueError, match="at least one item"):
        percent_of_max.check(odi.model_copy(update={"scoring": lenient}))


def test_comi_needs_every_item_in_exactly_one_domain() -> None:
    definition = get_instrument("comi_back")
    rule = definition.scoring
    fewer = rule.model_copy(update={"domains": rule.domains[:-1]})  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="exactly one domain"):
        comi.check(definition.model_copy(update={"scoring": fewer}))


def test_single_item_needs_exactly_one_item() -> None:
    nrs = get_instrument("nrs_back")
    with pytest.raises(ValueError, match="exactly one item"):
        single_item.check(nrs.model_copy(update={"items": nrs.items * 2}))


def test_a_method_that_refuses_the_definition_makes_it_a_load_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(definition: object) -> None:
        raise ValueError("cannot score this")

    monkeypatch.setattr(percent_of_max, "check", refuse)
    instrument_registry._load.cache_clear()
    try:
        with pytest.raises(KnowledgeError) as raised:
            get_instrument("ndi")
        assert (raised.value.field, raised.value.message) == (
            "scoring",
            "instruments/ndi.yaml: scoring: cannot score this",
        )
    finally:
        instrument_registry._load.cache_clear()


def test_a_file_describing_another_instrument_than_its_registry_id_does_not_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = dict(instrument_registry._DEFINITION_FILES)
    files["ndi"] = files["odi"]
    monkeypatch.setattr(instrument_registry, "_DEFINITION_FILES", files)
    instrument_registry._load.cache_clear()
    try:
        with pytest.raises(KnowledgeError) as raised:
            get_instrument("ndi")
        assert raised.value.field == "id"
    finally:
        instrument_registry._load.cache_clear()


@pytest.mark.parametrize(
    ("instrument", "scale"),
    [("odi", (0, 100)), ("ndi", (0, 100)), ("nrs_arm", (0, 10)), ("comi_neck", (0, 10))],
)
def test_outcomes_are_judged_on_percent_for_odi_and_ndi_and_the_score_otherwise(
    instrument: str, scale: tuple[float, float]
) -> None:
    assert score_range(instrument) == scale


def test_outcome_scores_come_from_percent_or_raw() -> None:
    odi = score("odi", {f"odi_{i}": 1 for i in range(1, 11)})
    nrs = score("nrs_neck", {"nrs_neck": 4})
    assert percent_of_max.outcome_score(odi) == 20.0
    assert single_item.outcome_score(nrs) == 4.0
    assert comi.outcome_score(score("comi_back", {"comi_back_pain": 10})) is None


def test_a_definition_looks_up_its_items_by_id() -> None:
    odi = get_instrument("odi")
    assert odi.item("odi_4").title == "Walking"
    with pytest.raises(KeyError):
        odi.item("odi_11")


def test_rounding_half_up_goes_away_from_zero_and_needs_a_positive_denominator() -> None:
    assert (half_up(5, 2), half_up(-5, 2), half_up(4, 3), half_up(-4, 3)) == (3, -3, 1, -1)
    with pytest.raises(ValueError):
        half_up(1, 0)
