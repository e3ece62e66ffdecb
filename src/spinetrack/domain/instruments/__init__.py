"""Patient-reported instruments (ODI, NDI, pain NRS, COMI): definitions read from knowledge/ and the
scoring of one response. This is the package's public surface."""

from spinetrack.domain.instruments.definition import InstrumentDefinition, Item
from spinetrack.domain.instruments.registry import get_instrument, instrument_ids
from spinetrack.domain.instruments.result import Score, ScoreStatus
from spinetrack.domain.instruments.scoring import score

__all__ = [
    "InstrumentDefinition",
    "Item",
    "Score",
    "ScoreStatus",
    "get_instrument",
    "instrument_ids",
    "score",
]
