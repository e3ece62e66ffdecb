"""Findings read as concepts: a head word and its modifiers in one clause, in any order and wording.

Phrase lists name a finding the way one writer says it ("worse on extension"); the next writer says
"back ache on extension" or "worse standing and extending, better sitting" and the list misses it.
A concept (knowledge/reports/concepts.yaml) names a finding by word groups instead: one word of each
group must occur within a few tokens of the others, in one clause, with no negation, contrast or
history word between them. Words match whole tokens or, when written with a trailing ``*``, any
token they begin ("extend*" reads extend, extends, extending, extension), which stands in for a
lemmatiser without loading a language model.

A match becomes a mention like any other: ConText reads the negations, hedges and history around
it. A hedge between the concept's own words ("enhancing tissue could represent scar") marks it
uncertain. This module is pure Python; the spaCy component that adds its spans is
concept_component.py.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field, field_validator, model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import _check_ids
from spinetrack.domain.sources import Sources

CONCEPTS_FILE = "reports/concepts.yaml"
_SPLIT = re.compile(r"\s*([-+/])\s*")
"""The tokenizer makes "wide-based" three tokens and "+ve" two; a word list is written as read."""


def _words(entries: list[str]) -> list[str]:
    for entry in entries:
        if not entry.strip() or entry != entry.lower() or "*" in entry[:-1]:
            raise ValueError(f"{entry!r}: words are lower case, with '*' only at the end")
    return entries


class Concept(KnowledgeModel):
    """One finding named by word groups that must all occur close together in one clause."""

    finding: str
    all_of: list[str] = Field(min_length=2)
    """Names of word groups; the first is the head the others are looked for around."""
    none_of: list[str] = Field(default_factory=list)
    """Word groups that, anywhere in the clause, mean the concept is something else."""
    window: int = Field(default=8, ge=1, le=20)
    """Most tokens from the first to the last of the concept's words."""
    ordered: bool = False
    """Whether the groups' words must come in the order of ``all_of``: "legs were weak" says the
    legs are weak, where "reports a weak leg, but power is full" is a complaint the next words
    answer; the order is what tells a statement about the limb from a label put on it."""
    note: str | None = None
    sources: Sources


class Concepts(KnowledgeModel):
    note: str
    sources: Sources
    groups: dict[str, list[str]]
    blockers: list[str] = Field(min_length=1)
    """Words that may not lie between a concept's words: negations, contrast, history."""
    hedges: list[str] = Field(min_length=1)
    """Words that, between a concept's words, make the mention uncertain."""
    boundaries: list[str] = Field(min_length=1)
    """Tokens that end a clause."""
    masks: list[str] = Field(default_factory=list)
    """Phrases in which a group's word means something else ("clean and dry at discharge" is
    leaving hospital, not fluid): a word inside one counts for no group, while the rest of the
    clause still can."""
    concepts: list[Concept] = Field(min_length=1)

    _check_words = field_validator("blockers", "hedges", "boundaries", "masks")(_words)

    @field_validator("groups")
    @classmethod
    def _check_groups(cls, groups: dict[str, list[str]]) -> dict[str, list[str]]:
        for words in groups.values():
            _words(words)
        return groups

    @model_validator(mode="after")
    def _known_groups(self) -> "Concepts":
        for concept in self.concepts:
            for name in concept.all_of + concept.none_of:
                if name not in self.groups:
                    raise ValueError(f"{concept.finding}: unknown word group {name!r}")
        return self


def parse_concepts(data: Any | None = None) -> Concepts:
    """The concepts (the shipped file, or ``data`` shaped like it); finding ids must be known."""
    concepts = parse(CONCEPTS_FILE, Concepts, data)
    _check_ids(
        CONCEPTS_FILE,
        [(f"concepts.{i}.finding", c.finding) for i, c in enumerate(concepts.concepts)],
    )
    return concepts


BLOCKERS = "__blockers__"
HEDGES = "__hedges__"
MASKS = "__masks__"


def _tokens_of(word: str) -> tuple[str, ...]:
    return tuple((_SPLIT.sub(r" \1 ", word) if len(word) > 1 else word).split())


def _same(token: str, word: str) -> bool:
    return token == word or (word.endswith("*") and token.startswith(word[:-1]))


