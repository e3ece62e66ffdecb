"""The wording of reports as data: target terms per finding id, and ConText modifier rules.

Both files live in knowledge/reports/ with their sources; this module only parses and checks them
(every finding id must be in the triage vocabulary, every regex must compile). Turning them into
medspaCy rules is the pipeline's job.
"""

import re
from functools import cache
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.signs import sign_ids
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

TERMS_FILE = "reports/finding_terms.yaml"
MODIFIERS_FILE = "reports/context_modifiers.yaml"

TokenPattern = list[dict[str, Any]]
"""A spaCy token pattern: one dict of token attributes per token, e.g. [{"LOWER": "febrile"}]."""

Category = Literal[
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HYPOTHETICAL", "HISTORICAL", "FAMILY", "BOUNDARY"
]
Direction = Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]


def alternation(regexes: list[str]) -> str:
    """An entry's regexes as the one pattern the reader matches (``(?:a)|(?:b)``): medspaCy's
    regex matcher rebuilds the document text for every pattern, so one per entry, not per regex."""
    return "|".join(f"(?:{regex})" for regex in regexes)


READER_FLAGS = re.IGNORECASE
"""The flags medspaCy's regex matcher compiles every pattern with."""


def compiles(pattern: str) -> str:
    """A field validator for one regex of a reader knowledge file: it must compile with the
    reader's flags, and the error names it."""
    try:
        re.compile(pattern, READER_FLAGS)
    except re.error as exc:
        raise ValueError(f"regex {pattern!r} does not compile: {exc}") from None
    return pattern


def _compiles(patterns: list[str]) -> list[str]:
    """Check that the entry's regexes compile, by compiling the very pattern the reader will
    (their alternation, with the reader's flags): ``re`` keeps it in its cache, so building the
    pipeline does not compile it a second time, and compiling was most of the build's cost. Only
    when that fails is each regex compiled alone, to name the one at fault."""
    if not patterns:
        return patterns
    try:
        re.compile(alternation(patterns), READER_FLAGS)
    except re.error as joined:
        for pattern in patterns:
            compiles(pattern)
        raise ValueError(f"regexes {patterns!r} do not compile together: {joined}") from None
    return patterns


class _Wording(KnowledgeModel):
    """Ways of writing one thing: literal phrases (matched on lower-case tokens), regexes
    (case-insensitive, over the text), and spaCy token patterns."""

    phrases: list[str] = Field(default_factory=list)
    regexes: list[str] = Field(default_factory=list)
    tokens: list[TokenPattern] = Field(default_factory=list)

    _check_regexes = field_validator("regexes")(_compiles)

    @model_validator(mode="after")
    def _says_something(self) -> "_Wording":
        if not (self.phrases or self.regexes or self.tokens):
            raise ValueError("give at least one phrase, regex or token pattern")
        return self


class FindingTerms(_Wording):
    """How reports name one finding of the triage vocabulary (or one sign of signs.yaml)."""

    finding: str
    yields_to: list[str] = Field(default_factory=list)
    """Findings whose wording contains this one's ("incontinence" inside "faecal incontinence"):
    a mention of this finding that lies wholly inside a mention of one of them is theirs."""
    note: str | None = None
    sources: Sources


class TermRules(KnowledgeModel):
    note: str
    sources: Sources
    terms: list[FindingTerms] = Field(min_length=1)


class ModifierRule(_Wording):
    """A ConText modifier: its category, the direction of its scope, and optional limits."""

    category: Category
    direction: Direction
    max_scope: int | None = Field(default=None, ge=1)
    excluded_findings: list[str] = Field(default_factory=list)
    allowed_findings: list[str] = Field(default_factory=list)
    """When given, the modifier changes only these findings (a reason for weight loss says nothing
    of the other findings of its sentence)."""
    note: str | None = None


class ModifierRules(KnowledgeModel):
    note: str
    sources: Sources
    modifiers: list[ModifierRule] = Field(min_length=1)


def _check_ids(file: str, named: list[tuple[str, str]]) -> None:
    """Refuse a finding id that neither the vocabulary nor signs.yaml knows; ``named`` holds
    (field, id) pairs."""
    known = set(vocabulary().findings) | sign_ids()
    for where, finding in named:
        if finding not in known:
            raise KnowledgeError(file, where, f"unknown finding {finding!r}")


def parse_terms(data: Any | None = None) -> TermRules:
    """The target terms (the shipped file, or ``data`` shaped like it); every finding they name
    must be in the triage vocabulary."""
    rules = parse(TERMS_FILE, TermRules, data)
    named = [(f"terms.{i}.finding", t.finding) for i, t in enumerate(rules.terms)]
    named += [
        (f"terms.{i}.yields_to.{j}", other)
        for i, t in enumerate(rules.terms)
        for j, other in enumerate(t.yields_to)
    ]
    _check_ids(TERMS_FILE, named)
    return rules


@cache
def yields() -> dict[str, frozenset[str]]:
    """For each finding, the findings a mention of it nested inside a mention of gives way to."""
    found: dict[str, set[str]] = {}
    for terms in term_rules().terms:
        found.setdefault(terms.finding, set()).update(terms.yields_to)
    return {finding: frozenset(others) for finding, others in found.items() if others}


def parse_modifiers(data: Any | None = None) -> ModifierRules:
    """The ConText modifier rules (the shipped file, or ``data`` shaped like it)."""
    rules = parse(MODIFIERS_FILE, ModifierRules, data)
    named = [
        (f"modifiers.{i}.excluded_findings.{j}", finding)
        for i, rule in enumerate(rules.modifiers)
        for j, finding in enumerate(rule.excluded_findings)
    ]
    named += [
        (f"modifiers.{i}.allowed_findings.{j}", finding)
        for i, rule in enumerate(rules.modifiers)
        for j, finding in enumerate(rule.allowed_findings)
    ]
    _check_ids(MODIFIERS_FILE, named)
    return rules


@cache
def term_rules() -> TermRules:
    """The shipped target terms, parsed once."""
    return parse_terms()


@cache
def modifier_rules() -> ModifierRules:
    """The shipped ConText modifier rules, parsed once."""
    return parse_modifiers()
