"""The operated levels a case hands the report reader, beside its report text.

A report often names no level for the operation it follows up ("At L3-4 new canal stenosis" under a
heading the radiologist took from the request), while the case the report belongs to says which
segments were operated and how (a surgery of the registry: procedure ``fusion``, levels
``[L4-L5]``). The reader then places a level the report names against those segments as a clinician
reading the report beside the record does. Which procedures make a neighbouring level "adjacent" is
the vocabulary's rule, kept in knowledge/reports/level_positions.yaml (``adjacent_procedures``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spinetrack.domain.reports.levels import Segment, level_mentions, level_positions

CASE_LEVELS = "spinetrack_case_levels"
"""The key of ``Doc.user_data`` under which the reader hands the level component the case's
operated levels; a document without it is read from its own words alone."""


@dataclass(frozen=True, slots=True)
class CaseLevels:
    """Segments the case says were operated: ``fused`` (fusion or disc replacement, whose
    neighbours are adjacent levels) and ``operated`` (every operated segment, fused or not)."""

    fused: frozenset[Segment] = frozenset()
    operated: frozenset[Segment] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.operated)


NO_CASE = CaseLevels()

_LAST_NECK_VERTEBRA = 7
"""Ordinal of C7 (levels.py counts C1 as 1): a segment whose upper vertebra is at most this one is
in the neck (C7-T1 included, the cervicothoracic junction reached from the front)."""


def below_the_neck(case: CaseLevels) -> bool:
    """Whether the case names operated levels and every one is below the cervical spine: no
    operation on it reached the front of the neck."""
    return bool(case.operated) and all(
        min(segment) > _LAST_NECK_VERTEBRA for segment in case.operated
    )


def case_levels(surgeries: Iterable[tuple[str, Sequence[str]]]) -> CaseLevels:
    """The case's operated segments from (procedure, levels) pairs, levels written as the
    registry writes them ("L4-L5", "C5-C6"); a level that cannot be read is left out."""
    fusing = frozenset(level_positions().adjacent_procedures)
    fused: set[Segment] = set()
    operated: set[Segment] = set()
    for procedure, levels in surgeries:
        for level in levels:
            for mention in level_mentions(level):
                operated |= mention.segments
                if procedure in fusing:
                    fused |= mention.segments
    return CaseLevels(frozenset(fused), frozenset(operated))
