"""Numbers dictated as words, written as digits for the value readers.

Speech recognition and dictated letters spell numbers out: "a residual of four hundred and twenty
mls", "temperature thirty eight point six", "power three out of five". The value rules read digits,
so before they run each spelled number is replaced by its digits, left-aligned in the characters the
words took and padded with spaces: the text keeps its length, and every offset a reading gives is
still an offset of the report. "x out of five" becomes "x/5", a grade as the rules read it.

Only numbers are rewritten; a lone "one" ("the left one", "one of") is left as a word, and two small
numbers in a row ("L four five") stay two numbers. A digit said before tens is the hundreds ("one
seventy" for 170), as numbers are read aloud.
"""

import re

_UNITS = {
    "zero": 0,
    "nought": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
SMALL_NUMBERS = {**_UNITS, **_TEENS}
"""The number words from zero to nineteen, for readers that count in words ("six weeks ago")."""
_WORD = "|".join(sorted([*_UNITS, *_TEENS, *_TENS, *_SCALES], key=len, reverse=True))
_PHRASE = re.compile(
    rf"\b(?:{_WORD})\b(?:(?:[\s-]+(?:and\s+)?)(?:{_WORD})\b)*"
    rf"(?:\s+point(?:\s+(?:{'|'.join(_UNITS)})\b)+)?",
    re.I,
)
_OUT_OF = re.compile(r"^(\d+)(\s+out\s+of\s+)$", re.I)


def _parts(words: list[str]) -> list[tuple[int, int, int]]:
    """The numbers a run of number words says, as (value, first word, last word + 1): a word that
    cannot continue the number before it ("four five") starts a new one."""
    numbers: list[tuple[int, int, int]] = []
    total, current, first, last_kind = 0, 0, 0, ""
    for index, word in enumerate(words):
        kind = (
            "unit"
            if word in _UNITS
            else "teen"
            if word in _TEENS
            else "tens"
            if word in _TENS
            else word
        )
        small = kind in ("unit", "teen", "tens")
        follows = (
            last_kind == ""
            or (kind == "unit" and last_kind in ("tens", "hundred", "thousand"))
            or (kind in ("teen", "tens") and last_kind in ("unit", "hundred", "thousand"))
            or (kind == "hundred" and last_kind in ("unit", "teen"))
            or (kind == "thousand" and last_kind in ("unit", "teen", "tens", "hundred"))
        )
        if not follows or (not small and last_kind == "" and kind in _SCALES):
            if last_kind:
                numbers.append((total + current, first, index))
            total, current, first, last_kind = 0, 0, index, ""
            if not small:  # a scale word on its own ("hundred") is not a number
                first = index + 1
                continue
        value = _UNITS.get(word, _TEENS.get(word, _TENS.get(word, 0)))
        if kind in ("teen", "tens") and last_kind == "unit" and not total and current < 10:
            current = current * 100 + value  # "one seventy" is said for 170
        elif kind == "hundred":
            current *= 100
        elif kind == "thousand":
            total, current = (total + current) * 1000, 0
        else:
            current += value
        last_kind = kind
    if last_kind:
        numbers.append((total + current, first, len(words)))
    return numbers


def _digits(phrase: str) -> str:
    """The phrase with each number it says written as digits, padded to the phrase's length."""
    point = re.search(r"\s+point\s+", phrase, re.I)
    main = phrase[: point.start()] if point else phrase
    decimals = phrase[point.end() :].lower() if point else ""
    tokens = list(re.finditer(r"[a-z]+", main.lower()))
    words = [t.group(0) for t in tokens if t.group(0) != "and"]
    spans = [t for t in tokens if t.group(0) != "and"]
    parts = _parts(words)
    out = list(phrase)
    for number, first, stop in parts:
        if stop - first == 1 and words[first] == "one" and not decimals:
            continue
        start, end = spans[first].start(), spans[stop - 1].end()
        text = str(number)
        if decimals and stop == len(words):
            text += "." + "".join(str(_UNITS[d]) for d in decimals.split())
            end = len(phrase)
        if len(text) > end - start:
            continue
        out[start:end] = list(text.ljust(end - start))
    return "".join(out)


def spoken_as_digits(text: str) -> str:
    """The text with its spelled numbers as digits (same length, same offsets)."""
    if not _PHRASE.search(text):
        return text
    out = _PHRASE.sub(lambda match: _digits(match.group(0)), text)
    return _fraction(out)


_FRACTION = re.compile(r"\b(\d{1,2})(\s+)(out\s+of\s+)(\d{1,2})(?=\s|[.,;:)]|$)( *)", re.I)


def _fraction(text: str) -> str:
    """ "3 out of 5" as "3/5", padded to its length."""

    def grade(match: re.Match[str]) -> str:
        written = f"{match.group(1)}/{match.group(4)}"
        return written.ljust(len(match.group(0)))

    return _FRACTION.sub(grade, text)
