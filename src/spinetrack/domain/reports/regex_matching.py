"""medspaCy's regex matcher, reading the document's text once per call instead of once per rule.

medspaCy's ``RegexMatcher`` asks the spaCy ``Doc`` for its text inside its loop over the rules, and
spaCy builds that text anew from the tokens on every ask: with the target and ConText rules' 250-odd
regexes, joining the tokens again was about a tenth of a report's reading time. The matcher here
gives the same matches in the same order (the text of a document never changes while it is
matched); only the text is taken once. Imported by the pipeline's build, after medspaCy.
"""

from collections.abc import Iterator
from typing import Any

from medspacy.common.medspacy_matcher import MedspacyMatcher  # type: ignore[import-untyped]
from medspacy.common.regex_matcher import RegexMatcher  # type: ignore[import-untyped]
from medspacy.common.util import get_token_for_char  # type: ignore[import-untyped]
from spacy.tokens import Doc


class TextOnceRegexMatcher(RegexMatcher):  # type: ignore[misc]
    """``RegexMatcher`` with the text read once per document."""

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        text = doc.text_with_ws
        matches: list[tuple[int, int, int]] = []
        for key, patterns in self._patterns.items():
            callback = self._callbacks[key]
            for pattern in patterns:
                for hit in pattern.finditer(text):
                    span = doc.char_span(hit.start(), hit.end())
                    if span is None:
                        # A bound inside a token: widen or narrow it to a token as medspaCy does.
                        first = get_token_for_char(doc, hit.start(), resolve=self.resolve_start)
                        last = get_token_for_char(doc, hit.end(), resolve=self.resolve_end)
                        span = doc[first.i : len(doc) if last is None else last.i]
                    if len(span):
                        matches.append((key, span.start, span.end))
                    if callback is not None:
                        callback(self, doc, len(matches) - 1, matches)
        return matches


def _regex_matchers(component: Any) -> Iterator[Any]:
    """The regex matchers inside a medspaCy component's matcher (its attributes are private)."""
    for held in vars(component).values():
        if isinstance(held, MedspacyMatcher):
            yield from (inner for inner in vars(held).values() if isinstance(inner, RegexMatcher))


def read_text_once(component: Any) -> None:
    """Make the regex matchers of a medspaCy target matcher or ConText read the text once."""
    for matcher in _regex_matchers(component):
        matcher.__class__ = TextOnceRegexMatcher
