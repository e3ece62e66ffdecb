"""The report's teller: a relative who writes or passes on a document about the patient.

Under a relative's opening ("Forum post shared by the patient's son:", "(completed by wife)") the
relative's kin word for the patient ("Dad", "my husband") names the patient, so ConText's family
cue on that word does not make the patient's symptoms family history. The tellers and their kin
words are in knowledge/reports/narrators.yaml.
"""

import re
from functools import cache
from typing import Any

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import READER_FLAGS, compiles

NARRATORS_FILE = "reports/narrators.yaml"
_POSSESSIVE = re.compile(r"^(?:(?:my|our)\s+)|(?:['’]s)$", re.I)
_CUE_VERBS = frozenset({"has", "had", "have", "is", "was", "also", "too", "got", "gets", "now"})
_THIRD_PERSON = re.compile(r"\b(?:his|her|their|the\s+patient['’]s)\s+(?:own\s+|late\s+)?$", re.I)


class Narrators(KnowledgeModel):
    note: str
    sources: list[str] = Field(min_length=1)
    opening_chars: int = Field(gt=0)
    tellers: list[str] = Field(min_length=1)
    kin: dict[str, list[list[str]]] = Field(min_length=1)

    @field_validator("tellers")
    @classmethod
    def _each_compiles(cls, patterns: list[str]) -> list[str]:
        """Each teller regex compiles on its own: they are searched one by one, so two may name
        the same group (``teller`` or ``patient``)."""
        return [compiles(pattern) for pattern in patterns]


def parse_narrators(data: Any | None = None) -> Narrators:
    return parse(NARRATORS_FILE, Narrators, data)


@cache
def _rules() -> tuple[tuple[re.Pattern[str], ...], int, dict[str, tuple[frozenset[str], ...]]]:
    rules = parse_narrators()
    kin = {
        teller: tuple(frozenset(word.lower() for word in group) for group in groups)
        for teller, groups in rules.kin.items()
    }
    patterns = tuple(re.compile(teller, READER_FLAGS) for teller in rules.tellers)
    return patterns, rules.opening_chars, kin


def _first_teller(patterns: tuple[re.Pattern[str], ...], opening: str) -> re.Match[str] | None:
    """The teller named earliest in the opening, by any of the teller regexes."""
    found = [match for pattern in patterns if (match := pattern.search(opening))]
    return min(found, key=lambda match: match.start(), default=None)


def patient_kin(text: str) -> tuple[frozenset[str], tuple[int, int]]:
    """The kin words that name the patient in ``text`` (empty when no relative tells it), and the
    span of the opening words that name the teller."""
    patterns, opening, kin = _rules()
    match = _first_teller(patterns, text[:opening])
    if match is None:
        return frozenset(), (0, 0)
    groups = match.groupdict()
    named = (groups.get("patient") or "").lower()
    if named:
        for choices in kin.values():
            for group in choices:
                if named in group:
                    return group, match.span()
        return frozenset({named}), match.span()
    # a teller regex may name its relative in several alternatives: teller, teller2, ...
    teller = next((v for k, v in groups.items() if k.startswith("teller") and v), "")
    choices = kin.get(teller.lower(), ())
    if not choices:
        return frozenset(), (0, 0)
    words = {word: group for group in choices for word in group}
    later = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b", re.I)
    first = later.search(text, match.end())
    group = words[first.group(1).lower()] if first else choices[0]
    return group, match.span()


def names_patient(trigger: str, kin: frozenset[str], before: str = "") -> bool:
    """Whether a family cue's words ("Dad", "my husband", "Mum's") are the teller's word for the
    patient; ``before`` is the text before them, where "his" or "her" makes the relative the
    patient's own ("his own father")."""
    if _THIRD_PERSON.search(before):
        return False
    word = trigger.strip().lower()
    while True:
        bare = _POSSESSIVE.sub("", word).strip()
        if bare == word:
            break
        word = bare
    if word in kin:
        return True
    # a family rule's cue may run on into the verb ("my husband has", "my wife also had"): under
    # the teller, the kin word at its head still names the patient (tune16l)
    head, *rest = word.split()
    return bool(rest) and head in kin and all(w in _CUE_VERBS for w in rest)
