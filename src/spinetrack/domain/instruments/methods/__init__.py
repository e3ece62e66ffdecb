"""Scoring methods, one module per kind of arithmetic; the registry says which instrument uses which.

Each method module provides the four functions of ``ScoringMethod``: ``check`` refuses a definition
the method cannot score (a load error), ``compute`` scores answers already checked for range and
whole numbers, and ``outcome_range`` / ``outcome_score`` say which number outcomes are judged on.
"""

from collections.abc import Mapping
from typing import Protocol

from spinetrack.domain.instruments.definition import InstrumentDefinition
from spinetrack.domain.instruments.result import Score


class ScoringMethod(Protocol):
    def check(self, definition: InstrumentDefinition) -> None: ...

    def compute(self, definition: InstrumentDefinition, values: Mapping[str, int]) -> Score: ...

    def outcome_range(self, definition: InstrumentDefinition) -> tuple[float, float]: ...

    def outcome_score(self, score: Score) -> float | None: ...
