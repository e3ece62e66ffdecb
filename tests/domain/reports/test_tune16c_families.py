"""Imaging and procedure findings told in the general ways of tune16c (issue 16).

Each sentence of sentences_tune16c.yaml is read alone: a finding it lists as affirmed or uncertain
must be read with that status, and one it lists as negated, historical, family, resolved or
hypothetical must not be read as present. The families: a diagnostic block told by its joint
elsewhere in the record, one block of a pair or relief short of the line (possible), motion on
flexion-extension films ("flex/ex", more translation than the neighbours, interval change), the
operated level called correct or a level error only feared, a question-marked imaging finding, and a
study that shows nothing to explain the symptoms (or does not, when it names an abnormality).
"""

from pathlib import Path
from typing import Any

import pytest
import yaml

from spinetrack.domain.reports import find_in_reports

SENTENCES = Path(__file__).with_name("sentences_tune16c.yaml")
PRESENT = {"affirmed", "uncertain"}


def _sentences() -> list[dict[str, Any]]:
    return list(yaml.safe_load(SENTENCES.read_text(encoding="utf-8")))


def _found(sentence: str) -> dict[str, str]:
    """The findings read as present (affirmed or uncertain), with their status."""
    return {m.id: m.status for m in find_in_reports([sentence]) if m.status in PRESENT}


@pytest.mark.parametrize("item", _sentences(), ids=lambda item: item["text"][:60])
def test_each_sentence_reads_as_written(item: dict[str, Any]) -> None:
    found = _found(item["text"])
    for finding, status in item["expect"].items():
        if status in PRESENT:
            assert found.get(finding) == status, (finding, status, found)
        else:
            assert finding not in found, (finding, status, found)
