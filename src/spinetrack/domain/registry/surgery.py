"""How a surgery is described: the surgical matrix (principle x approach x levels) and level names.

Registries cut outcomes by any axis of the matrix, so each recorded surgery is checked against it
here, once, before it is stored.
"""

import re
from functools import cache

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

SURGERY_FILE = "registry/surgery.yaml"

# Anatomy, not a clinical threshold: the mobile segments in order, and which region each belongs to.
_VERTEBRAE = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + ["S1"]
)
_REGION_OF = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "lumbar"}
_LEVEL = re.compile(r"^([CTLS]\d{1,2})-([CTLS]\d{1,2})$")


class ProcedureEntry(KnowledgeModel):
    principle: str
    usual_approaches: list[str]


class SurgeryMatrix(KnowledgeModel):
    sources: Sources
    approaches: dict[str, str]
    principles: dict[str, str]
    procedures: dict[str, ProcedureEntry]


@cache
def surgery_matrix() -> SurgeryMatrix:
    return parse(SURGERY_FILE, SurgeryMatrix)


def principle_of(procedure: str) -> str:
    """The matrix principle (decompression, fusion, motion_preservation) of a procedure id."""
    return surgery_matrix().procedures[procedure].principle


def check_procedure(procedure: str, field: str = "procedure") -> str:
    if procedure not in vocabulary().procedures:
        known = ", ".join(vocabulary().procedures)
        raise InvalidInput(field, f"unknown procedure {procedure!r}; expected one of {known}")
    return procedure


def check_region(region: str, field: str = "region") -> str:
    if region not in vocabulary().regions:
        known = ", ".join(vocabulary().regions)
        raise InvalidInput(field, f"unknown region {region!r}; expected one of {known}")
    return region


def check_approach(approach: str, field: str = "approach") -> str:
    if approach not in surgery_matrix().approaches:
        known = ", ".join(surgery_matrix().approaches)
        raise InvalidInput(field, f"unknown approach {approach!r}; expected one of {known}")
    return approach


def normalize_level(level: str, region: str | None = None, field: str = "levels") -> str:
    """Check a motion segment such as ``L4-L5`` or ``C5-C6`` and return it upper-cased.

    The two vertebrae must be adjacent; when a region is given the segment must touch it (the
    junctions C7-T1, T12-L1 and L5-S1 belong to both neighbours).
    """
    known = _NORMAL.get((level, region))
    if known is not None:
        return known
    match = _LEVEL.match(level.strip().upper())
    if not match or match[1] not in _VERTEBRAE or match[2] not in _VERTEBRAE:
        raise InvalidInput(field, f"{level!r} is not a spinal level like L4-L5 or C5-C6")
    upper, lower = match[1], match[2]
    if _VERTEBRAE.index(lower) != _VERTEBRAE.index(upper) + 1:
        raise InvalidInput(field, f"{level!r}: the two vertebrae of a level must be adjacent")
    if region is not None and region not in {_REGION_OF[upper[0]], _REGION_OF[lower[0]]}:
        raise InvalidInput(field, f"{level!r} is not in the {region} spine")
    normal = f"{upper}-{lower}"
    if level == normal:
        _NORMAL[(level, region)] = normal
    return normal


_NORMAL: dict[tuple[str, str | None], str] = {}
"""Levels already accepted as written, by (level, region): a bulk import checks the same few
dozen levels over and over (the demo's 100,000 surgeries). Only accepted levels already in their
tidy form are kept (a few hundred at most), so a refusal is always worked out, and worded, afresh."""


def segments_between(upper: str, lower: str) -> tuple[str, ...]:
    """Every motion segment from vertebra `upper` down to `lower` ('C3', 'C6' -> C3-C4, C4-C5,
    C5-C6): how a range of vertebrae written by a hospital is read. Empty when either is not a
    vertebra or they are not in order."""
    upper, lower = upper.upper(), lower.upper()
    if upper not in _VERTEBRAE or lower not in _VERTEBRAE:
        return ()
    start, end = _VERTEBRAE.index(upper), _VERTEBRAE.index(lower)
    return tuple(f"{_VERTEBRAE[i]}-{_VERTEBRAE[i + 1]}" for i in range(start, end))
