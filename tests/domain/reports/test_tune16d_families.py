"""Symptom findings told in general families of wording (tune16d, issue 16).

The families were written from how clinicians, nurses, physios and patients say these findings,
after reading which development-set mentions the reader missed or misread: cancer and immune drugs
by name or class, a long-term medicine paused for the operation or dated by its last dose, breath
hard to get or a saturation under 90%, numbness on a face of the foot, carried into a toe or round
the trunk in a band, a walk that fails heel to toe or grows wider, legs that give out after a
distance, urgency and leaks in lay words, a seat or the perineum that cannot be felt, distress
scales (K10, GDS-15, EPDS) and claims told by whom they are made against. Each family stands
beside a look-alike that must stay unread. The sentences (sentences_tune16d.yaml) are written for
these tests, not taken from the corpus; test_corpus.py also scores them with every other
sentence file.
"""

from pathlib import Path

import pytest
import yaml

from spinetrack.domain.reports import find_in_reports

SENTENCES = Path(__file__).with_name("sentences_tune16d.yaml")
PRESENT = {"affirmed", "uncertain"}


def _sentences() -> list[tuple[str, dict[str, str]]]:
    raw = yaml.safe_load(SENTENCES.read_text(encoding="utf-8"))
    return [(item["text"], dict(item["expect"])) for item in raw]


def _found(sentence: str) -> dict[str, str]:
    """The findings and signs read as present (affirmed or uncertain), with their status."""
    found: dict[str, str] = {}
    for mention in find_in_reports([sentence]):
        if found.get(mention.id) != "affirmed":
            found[mention.id] = mention.status
    return found


@pytest.mark.parametrize(("sentence", "expect"), _sentences())
def test_reads_what_the_sentence_states_and_nothing_else(
    sentence: str, expect: dict[str, str]
) -> None:
    wanted = {finding: status for finding, status in expect.items() if status in PRESENT}
    assert _found(sentence) == wanted


def test_every_family_has_a_look_alike_left_unread() -> None:
    """At least one sentence in the file expects nothing read, or a finding only as not present."""
    quiet = [
        text
        for text, expect in _sentences()
        if not any(status in PRESENT for status in expect.values())
    ]
    assert len(quiet) >= 5
