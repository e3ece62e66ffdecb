"""Triage after spine surgery: red flags, likely causes, work-up and treatment options, sourced.

The public surface is ``assess(case) -> Assessment`` and the contract's two models.
"""

from spinetrack.domain.triage.assessment import Assessment
from spinetrack.domain.triage.case import Case
from spinetrack.domain.triage.engine import assess

__all__ = ["Assessment", "Case", "assess"]
