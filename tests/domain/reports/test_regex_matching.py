"""The pipeline's regex matchers read the text once and match as medspaCy's own matcher does.

medspaCy is imported after the pipeline is built, as the reader does (its import warns otherwise).
"""

from typing import Any

import pytest

from spinetrack.domain.reports.pipeline import pipeline

TEXTS = [
    "MRI L4/5: no recurrent disc, mild foraminal narrowing; CRP 12 (was 40).",
    "Pt c/o numbness++ in the saddle area since Tues, ?cauda equina - urgent scan booked.",
    "Wound: slight ooze at the distal end, no erythema. Reflexes 3+ bilat, Hoffmann's neg.",
    "",
]


def _matchers() -> list[Any]:
    nlp = pipeline()
    from spinetrack.domain.reports.regex_matching import _regex_matchers

    return [
        matcher
        for name in ("medspacy_target_matcher", "medspacy_context")
        for matcher in _regex_matchers(nlp.get_pipe(name))
    ]


def test_the_target_matcher_and_context_both_use_the_matcher_that_reads_the_text_once() -> None:
    matchers = _matchers()
    from spinetrack.domain.reports.regex_matching import TextOnceRegexMatcher

    assert len(matchers) == 2
    assert all(type(matcher) is TextOnceRegexMatcher for matcher in matchers)


@pytest.mark.parametrize("text", TEXTS)
def test_the_matches_are_medspacys_own_in_the_same_order(text: str) -> None:
    doc = pipeline().make_doc(text)
    from medspacy.common.regex_matcher import RegexMatcher  # type: ignore[import-untyped]

    for matcher in _matchers():
        assert matcher(doc) == RegexMatcher.__call__(matcher, doc)
