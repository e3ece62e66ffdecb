"""Red flags of issue 16's flags16b pass, from the sentences of sentences_flags16b.yaml.

Each sentence is the only report of a case (a lumbar fusion 60 days before, unless its `case`
says otherwise), and the red flags raised must be exactly its `red_flags`: a relative's word for
the patient under a relative's opening, weight lost with an illness or on purpose, a fever felt
with no working thermometer, a bound inside a question, a wound healed since, a pathology
request's clinical details. The findings of the same sentences are scored with every sentence
file (test_corpus.py). Rules: knowledge/reports/narrators.yaml, stated_causes.yaml,
resolution_cues.yaml, finding_terms.yaml, section_scope.yaml; knowledge/triage/red_flags.yaml.
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.report_cases import flags_reader

SENTENCES = Path(__file__).with_name("sentences_flags16b.yaml")
_flags = flags_reader(days=60)


def _cases() -> list[Any]:
    items: list[dict[str, Any]] = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    return [
        pytest.param(item["text"], item.get("case") or {}, item["red_flags"], id=f"s{i}")
        for i, item in enumerate(items)
        if "red_flags" in item
    ]


@pytest.mark.parametrize(("text", "case", "flags"), _cases())
def test_the_red_flags_raised_are_those_the_sentence_calls_for(
    text: str, case: dict[str, Any], flags: list[str]
) -> None:
    assert _flags(text, **case) == sorted(flags)


def test_every_sentence_names_its_red_flags() -> None:
    items = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    assert items and all("red_flags" in item for item in items)
