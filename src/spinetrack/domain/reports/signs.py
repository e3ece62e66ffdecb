"""Signs: warning signs reports state that the closed triage vocabulary cannot name.

knowledge/reports/signs.yaml lists them with their sources. The reader reads a sign like a finding
(its wording is in finding_terms.yaml, ConText applies), but a sign is never an extracted finding:
only red-flag rules read it (the ``sign`` condition), so the contract's finding ids stay the
vocabulary's. Kept free of spaCy so triage rules can check sign ids without loading the reader.
"""

import re
from functools import cache
from typing import Any

from pydantic import Field, model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

SIGNS_FILE = "reports/signs.yaml"


class Sign(KnowledgeModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=5)
    note: str | None = None
    denial_of: list[str] = Field(default_factory=list)
    """Findings whose denial states this sign: "no saddle numbness" says saddle sensation is
    working, as "saddle sensation normal" does."""
    sources: Sources


class Signs(KnowledgeModel):
    note: str
    sources: Sources
    denial_cues: list[str] = Field(default_factory=list)
    """Words that deny a finding outright ("no", "denies"): a negated mention states a
    ``denial_of`` sign only when one of them stands just before it, not when the negation came
    from a wider scope ("cannot feel when her bowels open ... the back passage is numb")."""
    denial_reach: int = 30
    """How many characters before a denied mention its denial cue may stand."""
    normal_statements: list[str] = Field(default_factory=list)
    """Signs whose words state a normal finding ("saddle sensation normal"): only a negation
    standing right before them (``normal_statement_reach`` tokens) denies them, never one whose
    scope runs over a list or a sentence into them ("no retention, saddle sensation normal")."""
    normal_statement_reach: int = 2
    normal_statement_findings: list[str] = Field(default_factory=list)
    """Vocabulary findings whose words state that something is normal ("normal post-op
    appearances", "nothing pressing on the nerves"): read as ``normal_statements`` are, so a
    list of negatives before them ("no recurrent disc, no narrowing, normal appearances") does
    not deny them."""
    signs: list[Sign] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Signs":
        ids = [sign.id for sign in self.signs]
        if len(ids) != len(set(ids)):
            raise ValueError("a sign id is listed more than once")
        return self


def parse_signs(data: Any | None = None) -> Signs:
    """The signs (the shipped file, or ``data`` shaped like it)."""
    return parse(SIGNS_FILE, Signs, data)


@cache
def sign_ids() -> frozenset[str]:
    """The ids of the shipped signs."""
    return frozenset(sign.id for sign in parse_signs().signs)


@cache
def denial_signs() -> dict[str, tuple[str, ...]]:
    """For each finding, the signs a negated mention of it states (``Sign.denial_of``)."""
    signs: dict[str, list[str]] = {}
    for sign in parse_signs().signs:
        for finding in sign.denial_of:
            signs.setdefault(finding, []).append(sign.id)
    return {finding: tuple(ids) for finding, ids in signs.items()}


@cache
def normal_statements() -> tuple[frozenset[str], int]:
    """The signs that state a normal finding, and how many tokens before one a negation may end
    to deny it (``Signs.normal_statements``)."""
    rules = parse_signs()
    normal = rules.normal_statements + rules.normal_statement_findings
    return frozenset(normal), rules.normal_statement_reach


@cache
def denial_cue() -> re.Pattern[str]:
    """A denial word that ends within ``denial_reach`` characters before a mention."""
    rules = parse_signs()
    words = "|".join(re.escape(word) for word in rules.denial_cues) or "(?!)"
    return re.compile(rf"\b(?:{words})\b[^.;\n]{{0,{rules.denial_reach}}}$", re.IGNORECASE)


def is_sign(identifier: str) -> bool:
    """Whether a mention's id names a sign rather than a vocabulary finding."""
    return identifier in sign_ids()


SIGN_EVIDENCE_PREFIX = "report: "
"""How a sign is named in a red flag's evidence. The contract's evidence lists finding ids or a
prefixed phrase (``timing: …``); a sign is not a vocabulary id, so it is written as words a
clinician or an EHR can show as they are: ``report: T2 signal change … within the spinal cord``."""


@cache
def sign_evidence(sign_id: str) -> str:
    """The evidence text of a sign: the prefix and the sign's description."""
    [sign] = [s for s in parse_signs().signs if s.id == sign_id]
    return SIGN_EVIDENCE_PREFIX + sign.description
