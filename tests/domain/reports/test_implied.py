"""A finding whose definition contains another's brings it along (implied.py)."""

from dataclasses import replace

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.reports import Mention, find_in_reports, read_mentions
from spinetrack.domain.reports.implied import implications, parse_implied, with_implied


def _ids(text: str) -> dict[str, str]:
    return {m.id: m.certainty for m in find_in_reports([text])}


def test_a_fall_after_surgery_is_also_significant_trauma() -> None:
    found = _ids("Three weeks after the fusion he has had two falls at home.")
    assert found.get("falls") == "affirmed"
    assert found.get("significant_trauma") == "affirmed"


def test_the_implied_finding_quotes_the_same_words_and_keeps_the_hedge() -> None:
    text = "Possibly two falls overnight per the night staff."
    mentions = {m.id: m for m in find_in_reports([text])}
    fall, trauma = mentions["falls"], mentions["significant_trauma"]
    assert (trauma.start, trauma.end, trauma.text) == (fall.start, fall.end, fall.text)
    assert trauma.certainty == fall.certainty


def test_a_denied_fall_implies_nothing() -> None:
    found = _ids("No falls since the operation. Walking with one stick.")
    assert "falls" not in found
    assert "significant_trauma" not in found


def test_weakness_getting_worse_is_also_new_weakness() -> None:
    found = _ids(
        "Left foot dorsiflexion weakness getting worse day by day since the decompression."
    )
    assert "progressive_weakness" in found
    assert "new_weakness" in found


def test_every_status_is_carried_over_not_only_findings() -> None:
    told = Mention(id="falls", text="fell", report=0, start=4, end=8, status="historical")
    assert with_implied([told]) == [told, replace(told, id="significant_trauma")]


def test_words_already_read_as_the_wider_finding_are_not_doubled() -> None:
    mentions = read_mentions(["He fell from a ladder on Sunday."])
    keys = [(m.id, m.start, m.end) for m in mentions]
    assert len(keys) == len(set(keys))
    assert len(with_implied(mentions)) == len(mentions)


def test_the_shipped_implications() -> None:
    assert implications() == {
        "falls": ("significant_trauma",),
        "progressive_weakness": ("new_weakness",),
    }


def test_an_unknown_finding_is_refused() -> None:
    data = {
        "note": "n",
        "sources": ["the triage vocabulary"],
        "implied": [{"finding": "falls", "implies": "major_trauma"}],
    }
    with pytest.raises(KnowledgeError, match="unknown finding 'major_trauma'"):
        parse_implied(data)