@dataclass(frozen=True, slots=True)
class Compiled:
    """Every word list indexed by its first token, so one pass over a clause finds them all."""

    concepts: tuple[Concept, ...]
    exact: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    """First token -> (the word's tokens, group name) for words whose first token is whole."""
    prefixed: tuple[tuple[tuple[str, ...], str], ...]
    """Words whose first token is a stem ("extend*")."""
    boundaries: frozenset[str]

    def index(self, tokens: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        """For each group, the (first, last) token indices of its words in ``tokens``."""
        found: dict[str, list[tuple[int, int]]] = {}
        size = len(tokens)
        for i, token in enumerate(tokens):
            candidates = self.exact.get(token, ())
            for words, name in (*candidates, *self.prefixed):
                end = i + len(words)
                if end <= size and all(_same(tokens[i + k], words[k]) for k in range(len(words))):
                    found.setdefault(name, []).append((i, end - 1))
        masks = found.pop(MASKS, None)
        if masks:
            found = _unmasked(found, masks)
        return found


def _unmasked(
    found: dict[str, list[tuple[int, int]]], masks: list[tuple[int, int]]
) -> dict[str, list[tuple[int, int]]]:
    """The groups' words less those that lie inside a mask phrase."""
    kept: dict[str, list[tuple[int, int]]] = {}
    for name, spans in found.items():
        free = [(s, e) for s, e in spans if not any(m <= s and e <= n for m, n in masks)]
        if free:
            kept[name] = free
    return kept


@cache
def compiled() -> Compiled:
    """The shipped concepts, parsed and compiled once per process."""
    return compile_concepts(parse_concepts())


def compile_concepts(concepts: Concepts) -> Compiled:
    lists = {
        **concepts.groups,
        BLOCKERS: concepts.blockers,
        HEDGES: concepts.hedges,
        MASKS: concepts.masks,
    }
    exact: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    prefixed: list[tuple[tuple[str, ...], str]] = []
    for name, words in lists.items():
        for word in words:
            tokens = _tokens_of(word)
            if tokens[0].endswith("*"):
                prefixed.append((tokens, name))
            else:
                exact.setdefault(tokens[0], []).append((tokens, name))
    return Compiled(
        tuple(concepts.concepts),
        {first: tuple(entries) for first, entries in exact.items()},
        tuple(prefixed),
        frozenset(concepts.boundaries),
    )


@dataclass(frozen=True, slots=True)
class ConceptMatch:
    """A concept found in a clause: its finding and its first and last token (inclusive)."""

    finding: str
    first: int
    last: int
    uncertain: bool
    own_negation: bool = False
    """Whether a blocker word is one of the concept's own words ("without knowing", "no injury
    from the fall"): such a mention must be one target with those words, or ConText reads them
    as a negation."""


def _clauses(tokens: Sequence[str], boundaries: frozenset[str]) -> list[tuple[int, int]]:
    """(start, stop) token ranges of the clauses of a sentence."""
    ranges, start = [], 0
    for i, token in enumerate(tokens):
        if token in boundaries:
            if i > start:
                ranges.append((start, i))
            start = i + 1
    if start < len(tokens):
        ranges.append((start, len(tokens)))
    return ranges


def _between(
    spans: list[tuple[int, int]], first: int, last: int, own: list[tuple[int, int]]
) -> bool:
    """Whether a span lies between ``first`` and ``last`` and is not one of the concept's own
    words ("not relieved by rest" is a word of constant pain, not a negation of it)."""
    return any(
        first < s and e < last and not any(o_first <= s and e <= o_last for o_first, o_last in own)
        for s, e in spans
    )


def _best(
    head: tuple[int, int], others: list[list[tuple[int, int]]], window: int
) -> list[tuple[int, int]] | None:
    """The head and the nearest match of each other group, when they fit in the window."""
    first, last = head
    chosen = [head]
    for matches in others:
        near = [m for m in matches if max(last, m[1]) - min(first, m[0]) < window]
        if not near:
            return None
        best = min(near, key=lambda m: (max(last, m[1]) - min(first, m[0]), m[0]))
        chosen.append(best)
        first, last = min(first, best[0]), max(last, best[1])
    return chosen


def match_concepts(tokens: Sequence[str], rules: Compiled | None = None) -> list[ConceptMatch]:
    """Every concept in one sentence given as lower-case token texts; at most one match per
    finding and clause."""
    rules = rules or compiled()
    matches: list[ConceptMatch] = []
    for start, stop in _clauses(tokens, rules.boundaries):
        found = rules.index(tokens[start:stop])
        blockers = found.get(BLOCKERS, [])
        hedges = found.get(HEDGES, [])
        for concept in rules.concepts:
            heads = found.get(concept.all_of[0])
            if not heads or any(name in found for name in concept.none_of):
                continue
            others = [found.get(name, []) for name in concept.all_of[1:]]
            if not all(others):
                continue
            for head in heads:
                own = _best(head, others, concept.window)
                if own is None or (concept.ordered and own != sorted(own)):
                    continue
                first, last = min(m[0] for m in own), max(m[1] for m in own)
                if _between(blockers, first, last, own):
                    continue
                uncertain = _between(hedges, first, last, own)
                negation = any(
                    o_first <= s and e <= o_last for s, e in blockers for o_first, o_last in own
                )
                matches.append(
                    ConceptMatch(concept.finding, start + first, start + last, uncertain, negation)
                )
                break
    return matches


def concept_words() -> list[str]:
    """Every word the concepts use, for the spelling lexicon."""
    concepts = parse_concepts()
    return [w.rstrip("*") for words in concepts.groups.values() for w in words]
