"""How FHIR import reads outside systems' free text (knowledge/interop/text_reading.yaml): approach
abbreviations, the usual approach of an operation by region, what a fusion's text says of its
instrumentation, where a pain score hurts, and the kind of an uncoded complication. Word lists, not
clinical rules; what they leave ambiguous stays unknown."""

import re
from functools import cache
from typing import Self

from pydantic import model_validator

from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.sources import Sources

TEXT_FILE = "interop/text_reading.yaml"


class Instrumentation(KnowledgeModel):
    says_yes: list[str]
    says_no: list[str]


class TextReading(KnowledgeModel):
    sources: Sources
    approach_words: dict[str, str]
    usual_approach_by_region: dict[str, dict[str, str]]
    instrumentation: Instrumentation
    pain_codes: dict[str, list[str]]
    pain_sites: dict[str, list[str]]
    pain_site_labels: dict[str, str]
    pain_site_by_region: dict[str, str]
    complication_words: list[tuple[list[str], str]]

    @model_validator(mode="after")
    def _terms_are_ours(self) -> Self:
        approaches = set(surgery_matrix().approaches)
        named = set(self.approach_words.values())
        named |= {a for by in self.usual_approach_by_region.values() for a in by.values()}
        instruments = set(self.pain_sites) | set(self.pain_site_by_region.values())
        instruments |= set(self.pain_site_labels)
        kinds = {kind for _, kind in self.complication_words}
        for what, found, known in (
            ("approach", named, approaches),
            ("instrument", instruments, set(instrument_ids())),
            ("complication", kinds, set(catalogue().kinds)),
        ):
            if found - known:
                raise ValueError(f"unknown {what}: {sorted(found - known)}")
        return self


@cache
def text_reading() -> TextReading:
    return parse(TEXT_FILE, TextReading)


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None


def approach_named(text: str) -> set[str]:
    """Approaches named by an abbreviation (PLIF, ACDF...) or by their own word in the text."""
    words = text.lower()
    found = {a for w, a in text_reading().approach_words.items() if _has(words, w)}
    return found | {a for a in surgery_matrix().approaches if _has(words, a)}


def usual_approach(procedure: str, region: str) -> str | None:
    return text_reading().usual_approach_by_region.get(procedure, {}).get(region)


def fusion_instrumented(text: str) -> bool | None:
    """What a fusion's text says of instrumentation: True, False (denied), or None (silent)."""
    words = text.lower()
    if any(_has(words, w) for w in text_reading().instrumentation.says_no):
        return False
    if any(_has(words, w) for w in text_reading().instrumentation.says_yes):
        return True
    return None


def is_pain_code(system: str, code: str) -> bool:
    return code in text_reading().pain_codes.get(system, [])


def pain_site(text: str) -> str | None:
    """The NRS instrument a pain score's site words name, when they name exactly one."""
    words = text.lower()
    found = [i for i, ws in text_reading().pain_sites.items() if any(_has(words, w) for w in ws)]
    return found[0] if len(found) == 1 else None


def pain_site_label(instrument: str) -> str | None:
    """The body-site words of an NRS instrument's pain ('Leg'), None for other instruments."""
    return text_reading().pain_site_labels.get(instrument)


def pain_site_labels() -> dict[str, str]:
    """NRS instrument -> the body-site words its pain is exported with."""
    return dict(text_reading().pain_site_labels)


def pain_site_of_region(region: str | None) -> str:
    return text_reading().pain_site_by_region.get(region or "", "nrs_back")


def complication_named(text: str) -> str:
    """Our complication kind named by an uncoded complication's text; `other` when none is."""
    words = text.lower()
    for phrases, kind in text_reading().complication_words:
        if any(w in words for w in phrases):
            return kind
    return "other"
