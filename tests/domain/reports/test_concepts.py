"""Concepts: word groups close together in one clause, blocked by negation, hedged by doubt."""

from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.concepts import (
    compile_concepts,
    match_concepts,
    parse_concepts,
)

SOURCE = ["A test source"]


def _rules(**concept: Any) -> dict[str, Any]:
    return {
        "note": "test",
        "sources": SOURCE,
        "groups": {
            "pain": ["pain", "ache"],
            "extension": ["extension", "leaning back", "extend*"],
            "full": ["full", "pain - free"],
        },
        "blockers": ["not", "no", "before"],
        "hedges": ["may", "possibly"],
        "boundaries": [";", "but"],
        "concepts": [
            {
                "finding": "extension_pain",
                "all_of": ["pain", "extension"],
                "window": 5,
                "sources": SOURCE,
                **concept,
            }
        ],
    }


def _read(sentence: str, **concept: Any) -> list[tuple[str, int, int, bool]]:
    rules = compile_concepts(parse_concepts(_rules(**concept)))
    return [
        (m.finding, m.first, m.last, m.uncertain)
        for m in match_concepts(sentence.lower().split(), rules)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "back ache on extension",
        "worse on extension , back pain",
        "pain when leaning back",
        "pain extending",
    ],
)
def test_the_groups_meet_in_any_order_and_form(sentence: str) -> None:
    assert [m[0] for m in _read(sentence)] == ["extension_pain"]


def test_the_mention_runs_from_the_first_word_to_the_last() -> None:
    assert _read("some back ache on extension") == [("extension_pain", 2, 4, False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "pain on walking and standing for an hour , then extension",  # out of the window
        "pain at rest ; extension is easy",  # another clause
        "pain at rest but extension is easy",
        "pain is not brought on by extension",  # a negation between the words
        "extension full and pain - free",  # a none_of group in the clause
    ],
)
def test_words_apart_negated_or_excluded_are_no_concept(sentence: str) -> None:
    assert _read(sentence, none_of=["full"]) == []


def test_a_hedge_between_the_words_makes_the_mention_uncertain() -> None:
    assert _read("pain may be from extension") == [("extension_pain", 0, 4, True)]


def test_a_blocker_inside_the_concepts_own_words_does_not_block_it() -> None:
    data = _rules(window=8)
    data["groups"]["extension"] = ["worse than before on extension"]
    rules = compile_concepts(parse_concepts(data))
    assert match_concepts(["pain", "worse", "than", "before", "on", "extension"], rules)


def test_an_ordered_concept_needs_its_groups_in_order() -> None:
    assert [m[0] for m in _read("pain on extension", ordered=True)] == ["extension_pain"]
    assert _read("extension gives pain", ordered=True) == []
    assert [m[0] for m in _read("extension gives pain")] == ["extension_pain"]


def test_an_unknown_word_group_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="unknown word group 'flexion'"):
        parse_concepts(_rules(all_of=["pain", "flexion"]))


def test_an_unknown_finding_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="unknown finding"):
        parse_concepts(_rules(finding="back_pain"))


def test_words_are_lower_case_with_a_star_only_at_the_end() -> None:
    data = _rules()
    data["groups"]["pain"] = ["Pain"]
    with pytest.raises(KnowledgeError, match="lower case"):
        parse_concepts(data)


def test_the_shipped_concepts_load_and_name_their_sources() -> None:
    concepts = parse_concepts()
    assert concepts.concepts
    assert all(concept.sources for concept in concepts.concepts)


@pytest.mark.parametrize(
    ("sentence", "finding"),
    [
        ("Foot drop is worsening.", "progressive_weakness"),
        ("Increasing weakness in both legs.", "progressive_weakness"),
        ("Right foot drop developing since this morning.", "progressive_weakness"),
        ("He can no longer lift his foot.", "new_weakness"),
        ("Unable to walk on her heels.", "new_weakness"),
        ("New difficulty initiating micturition.", "bladder_dysfunction"),
        ("Struggling to pass urine.", "bladder_dysfunction"),
        ("Bilateral sciatica and new difficulty passing urine.", "bladder_dysfunction"),
        ("Balance has worsened.", "gait_disturbance"),
        ("Trouble with fine hand movements over the past month.", "hand_clumsiness"),
        ("Fluid collection posterior to the thecal sac.", "mri_epidural_collection"),
        ("She can't feel when she is passing water.", "bladder_dysfunction"),
        ("Numb where she sits, like sitting on cotton wool.", "saddle_anesthesia"),
        ("Pad soaked with strike-through from the wound overnight.", "wound_drainage"),
        ("Slipped on the wet bathroom floor yesterday, no injury.", "falls"),
        ("Both legs are weak this morning.", "new_weakness"),
        ("Neck sore when he turns to reverse the car.", "mechanical_pain"),
        ("His hands tingle at night.", "bilateral_limb_symptoms"),
    ],
)
def test_shipped_concepts_read_ward_and_radiology_paraphrases(sentence: str, finding: str) -> None:
    assert finding in {m.id for m in find_in_reports([sentence])}


def test_a_collection_that_communicates_with_the_sac_is_not_read_as_epidural() -> None:
    report = (
        "Fluid collection posterior to the thecal sac, communicating with it via a narrow neck."
    )
    assert "mri_epidural_collection" not in {m.id for m in find_in_reports([report])}


def test_a_concept_reaching_beyond_a_term_takes_its_place_so_its_own_negation_is_pruned() -> None:
    # "wet himself" is a term; the concept adds "without knowing", whose "without" would
    # otherwise negate the pain in both legs that follows.
    report = "He wet himself this morning without knowing, and has pain down both legs."
    found = {m.id: m.status for m in find_in_reports([report])}
    assert found == {"bladder_dysfunction": "affirmed", "bilateral_limb_symptoms": "affirmed"}


def test_a_word_inside_a_mask_phrase_counts_for_no_group() -> None:
    data = _rules()
    data["masks"] = ["leaning back on a chair"]
    rules = compile_concepts(parse_concepts(data))
    masked = ["pain", "eased", "by", "leaning", "back", "on", "a", "chair"]
    assert match_concepts(masked, rules) == []
    assert [m.finding for m in match_concepts(["pain", "on", "extension"], rules)] == [
        "extension_pain"
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Wound clean and dry on discharge home.", set()),
        ("Wound dry at discharge, sutures out day 10.", set()),
        ("Wound still oozing on discharge.", {"wound_drainage"}),
        ("Wound oozing since discharge.", {"wound_drainage"}),
        ("Discharge summary: wound leaking serous fluid.", {"wound_drainage"}),
    ],
)
def test_discharge_from_hospital_is_not_discharge_from_the_wound(
    sentence: str, expected: set[str]
) -> None:
    assert {m.id for m in find_in_reports([sentence])} & {"wound_drainage"} == expected
