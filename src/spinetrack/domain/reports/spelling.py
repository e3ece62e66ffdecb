"""Misspelt clinical words put right before the rules read them ("incontinance", "psuedarthrosis").

The lexicon is every long word the wording rules use (knowledge/reports/: finding phrases, the
words inside their regexes, ConText triggers and the concepts' word groups). A word of the report
that is not in it, is not an
English word (pyspellchecker's dictionary), and is one edit (two for long words) from a lexicon word
by rapidfuzz's Levenshtein distance, with the same first two letters and the same last letter, is
taken as that word. So "impression" never becomes "compression", "apyrexial" never "pyrexial", and
a word that only differs from a lexicon word in its ending ("decompressed", "fusions") is another
form of it, not a typo. The corrected text keeps a map back to
the report's own characters, so a finding always quotes what the report says.

Scanned notes read by OCR make other mistakes than typing: "rn" read for "m" ("Srnoker",
"Ternp 38.4", "pred 10 rng") and "l" for the digit one ("l0/day", "37.l"). Those are put right
whatever the word's length, when the word is not English and the reading with "m" is a lexicon or
English word.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from spinetrack.domain.reports.concepts import concept_words
from spinetrack.domain.reports.rules import modifier_rules, term_rules
from spinetrack.domain.reports.values import value_rules

if TYPE_CHECKING:
    from spellchecker import SpellChecker

MIN_LENGTH = 7
"""Shorter words are left alone: one edit turns too many short words into other real words."""
LONG_WORD = 12
"""From this length two edits are allowed."""
_WORD = re.compile(r"[A-Za-z]+")
_LEXICON_WORD = re.compile(rf"[a-z]{{{MIN_LENGTH},}}")
_REGEX_ESCAPE = re.compile(r"\\[a-zA-Z]")
OCR_MIN_LENGTH = 3
"""Shortest word whose "rn" is read as "m" ("rng" -> "mg")."""
_OCR_ONE = re.compile(r"(?<![A-Za-z])l(?=0)|(?<=\d\.)l\b")
"""An "l" that OCR read for the digit one: before a nought ("l0/day") or as a decimal ("37.l").
Spinal levels (l1 to l5) never have a nought after the l."""
_OCR_NOUGHT = re.compile(r"(?<=\d)O(?=\d|\b)")
"""A capital O that OCR read for a nought after a digit ("stopped 2O2O")."""


@cache
def _rule_text() -> tuple[str, ...]:
    """The wording rules' phrases and patterns (regex escapes such as ``\\s`` blanked), lower case:
    where both lexicons take their words from."""
    sources: list[str] = []
    for terms in term_rules().terms:
        sources += terms.phrases + terms.regexes
    for modifier in modifier_rules().modifiers:
        sources += modifier.phrases + modifier.regexes
    sources += concept_words()
    return tuple(_REGEX_ESCAPE.sub(" ", s).lower() for s in sources)


@cache
def lexicon() -> tuple[str, ...]:
    """Every word of at least MIN_LENGTH letters that the wording rules use, sorted."""
    analytes = (_REGEX_ESCAPE.sub(" ", rule.analyte).lower() for rule in value_rules().rules)
    sources = [*_rule_text(), *analytes]
    words = {w for s in sources for w in _LEXICON_WORD.findall(s)}
    return tuple(sorted(words))


@cache
def _known() -> frozenset[str]:
    return frozenset(lexicon())


SHORT_MIN = 4
"""tune16h: from this length a word shorter than MIN_LENGTH may be put right too, more strictly."""
_SHORT_WORD = re.compile(rf"(?<![a-z])[a-z]{{{SHORT_MIN},{MIN_LENGTH - 1}}}(?![a-z])")


@cache
def short_lexicon() -> tuple[str, ...]:
    """Every whole word of SHORT_MIN to MIN_LENGTH - 1 letters that the wording rules use."""
    words = {w for s in _rule_text() for w in _SHORT_WORD.findall(s)}
    return tuple(sorted(words))


@cache
def _known_short() -> frozenset[str]:
    return frozenset(short_lexicon())


def _short_correction(word: str) -> str | None:
    """A short lay misspelling put right ("triing" -> "trying", "weeker" -> "weaker", "wond" ->
    "wound"; twelfth blind set, phonetic spelling): a lower-case word that is not English, one
    edit from exactly one rule word of about its length with the same first two letters and the
    same last letter. Capitalised words (names) and another form of a rule word are left alone."""
    lower = word.lower()
    if word != lower or lower in _known_short() or lower in _known():
        return None
    found = process.extract(
        lower, short_lexicon(), scorer=Levenshtein.distance, score_cutoff=1, limit=5
    )
    fits = [m for m, _, _ in found if m[:2] == lower[:2] and m[-1] == lower[-1]]
    if len(fits) != 1 or any(_another_form(lower, m) for m, _, _ in found):
        return None
    if _english().known([lower]):
        return None
    return fits[0]


def _common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


def _another_form(word: str, known: str) -> bool:
    """Whether ``word`` is ``known`` with another ending ("fusions", "operated"): they share all
    but the last two letters and their endings have nothing in common. A doubled or dropped
    letter inside the word ("stenossis") leaves the ending shared, so it is a typo."""
    shared = _common_prefix(word, known)
    if shared < min(len(word), len(known)) - 2:
        return False
    tail, known_tail = word[shared:], known[shared:]
    return not (tail and known_tail and tail[-1] == known_tail[-1])


@cache
def _english() -> "SpellChecker":
    """pyspellchecker's English dictionary, loaded the first time a word looks misspelt."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _ocr_reading(lower: str) -> str | None:
    """The word an OCR misreading of "m" as "rn" stands for ("srnoker" -> "smoker"), or None."""
    if "rn" not in lower or len(lower) < OCR_MIN_LENGTH or lower in _known():
        return None
    english = _english()
    if english.known([lower]):
        return None
    meant = lower.replace("rn", "m")
    return meant if meant in _known() or english.known([meant]) else None


