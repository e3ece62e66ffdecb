"""Findings from free-text imaging and clinic reports, read with medspaCy and negation aware.

``find_in_reports(reports)`` gives the findings (affirmed or uncertain) with their spans;
``read_mentions(reports)`` gives every mention with its status, for review and testing. A mention
whose id ``is_sign`` is a warning sign of knowledge/reports/signs.yaml, not a vocabulary finding.

The names are loaded on first use (PEP 562): triage rules import ``reports.signs`` to check sign
ids, and that must not import the reader's libraries into a case that has no report text.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spinetrack.domain.reports.findings import (
        Mention,
        Status,
        find_in_reports,
        read_mentions,
    )
    from spinetrack.domain.reports.signs import is_sign

__all__ = ["Mention", "Status", "find_in_reports", "is_sign", "read_mentions"]

_HOME = {
    "Mention": "findings",
    "Status": "findings",
    "find_in_reports": "findings",
    "read_mentions": "findings",
    "is_sign": "signs",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
