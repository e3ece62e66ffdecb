"""Findings from free-text imaging and clinic reports, read with medspaCy and negation aware.

``find_in_reports(reports)`` gives the findings (affirmed or uncertain) with their spans;
``read_mentions(reports)`` gives every mention with its status, for review and testing.
"""

from spinetrack.domain.reports.findings import Mention, Status, find_in_reports, read_mentions

__all__ = ["Mention", "Status", "find_in_reports", "read_mentions"]
