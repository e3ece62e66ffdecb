"""Standard codes on our Questionnaires' items (knowledge/interop/questionnaire_codes.yaml): only
those confirmed in clinical-facts.md, with their source; an item without one has no standard code."""

import re
from functools import cache
from typing import Self

from pydantic import model_validator

from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

CODES_FILE = "interop/questionnaire_codes.yaml"
_LOINC = re.compile(r"^(\d{1,7})-(\d)$")


def loinc_check_digit(number: str) -> int:
    """LOINC's mod-10 check digit of the part before the hyphen."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return (10 - total % 10) % 10


class QuestionnaireCodes(KnowledgeModel):
    sources: Sources
    items: dict[str, dict[str, str]]

    @model_validator(mode="after")
    def _codes_are_loinc_and_items_ours(self) -> Self:
        for instrument, codes in self.items.items():
            ours = {item.id for item in get_instrument(instrument).items}
            for item, code in codes.items():
                match = _LOINC.match(code)
                if item not in ours:
                    raise ValueError(f"{instrument}: no item {item}")
                if not match or loinc_check_digit(match[1]) != int(match[2]):
                    raise ValueError(f"{instrument}.{item}: {code} is not a valid LOINC code")
        return self


@cache
def questionnaire_codes() -> QuestionnaireCodes:
    return parse(CODES_FILE, QuestionnaireCodes)


def item_loinc(instrument: str, item: str) -> str | None:
    return questionnaire_codes().items.get(instrument, {}).get(item)
