"""Full-text search over the glossary: every word of the query must appear, titles weigh most.

Small enough to rank in pure Python on each request. Words are compared by their Snowball
(Porter 2) stems, on both sides, so a plural or another form of a word finds the page ("stenoses"
finds stenosis, "radiculopathies" radiculopathy, "injection" injections); a query word also
matches any stem it begins, so "stenos" still finds stenosis.
"""

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

from spinetrack.domain.education.page import Entry

MAX_QUERY = 200
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "about",
        "after",
        "can",
        "do",
        "does",
        "for",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "why",
        "with",
    ]
)
# Weight of a query word found in each field. The whole query found inside the title or another
# name adds _PHRASE; the whole query being one of the entry's names adds _EXACT on top.
_TITLE, _ALSO_CALLED, _SUMMARY, _BODY, _PHRASE, _EXACT = 12.0, 10.0, 5.0, 1.0, 20.0, 10.0


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state while it works on a word


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word ("stenoses" -> "stenos")."""
    with _STEMMER_LOCK:
        return str(_STEMMER.stemWord(word))


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(text))


def _terms(query: str) -> list[str]:
    found = []
    for word in words(query[:MAX_QUERY]):
        if word in _STOP_WORDS:
            continue
        term = stem(word)
        if term not in found:
            found.append(term)
    return found


@dataclass(frozen=True)
class _Fields:
    title: tuple[str, ...]
    also_called: tuple[str, ...]
    summary: tuple[str, ...]
    body: tuple[str, ...]
    names: tuple[str, ...]


def _fields(entry: Entry) -> _Fields:
    meta = entry.meta
    return _Fields(
        title=_stems(meta.title),
        also_called=_stems(" ".join(meta.also_called)),
        summary=_stems(meta.summary),
        body=_stems(entry.body_text),
        names=tuple(" ".join(words(name)) for name in [meta.title, *meta.also_called]),
    )


def _hits(field: Iterable[str], term: str) -> int:
    return sum(1 for word in field if word.startswith(term))


def _score(fields: _Fields, terms: list[str], phrase: str) -> float:
    total = 0.0
    for term in terms:
        body = _hits(fields.body, term)
        term_score = (
            _TITLE * min(_hits(fields.title, term), 1)
            + _ALSO_CALLED * min(_hits(fields.also_called, term), 1)
            + _SUMMARY * min(_hits(fields.summary, term), 1)
            + _BODY * min(body, 5) / 5
        )
        if term_score == 0:
            return 0.0
        total += term_score
    if any(f" {phrase} " in f" {name} " for name in fields.names):
        total += _PHRASE
    if phrase in fields.names:
        total += _EXACT
    return total


class SearchIndex:
    """The glossary's words, tokenized and stemmed once, so each query only compares."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._indexed = [(_fields(entry), entry) for entry in entries]

    def search(self, query: str) -> list[Entry]:
        """Entries holding every word of ``query``, best first (ties alphabetical); none for no words."""
        terms = _terms(query)
        if not terms:
            return []
        phrase = " ".join(words(query[:MAX_QUERY]))
        scored = [(_score(fields, terms, phrase), entry) for fields, entry in self._indexed]
        ranked = sorted((p for p in scored if p[0] > 0), key=lambda p: (-p[0], p[1].title))
        return [entry for _, entry in ranked]
