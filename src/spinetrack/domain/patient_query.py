"""What a search box's text asks for: a birth date, an MRN, or words of a name.

Staff type whatever they have at hand: the date on a referral letter (in the clinic's format or
ISO), the number on a wristband, or part of a name written without its accents. Reading that text
is a pure rule, so the web page, the API and the tests agree on it; the database only answers the
parsed question.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from spinetrack.domain.errors import InvalidInput

FIELD = "q"
"""The search box's field name, on the page and in the API."""
MIN_LENGTH = 2
"""A single letter would list a tenth of the clinic; two narrow it to something worth reading."""
MAX_LENGTH = 100
MAX_WORDS = 4

_SPELLED_OUT = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"}
)
"""Letters Unicode does not decompose into a base letter and an accent; PostgreSQL's unaccent
dictionary and SQLite's remove_diacritics tokenizer read them as these."""


@dataclass(frozen=True, slots=True)
class PatientQuery:
    """The parsed text: a birth date, or name words and/or an MRN prefix (either may be empty)."""

    text: str
    birth_date: date | None
    name_words: tuple[str, ...]
    """Lower case, accents kept (see `name_words`)."""
    mrn_prefix: str | None


def fold(text: str) -> str:
    """Lower case without accents: 'José Núñez' and 'jose nunez' read the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_words(text: str) -> tuple[str, ...]:
    """The words of a name in lower case, accents kept, split wherever a character is not a
    letter or digit ('García-López' is two words, as in the databases' indexes). Each database
    folds them its own way, as its index did: `fold` for PostgreSQL's unaccent, the tokenizer's
    own for SQLite's FTS5 (which leaves 'ø' and 'ß' as they are)."""
    words: list[str] = []
    current: list[str] = []
    for char in text.lower():
        if char.isalnum():
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return tuple(words)


def read_date(text: str, clinic_format: str) -> date | None:
    """The date the text spells in the clinic's format or ISO 8601, else None."""
    for pattern in (clinic_format, "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_query(text: str, clinic_format: str) -> PatientQuery:
    """Read the search box; refuse text too short or too long to be a useful question."""
    cleaned = " ".join(text.split())
    if len(cleaned) < MIN_LENGTH:
        raise InvalidInput(
            FIELD, f"type at least {MIN_LENGTH} characters of a name, an MRN or a birth date"
        )
    if len(cleaned) > MAX_LENGTH:
        raise InvalidInput(FIELD, f"type at most {MAX_LENGTH} characters")
    born = read_date(cleaned, clinic_format)
    if born is not None:
        return PatientQuery(cleaned, born, (), None)
    words = name_words(cleaned)
    if len(words) > MAX_WORDS:
        raise InvalidInput(FIELD, f"type at most {MAX_WORDS} words of a name")
    has_letters = any(c.isalpha() for c in cleaned)
    mrn = cleaned if " " not in cleaned else None
    return PatientQuery(cleaned, None, words if has_letters else (), mrn)
