"""Plain language: every page reads at about school grade 8 at most, the library at about grade 7.

The syllable count is a heuristic, so the limits leave a margin; the test catches pages drifting into
long sentences and long words, which is what makes patient text hard to read.
"""

import re

import pytest
from markdown_it import MarkdownIt

from spinetrack.domain.education import entries
from spinetrack.domain.education.citations import strip_citations

PAGE_LIMIT = 9.0
LIBRARY_LIMIT = 7.0
_PARSER = MarkdownIt("commonmark")


def syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word).removeprefix("y")
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def sentences(markdown: str) -> list[list[str]]:
    """Each paragraph, list item, heading and table cell ends a sentence, as readers take them."""
    found = []
    for token in _PARSER.parse(markdown):
        if token.type != "inline":
            continue
        for sentence in re.split(r"(?<=[.!?:;])\s+", token.content):
            words = re.findall(r"[A-Za-z][A-Za-z'-]*", re.sub(r"\]\([^)]*\)", "]", sentence))
            if words:
                found.append(words)
    return found


def grade(markdown: str) -> float:
    parts = sentences(markdown)
    words = [w for sentence in parts for w in sentence]
    return (
        0.39 * len(words) / len(parts)
        + 11.8 * sum(syllables(w) for w in words) / len(words)
        - 15.59
    )


def _body(entry_id: str) -> str:
    sections = next(e for e in entries() if e.id == entry_id).sections
    return strip_citations("\n\n".join(s.markdown for s in sections))


def test_the_estimate_tells_plain_text_from_dense_text() -> None:
    plain = "The bone did not heal. It can hurt. Your team will check it with a scan."
    dense = (
        "Radiographic demonstration of persistent intersegmental mobility, notwithstanding "
        "instrumentation, substantiates the presumptive diagnosis of symptomatic pseudarthrosis."
    )
    assert grade(plain) < 4 < 16 < grade(dense)


@pytest.mark.parametrize("entry_id", [e.id for e in entries()])
def test_every_page_reads_at_about_grade_eight(entry_id: str) -> None:
    assert grade(_body(entry_id)) <= PAGE_LIMIT


def test_the_library_as_a_whole_reads_at_about_grade_seven() -> None:
    grades = [grade(_body(e.id)) for e in entries()]
    assert sum(grades) / len(grades) <= LIBRARY_LIMIT
