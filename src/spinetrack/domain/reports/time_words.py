"""Words that date a muscle grade: parts of the day, discharge, before surgery.

A run of grades in one line is read as a series only when each grade is placed in time by its own
words (grade_series.py). Which words do that, and where on the time line each one sits, are data in
knowledge/reports/time_words.yaml with their reasons; this module parses them and builds the
patterns grade_series.py matches, once.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field, field_validator, model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import READER_FLAGS, _compiles
from spinetrack.domain.sources import Sources

TIME_WORDS_FILE = "reports/time_words.yaml"


class DayPart(KnowledgeModel):
    """Phrases naming one time of today or yesterday, and that time in days from now."""

    days: float = Field(le=0)
    phrases: list[str] = Field(min_length=1)


class DayParts(KnowledgeModel):
    note: str
    sources: Sources
    times: list[DayPart] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "DayParts":
        phrases = [day_key(phrase) for time in self.times for phrase in time.phrases]
        if len(phrases) != len(set(phrases)):
            raise ValueError("a day-part phrase is listed more than once")
        return self


class DatedWords(KnowledgeModel):
    """A regex naming one time (before surgery, discharge) and, when it is a point after surgery,
    the days it is placed at."""

    regex: str
    days: float | None = None
    note: str
    sources: Sources

    @field_validator("regex")
    @classmethod
    def _regex_compiles(cls, value: str) -> str:
        _compiles([value])
        return value


class TimeWords(KnowledgeModel):
    note: str
    sources: Sources
    day_parts: DayParts
    discharge: DatedWords
    preop: DatedWords

    @model_validator(mode="after")
    def _discharge_is_placed(self) -> "TimeWords":
        if self.discharge.days is None or self.discharge.days <= 0:
            raise ValueError("discharge needs its days after surgery (above 0)")
        return self


def parse_time_words(data: Any | None = None) -> TimeWords:
    """The time words (the shipped file, or ``data`` shaped like it)."""
    return parse(TIME_WORDS_FILE, TimeWords, data)


def day_key(phrase: str) -> str:
    """A phrase (or the words it matched) as it is looked up: lower case, single spaces."""
    return " ".join(phrase.lower().split())


@dataclass(frozen=True, slots=True)
class TimePatterns:
    """The compiled time words: ``day_parts`` matches any day-part phrase (group 1), whose days
    from now ``day_part_days`` gives by the phrase's ``day_key``."""

    day_parts: re.Pattern[str]
    day_part_days: dict[str, float]
    discharge: re.Pattern[str]
    discharge_days: float
    preop: re.Pattern[str]


def _phrase_regex(phrase: str) -> str:
    """A phrase as a regex: its words literal, any run of spaces between them."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


@cache
def time_patterns() -> TimePatterns:
    """The shipped time words, compiled once. Longer phrases are tried first, so that one phrase
    that begins another never hides it."""
    words = parse_time_words()
    days = {day_key(p): time.days for time in words.day_parts.times for p in time.phrases}
    ordered = sorted(days, key=len, reverse=True)
    day_parts = re.compile(
        r"\b(" + "|".join(_phrase_regex(phrase) for phrase in ordered) + r")\b", READER_FLAGS
    )
    assert words.discharge.days is not None  # checked when parsed
    return TimePatterns(
        day_parts=day_parts,
        day_part_days=days,
        discharge=re.compile(words.discharge.regex, READER_FLAGS),
        discharge_days=words.discharge.days,
        preop=re.compile(words.preop.regex, READER_FLAGS),
    )
