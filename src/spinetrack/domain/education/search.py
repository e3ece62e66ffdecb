"""Full-text search over the glossary: every word of the query must appear, titles weigh most.

Small enough to rank in pure Python on each request. Words are compared by their Snowball
(Porter 2) stems, on both sides, so a plural or another form of a word finds the page ("stenoses"
finds stenosis, "radiculopathies" radiculopathy, "injection" injections); a query word also
matches any stem it begins, so "stenos" still finds stenosis.

Each language searches with its own Snowball stemmer and stop words (``search_words.yaml`` in the
language's folder is not needed: the stemmer names the language). Outside English, words are
compared without their accents as well, since patients often type "operacion" for "operación".
"""

import re
import threading
import unicodedata
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


_OTHER_STOP_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset(
        [
            "a",
            "al",
            "con",
            "cómo",
            "como",
            "cuál",
            "cuando",
            "cuándo",
            "de",
            "del",
            "el",
            "en",
            "es",
            "la",
            "las",
            "los",
            "me",
            "mi",
            "mis",
            "o",
            "para",
            "por",
            "porque",
            "qué",
            "que",
            "se",
            "si",
            "sí",
            "su",
            "sus",
            "un",
            "una",
            "y",
        ]
    ),
}
"""Stop words of the other languages; a language missing here simply has none."""

_SNOWBALL_NAMES = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}


def words(text: str, language: str = "en") -> list[str]:
    if language == "en":
        return re.findall(r"[a-z0-9]+", text.lower())
    return re.findall(r"[^\W_]+", text.lower())


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_STEMMERS: dict[str, object] = {}
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps state while it works on a word


def _stemmer(language: str) -> object:
    name = _SNOWBALL_NAMES.get(language, language)
    if name not in snowballstemmer.algorithms():
        name = "english"
    if name not in _STEMMERS:
        _STEMMERS[name] = snowballstemmer.stemmer(name)
    return _STEMMERS[name]


@lru_cache(maxsize=65_536)
def stem(word: str, language: str = "en") -> str:
    """The Snowball stem of a lower-case word ("stenoses" -> "stenos"); without accents outside
    English ("operaciones" -> "operacion")."""
    if language != "en":
        word = _unaccented(word)  # the same stem whether or not the accents were typed
    with _STEMMER_LOCK:
        return str(_stemmer(language).stemWord(word))  # type: ignore[attr-defined]


def _stop_words(language: str) -> frozenset[str]:
    return _STOP_WORDS if language == "en" else _OTHER_STOP_WORDS.get(language, frozenset())


def _stems(text: str, language: str = "en") -> tuple[str, ...]:
    return tuple(stem(word, language) for word in words(text, language))


def _terms(query: str, language: str = "en") -> list[str]:
    found = []
    stop = _stop_words(language)
    for word in words(query[:MAX_QUERY], language):
        if word in stop or _unaccented(word) in stop:
            continue
        term = stem(word, language)
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


def _fields(entry: Entry, language: str) -> _Fields:
    meta = entry.meta
    return _Fields(
        title=_stems(meta.title, language),
        also_called=_stems(" ".join(meta.also_called), language),
        summary=_stems(meta.summary, language),
        body=_stems(entry.body_text, language),
        names=tuple(_phrase(name, language) for name in [meta.title, *meta.also_called]),
    )


def _phrase(text: str, language: str) -> str:
    joined = " ".join(words(text, language))
    return joined if language == "en" else _unaccented(joined)


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

    def __init__(self, entries: Sequence[Entry], language: str = "en") -> None:
        self._language = language
        self._indexed = [(_fields(entry, language), entry) for entry in entries]

    def search(self, query: str) -> list[Entry]:
        """Entries holding every word of ``query``, best first (ties alphabetical); none for no words."""
        terms = _terms(query, self._language)
        if not terms:
            return []
        phrase = _phrase(query[:MAX_QUERY], self._language)
        scored = [(_score(fields, terms, phrase), entry) for fields, entry in self._indexed]
        ranked = sorted((p for p in scored if p[0] > 0), key=lambda p: (-p[0], p[1].title))
        return [entry for _, entry in ranked]
