"""Signs: warning signs reports state that the closed triage vocabulary cannot name.

knowledge/reports/signs.yaml lists them with their sources. The reader reads a sign like a finding
(its wording is in finding_terms.yaml, ConText applies), but a sign is never an extracted finding:
only red-flag rules read it (the ``sign`` condition), so the contract's finding ids stay the
vocabulary's. Kept free of spaCy so triage rules can check sign ids without loading the reader.
"""

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
    sources: Sources


class Signs(KnowledgeModel):
    note: str
    sources: Sources
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
