"""The closed vocabulary a stated cause is judged by, and the judgement: spine, cancer, elsewhere.

A cause lies in the spine or the operation when a word of the spine, the wound, an implant, the
operation or a level names it; it is a cancer when a cancer word names it; it names nothing when it
holds only words of no cause (infection without a site, "unknown", times, test names, normal
results); any other content word makes it a cause elsewhere, which is how a diagnosis no list holds
is still read (knowledge/reports/stated_causes.yaml). Also the token helpers the readers of links
(stated_causes.py) and of sites (cause_sites.py) share. Pure Python over lower-case tokens.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.concepts import _SPLIT
from spinetrack.domain.reports.rules import _check_ids, compiles
from spinetrack.domain.sources import Sources

CAUSES_FILE = "reports/stated_causes.yaml"

CauseClass = Literal["cancer", "spine", "elsewhere", "empty"]


class Explains(KnowledgeModel):
    """A finding a stated cause can explain, the sign that then tells the red-flag rule, the
    classes of cause that explain it, and whether a cause stated for the whole report reaches it."""

    finding: str
    sign: str
    classes: list[Literal["cancer", "spine", "elsewhere"]] = Field(min_length=1)
    reach: Literal["direct", "report"]
    weak_links: bool = True
    """Whether a one-word link ("from", "?") may tie a cause to the finding."""
    links: list[list[str]] = Field(default_factory=list)
    """Forward links of this finding only: marks that tie a cause to it and to no other finding
    ("lost 4 kg - gastroenteritis", "weight down 3 kg (dialysis)"), where the same mark after a
    fever would as often open a plan as a cause."""
    note: str


class Fractures(KnowledgeModel):
    """A fracture read as a cause with a site: the sign set when its own words name no part of
    the spine, the words of a fracture, and the words that lead to a site after it."""

    sign: str
    words: list[str] = Field(min_length=1)
    of: list[str] = Field(min_length=1)


class Sited(KnowledgeModel):
    """Signs that belong to the operated site only when their own words do not place them
    elsewhere, and the words that lead from a sign to its site after it."""

    findings: list[str] = Field(min_length=1)
    leads: list[str] = Field(min_length=1)


class StatedCauses(KnowledgeModel):
    """knowledge/reports/stated_causes.yaml: which findings a cause explains, the link words,
    and the closed word classes a cause is judged by."""

    note: str
    sources: Sources
    explains: list[Explains] = Field(min_length=1)
    forward: list[list[str]] = Field(min_length=1)
    backward: list[list[str]] = Field(min_length=1)
    labels: list[list[str]] = Field(min_length=1)
    diagnoses: list[str] = Field(min_length=1)
    results: list[str] = Field(min_length=1)
    unsited_results: list[str] = Field(min_length=1)
    weak_links: list[list[str]] = Field(min_length=1)
    comparisons: list[str] = Field(min_length=1)
    copulas: list[str] = Field(min_length=1)
    showing: list[str] = Field(min_length=1)
    result_leads: list[str] = Field(min_length=1)
    determiners: list[str] = Field(min_length=1)
    positive: list[str] = Field(min_length=1)
    plans: list[str] = Field(min_length=1)
    """Words that open a plan, not a cause, after a finding's own link ("lost 7 kg - for CT")."""
    fractures: Fractures
    sited: Sited
    negations: list[str] = Field(min_length=1)
    level_token: str
    denials: list[str] = Field(min_length=1)
    hard_boundaries: list[str] = Field(min_length=1)
    phrase_boundaries: list[str] = Field(min_length=1)
    reach_tokens: int = Field(ge=1, le=30)
    phrase_tokens: int = Field(ge=1, le=20)
    spine: list[str] = Field(min_length=1)
    weak_spine: list[str] = Field(default_factory=list)
    masks: list[str] = Field(default_factory=list)
    not_spine: list[str] = Field(default_factory=list)
    cancer: list[str] = Field(min_length=1)
    empty: list[str] = Field(min_length=1)

    _check_level = field_validator("level_token")(compiles)

    @field_validator(
        "spine", "weak_spine", "cancer", "empty", "diagnoses", "results", "masks", "not_spine"
    )
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        for word in words:
            if word != word.lower() or not word.strip() or "*" in word[:-1]:
                raise ValueError(f"{word!r}: words are lower case, with '*' only at the end")
        return words


