"""A clinic's licensed questionnaire text (a FHIR Questionnaire, read as plain JSON) checked against
the built-in definition: the same item linkIds and the same answer ranges, so loading the licensed
wording can never change how a response is scored."""

from collections.abc import Iterator
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments.definition import InstrumentDefinition, Item
from spinetrack.domain.instruments.registry import get_instrument, instrument_ids

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
WEIGHTS = (
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
)
_CONTAINERS = ("group", "display")


def _questions(items: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every answerable item, however deeply nested in groups, with its JSON path."""
    if items is None:
        return
    if not isinstance(items, list):
        raise InvalidInput(path, "must be a list of items")
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(here, "must be an object")
        if item.get("type") not in _CONTAINERS:
            yield here, item
        yield from _questions(item.get("item"), f"{here}.item")


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return None


def _extension(node: dict[str, Any], urls: tuple[str, ...]) -> int | None:
    for extension in node.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") in urls:
            for key in ("valueInteger", "valueDecimal"):
                if key in extension:
                    return _whole(extension[key])
    return None


def _option_value(option: Any) -> int | None:
    if not isinstance(option, dict):
        return None
    if "valueInteger" in option:
        return _whole(option["valueInteger"])
    coding = option.get("valueCoding")
    if isinstance(coding, dict):
        weight = _extension(coding, WEIGHTS)
        return weight if weight is not None else _whole(coding.get("code"))
    return _whole(option.get("valueString"))


def _answer_range(item: dict[str, Any]) -> set[int] | tuple[int | None, int | None] | None:
    options = item.get("answerOption")
    if isinstance(options, list) and options:
        values = [_option_value(option) for option in options]
        return None if None in values else {v for v in values if v is not None}
    if item.get("type") in ("integer", "decimal"):
        return (_extension(item, (MIN_VALUE,)), _extension(item, (MAX_VALUE,)))
    return None


def _check_item(link_id: str, item: dict[str, Any], expected: Item) -> None:
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(link_id, "has no text; the file should carry the licensed wording")
    found = _answer_range(item)
    wanted = f"{expected.min}-{expected.max}"
    if found is None:
        raise InvalidInput(
            link_id, f"answers must be whole numbers {wanted} (answerOption or minValue/maxValue)"
        )
    if isinstance(found, set) and found != set(range(expected.min, expected.max + 1)):
        raise InvalidInput(link_id, f"answer values {sorted(found)} differ from {wanted}")
    if isinstance(found, tuple) and found != (expected.min, expected.max):
        low, high = ("?" if v is None else v for v in found)
        raise InvalidInput(link_id, f"answer range {low}-{high} differs from {wanted}")


def _instrument_for(link_ids: list[str], stated: str | None) -> InstrumentDefinition:
    if stated is not None:
        return get_instrument(stated)
    overlap = {
        i: len(set(link_ids) & {x.id for x in get_instrument(i).items}) for i in instrument_ids()
    }
    best = max(overlap.values(), default=0)
    candidates = [i for i, n in overlap.items() if n == best and n > 0]
    if not candidates:
        raise InvalidInput("item", "no linkId matches an item of a built-in instrument")
    if len(candidates) > 1:
        raise InvalidInput("item", f"could be {' or '.join(candidates)}; name the instrument")
    return get_instrument(candidates[0])


def check_questionnaire(document: Any, instrument: str | None = None) -> InstrumentDefinition:
    """The built-in definition a Questionnaire matches; raises InvalidInput naming what differs."""
    if not isinstance(document, dict) or document.get("resourceType") != "Questionnaire":
        raise InvalidInput("resourceType", 'must be "Questionnaire"')
    questions = list(_questions(document.get("item"), "item"))
    link_ids = [item.get("linkId") for _, item in questions]
    for (path, _), link_id in zip(questions, link_ids, strict=True):
        if not isinstance(link_id, str) or not link_id:
            raise InvalidInput(path, "has no linkId")
    ids = [str(link_id) for link_id in link_ids]
    definition = _instrument_for(ids, instrument)
    expected = {item.id: item for item in definition.items}
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    missing = [i for i in expected if i not in ids]
    extra = [i for i in ids if i not in expected]
    if duplicated:
        raise InvalidInput("item", f"linkId used more than once: {', '.join(duplicated)}")
    if missing:
        raise InvalidInput("item", f"missing items of {definition.id}: {', '.join(missing)}")
    if extra:
        raise InvalidInput("item", f"items that are not in {definition.id}: {', '.join(extra)}")
    for (_, item), link_id in zip(questions, ids, strict=True):
        _check_item(link_id, item, expected[link_id])
    return definition
