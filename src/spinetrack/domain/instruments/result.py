"""The result of scoring one response: status, how many items were answered, the score, and why."""

from dataclasses import dataclass
from typing import Literal

ScoreStatus = Literal["ok", "insufficient", "invalid"]


@dataclass(frozen=True, slots=True)
class Score:
    instrument: str
    status: ScoreStatus
    answered: int
    """Items with a value, valid or not."""
    raw: float | None = None
    """ODI/NDI: the 0-50 raw score; COMI and NRS: the score itself. Rounded half up to 2 decimals."""
    percent: float | None = None
    """ODI/NDI only: the 0-100 percentage. Rounded half up to 2 decimals."""
    reason: str = ""
    """Why the response was not scored (empty when status is ok)."""