def parse_causes(data: object | None = None) -> StatedCauses:
    """The stated-cause rules (the shipped file, or ``data`` shaped like it); every finding and
    sign they name must be known to the vocabulary or signs.yaml."""
    rules = parse(CAUSES_FILE, StatedCauses, data)
    named = [(f"explains.{i}.finding", e.finding) for i, e in enumerate(rules.explains)]
    named += [(f"explains.{i}.sign", e.sign) for i, e in enumerate(rules.explains)]
    named.append(("fractures.sign", rules.fractures.sign))
    named += [(f"sited.findings.{i}", f) for i, f in enumerate(rules.sited.findings)]
    _check_ids(CAUSES_FILE, named)
    return rules


def signs_set() -> frozenset[str]:
    """The signs a stated cause or a fracture's site can set (a sign may have no term of its own,
    as fracture_elsewhere has none)."""
    rules = compiled().rules
    return frozenset({e.sign for e in rules.explains} | {rules.fractures.sign})


def tokens_of(phrase: str) -> tuple[str, ...]:
    """A phrase as the reader's tokenizer cuts it: "x-ray" is three tokens, "2/2" three."""
    return tuple(_SPLIT.sub(r" \1 ", phrase).split())


class WordClass:
    """Membership of one token in a word list: whole words, or any token a ``stem*`` begins."""

    def __init__(self, words: Sequence[str]) -> None:
        parts = [part for word in words for part in tokens_of(word.rstrip("*"))]
        self.whole = frozenset(w for w in words if not w.endswith("*")) | frozenset(parts)
        self.stems = tuple(w[:-1] for w in words if w.endswith("*"))

    def __contains__(self, token: str) -> bool:
        return token in self.whole or token.startswith(self.stems)


@dataclass(frozen=True)
class Compiled:
    rules: StatedCauses
    explains: dict[str, Explains]
    forward: tuple[tuple[str, ...], ...]
    own_links: tuple[tuple[str, ...], ...]
    """Every finding's own forward links, longest first (``Explains.links``)."""
    plans: frozenset[str]
    backward: tuple[tuple[str, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    diagnoses: tuple[tuple[str, ...], ...]
    results: tuple[tuple[str, ...], ...]
    unsited: tuple[tuple[str, ...], ...]
    weak: frozenset[tuple[str, ...]]
    comparisons: frozenset[str]
    copulas: frozenset[str]
    masks: tuple[tuple[str, ...], ...]
    not_spine: tuple[tuple[str, ...], ...]
    showing: frozenset[str]
    result_leads: frozenset[str]
    determiners: frozenset[str]
    positive: frozenset[str]
    negations: frozenset[str]
    fracture_words: frozenset[str]
    sited: frozenset[str]
    sited_leads: frozenset[str]
    fracture_of: frozenset[str]
    level: re.Pattern[str]
    denials: frozenset[str]
    hard: frozenset[str]
    soft: frozenset[str]
    spine: WordClass
    weak_spine: WordClass
    cancer: WordClass
    empty: WordClass


def _longest_first(phrases: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(p) for p in phrases}, key=len, reverse=True))


@cache
def compiled() -> Compiled:
    """The shipped rules, parsed once, with their phrases cut into tokens."""
    rules = parse_causes()
    return Compiled(
        rules=rules,
        explains={e.finding: e for e in rules.explains},
        forward=_longest_first([tuple(p) for p in rules.forward]),
        own_links=_longest_first([tuple(p) for e in rules.explains for p in e.links]),
        plans=frozenset(rules.plans),
        backward=_longest_first([tuple(p) for p in rules.backward]),
        labels=_longest_first([tuple(p) for p in rules.labels]),
        diagnoses=_longest_first([tokens_of(p) for p in rules.diagnoses]),
        results=_longest_first([tokens_of(p) for p in rules.results]),
        unsited=_longest_first([tokens_of(p) for p in rules.unsited_results]),
        weak=frozenset(tuple(p) for p in rules.weak_links),
        comparisons=frozenset(rules.comparisons),
        copulas=frozenset(rules.copulas),
        masks=_longest_first([tokens_of(p) for p in rules.masks]),
        not_spine=_longest_first([tokens_of(p) for p in rules.not_spine]),
        showing=frozenset(rules.showing),
        result_leads=frozenset(rules.result_leads),
        determiners=frozenset(rules.determiners),
        positive=frozenset(rules.positive),
        negations=frozenset(rules.negations),
        fracture_words=frozenset(rules.fractures.words),
        sited=frozenset(rules.sited.findings),
        sited_leads=frozenset(rules.sited.leads),
        fracture_of=frozenset(rules.fractures.of),
        level=re.compile(rules.level_token),
        denials=frozenset(rules.denials),
        hard=frozenset(rules.hard_boundaries),
        soft=frozenset(rules.phrase_boundaries),
        spine=WordClass(rules.spine),
        weak_spine=WordClass(rules.weak_spine),
        cancer=WordClass(rules.cancer),
        empty=WordClass(rules.empty),
    )