@cache
def correction(word: str) -> str | None:
    """The lexicon word a misspelt ``word`` stands for, or None when it is not a misspelling."""
    lower = word.lower()
    ocr = _ocr_reading(lower)
    if ocr is not None:
        return ocr
    if SHORT_MIN <= len(lower) < MIN_LENGTH:
        return _short_correction(word)
    if len(lower) < MIN_LENGTH or lower in _known():
        return None
    limit = 2 if len(lower) >= LONG_WORD else 1
    found = process.extract(
        lower, lexicon(), scorer=Levenshtein.distance, score_cutoff=limit, limit=5
    )
    if not found:
        return None
    if any(_another_form(lower, m) for m, _, _ in found):
        return None  # another form of a lexicon word, not a typo
    match = found[0][0]
    if match[:2] != lower[:2] or match[-1] != lower[-1] or _english().known([lower]):
        return None
    return match


@dataclass(frozen=True, slots=True)
class Corrected:
    """Text with misspellings put right, and where each of its characters came from."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The report's own characters for ``text[start:end]``."""
        if not self.origin:
            return start, end
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def correct(text: str) -> Corrected:
    """``text`` with every misspelt lexicon word replaced (lower case), mapped to ``text``."""
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    # OCR's digits put right first: the same length, so every character keeps its place
    ones = _OCR_NOUGHT.sub("0", _OCR_ONE.sub("1", text))
    changed = ones != text
    text = ones
    for match in _WORD.finditer(text):
        fixed = correction(match.group(0))
        if fixed is None:
            continue
        changed = True
        pieces.append(text[done : match.start()])
        origin += range(done, match.start())
        pieces.append(fixed)
        last = match.end() - 1
        # the last letter maps to the word's last, so a shorter reading quotes the whole word
        origin += [min(match.start() + i, last) for i in range(len(fixed) - 1)] + [last]
        done = match.end()
    if not changed:
        return Corrected(text, ())
    pieces.append(text[done:])
    origin += range(done, len(text))
    return Corrected("".join(pieces), tuple(origin))
