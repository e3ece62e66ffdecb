"""Findings read from free-text reports: the one seam where issue 8's extractor plugs in.

Issue 8 implements ``extract_findings`` with medspaCy (negation aware, target phrases from
knowledge/reports/); the engine already adds whatever it returns to the case's findings and lists
it in ``extracted_findings``. Until then no finding is read from text: reports are validated and
kept, and only the findings the case lists are used.
"""

from collections.abc import Sequence

from spinetrack.domain.triage.assessment import ExtractedFinding


def extract_findings(reports: Sequence[str]) -> list[ExtractedFinding]:
    """The findings the reports affirm (never those they negate), with the words and report index.

    Returns no findings until the medspaCy extractor of issue 8 replaces this body.
    """
    del reports  # read by the issue 8 extractor; nothing reads free text before it exists
    return []