def is_content(token: str) -> bool:
    """A word that can name something: letters, two or more of them (numbers and marks cannot)."""
    letters = token.replace("-", "").replace(".", "").replace("'", "")
    return len(letters) >= 2 and letters.isalpha()


def masked(
    tokens: Sequence[str], rules: Compiled, phrases: Sequence[tuple[str, ...]] | None = None
) -> list[bool]:
    """Which tokens lie inside one of ``phrases`` (by default the masks: "came back")."""
    hidden = [False] * len(tokens)
    for i in range(len(tokens)):
        for mask in rules.masks if phrases is None else phrases:
            if tuple(tokens[i : i + len(mask)]) == mask:
                for j in range(i, i + len(mask)):
                    hidden[j] = True
    return hidden


def classify(tokens: Sequence[str]) -> CauseClass:
    """Where a cause phrase (lower-case tokens) lies: ``cancer`` when a cancer word names it,
    else ``spine`` when a word of the spine or the operation does, else ``elsewhere`` when any
    other content word does; a phrase of region words only (``lumbar``) is the spine's, and one of
    no content at all (``unknown source``, ``day 3``) is ``empty``."""
    rules = compiled()
    hidden = masked(tokens, rules)
    elsewhere = masked(tokens, rules, rules.not_spine)
    if any(t in rules.negations for t in tokens):
        return "empty"  # "no consolidation", "UTI excluded": no cause is stated
    if any(rules.level.match(t) for t in tokens):
        return "spine"
    words = [t for t, h in zip(tokens, hidden, strict=True) if not h and is_content(t)]
    if any(w in rules.cancer for w in words):
        return "cancer"
    if any(
        e and is_content(t) and t not in rules.empty for t, e in zip(tokens, elsewhere, strict=True)
    ):
        return "elsewhere"  # "neck of femur": a spine word naming a site elsewhere
    if any(w in rules.spine for w in words):
        return "spine"
    if any(w not in rules.empty and w not in rules.weak_spine for w in words):
        return "elsewhere"
    if any(w in rules.weak_spine for w in words):
        return "spine"
    return "empty"


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding mention the cause may explain: its id and token range in the document."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """The sign a stated cause sets, over the cause phrase's tokens ``[start, end)``."""

    sign: str
    start: int
    end: int


def match(tokens: Sequence[str], at: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """Length of the first (longest) phrase found at ``at``, or 0."""
    for phrase in phrases:
        if tuple(tokens[at : at + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def phrase_after(tokens: Sequence[str], start: int, stop: int, rules: Compiled) -> int:
    """End of the cause phrase that begins at ``start``: the next clause boundary, the end of the
    sentence (``stop``), or the phrase's length limit."""
    end = start
    limit = min(stop, start + rules.rules.phrase_tokens)
    while end < limit and tokens[end] not in rules.hard and tokens[end] not in rules.soft:
        end += 1
    return end


def phrase_before(tokens: Sequence[str], end: int, first: int, rules: Compiled) -> int:
    """Start of the cause phrase that ends at ``end`` (a backward link's cause)."""
    start = end
    limit = max(first, end - rules.rules.phrase_tokens)
    while (
        start > limit
        and tokens[start - 1] not in rules.hard
        and tokens[start - 1] not in rules.soft
    ):
        start -= 1
    return start
