"""A clinic's licensed Questionnaire is accepted only with the built-in item linkIds and answer
ranges, and every refusal names what differs."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments.licensed_text import MAX_VALUE, MIN_VALUE, check_questionnaire


def choice(link_id: str, low: int, high: int) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "type": "choice",
        "text": f"Licensed wording of {link_id}",
        "answerOption": [
            {"valueCoding": {"code": str(v), "display": f"answer {v}"}}
            for v in range(low, high + 1)
        ],
    }


def scale(link_id: str, low: int, high: int) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "type": "integer",
        "text": f"Licensed wording of {link_id}",
        "extension": [
            {"url": MIN_VALUE, "valueInteger": low},
            {"url": MAX_VALUE, "valueInteger": high},
        ],
    }


def odi_questionnaire() -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {
                "linkId": "sections",
                "type": "group",
                "item": [choice(f"odi_{i}", 0, 5) for i in range(1, 11)],
            }
        ],
    }


def refusal(document: Any, instrument: str | None = None) -> str:
    with pytest.raises(InvalidInput) as raised:
        check_questionnaire(document, instrument)
    return raised.value.message


def test_a_questionnaire_with_the_odi_items_and_ranges_is_accepted() -> None:
    assert check_questionnaire(odi_questionnaire()).id == "odi"


def test_the_nrs_as_an_integer_item_with_min_and_max_is_accepted() -> None:
    document = {"resourceType": "Questionnaire", "item": [scale("nrs_leg", 0, 10)]}
    assert check_questionnaire(document).id == "nrs_leg"


def test_answer_values_may_come_from_integer_options_or_item_weights() -> None:
    document = odi_questionnaire()
    sections = document["item"][0]["item"]
    sections[0]["answerOption"] = [{"valueInteger": v} for v in range(6)]
    weight = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    sections[1]["answerOption"] = [
        {"valueCoding": {"code": f"LA{v}", "extension": [{"url": weight, "valueDecimal": v}]}}
        for v in range(6)
    ]
    assert check_questionnaire(document).id == "odi"


def test_something_other_than_a_questionnaire_is_refused() -> None:
    assert refusal({"resourceType": "Patient"}) == 'resourceType: must be "Questionnaire"'
    assert refusal([1, 2]) == 'resourceType: must be "Questionnaire"'


def test_a_missing_item_is_named() -> None:
    document = odi_questionnaire()
    del document["item"][0]["item"][7]
    assert refusal(document) == "item: missing items of odi: odi_8"


def test_an_extra_item_is_named() -> None:
    document = odi_questionnaire()
    document["item"][0]["item"].append(choice("odi_11", 0, 5))
    assert refusal(document) == "item: items that are not in odi: odi_11"


def test_a_repeated_link_id_is_refused() -> None:
    document = odi_questionnaire()
    document["item"][0]["item"].append(copy.deepcopy(document["item"][0]["item"][0]))
    assert refusal(document) == "item: linkId used more than once: odi_1"


def test_an_answer_range_that_differs_is_refused() -> None:
    document = odi_questionnaire()
    document["item"][0]["item"][2] = choice("odi_3", 1, 6)
    assert refusal(document) == "odi_3: answer values [1, 2, 3, 4, 5, 6] differ from 0-5"


def test_a_scale_with_other_bounds_is_refused() -> None:
    document = {"resourceType": "Questionnaire", "item": [scale("nrs_back", 1, 10)]}
    assert refusal(document) == "nrs_back: answer range 1-10 differs from 0-10"


def test_an_item_without_readable_answers_is_refused() -> None:
    document = {"resourceType": "Questionnaire", "item": [{**scale("nrs_back", 0, 10)}]}
    document["item"][0]["type"] = "string"
    assert refusal(document).startswith("nrs_back: answers must be whole numbers 0-10")


def test_an_item_without_text_is_refused() -> None:
    document = odi_questionnaire()
    del document["item"][0]["item"][4]["text"]
    assert refusal(document) == "odi_5: has no text; the file should carry the licensed wording"


def test_an_item_without_link_id_is_refused() -> None:
    document = odi_questionnaire()
    del document["item"][0]["item"][0]["linkId"]
    assert refusal(document) == "item[0].item[0]: has no linkId"


def test_items_of_no_known_instrument_are_refused() -> None:
    document = {"resourceType": "Questionnaire", "item": [choice("q1", 0, 5)]}
    assert refusal(document) == "item: no linkId matches an item of a built-in instrument"


def test_comi_items_shared_by_both_versions_need_the_instrument_named() -> None:
    document = {
        "resourceType": "Questionnaire",
        "item": [choice(i, 1, 5) for i in ("comi_function", "comi_qol")],
    }
    assert refusal(document) == "item: could be comi_back or comi_neck; name the instrument"
    assert refusal(document, "comi_neck").startswith("item: missing items of comi_neck")


def test_items_that_are_not_a_list_of_objects_are_refused() -> None:
    assert refusal({"resourceType": "Questionnaire", "item": {}}) == "item: must be a list of items"
    assert refusal({"resourceType": "Questionnaire", "item": ["odi_1"]}) == (
        "item[0]: must be an object"
    )


def test_answer_values_written_as_strings_or_whole_decimals_are_read() -> None:
    document = odi_questionnaire()
    sections = document["item"][0]["item"]
    sections[0]["answerOption"] = [{"valueString": f" {v} "} for v in range(6)]
    sections[1]["answerOption"] = [{"valueInteger": float(v)} for v in range(6)]
    assert check_questionnaire(document).id == "odi"


@pytest.mark.parametrize("option", [{"valueInteger": True}, "0", {"valueString": "none"}])
def test_an_answer_option_without_a_whole_number_is_unreadable(option: object) -> None:
    document = odi_questionnaire()
    document["item"][0]["item"][0]["answerOption"][0] = option
    assert refusal(document).startswith("odi_1: answers must be whole numbers 0-5")
