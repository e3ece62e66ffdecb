"""Findings read from free-text reports: the seam between triage and the report reader.

``spinetrack.domain.reports`` reads the reports with medspaCy, negation aware; this module turns
what it finds into the contract's ``extracted_findings`` items and tells triage which findings the
reports only suggest ("possible", "cannot rule out"), so their evidence can weigh less.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from spinetrack.domain.triage.assessment import ExtractedFinding


@dataclass(frozen=True, slots=True)
class TextFindings:
    """What the reports say: the contract's items (affirmed and uncertain findings, one per
    finding and report, in report and text order) and the ids no report affirms."""

    extracted: list[ExtractedFinding]
    uncertain: frozenset[str]
    signs: frozenset[str] = frozenset()
    """Warning signs the reports state or suggest that the vocabulary has no finding for
    (knowledge/reports/signs.yaml); only red-flag rules read them, and a suggested sign counts
    as a stated one there."""


NO_TEXT = TextFindings(extracted=[], uncertain=frozenset())


def extract_findings(
    reports: Sequence[str],
    rejected: Collection[tuple[int, str]] = (),
    surgeries: Collection[tuple[str, Sequence[str]]] = (),
) -> TextFindings:
    """The findings the reports affirm or suggest, never those they negate, with the words and the
    report index; a case without reports does not load the report reader at all. ``rejected``
    holds (report index, finding id) pairs a clinician rejected as misread: they are left out.
    ``surgeries`` holds the case's (procedure, levels): the reader places the levels the reports
    name against them."""
    if not reports:
        return NO_TEXT
    from spinetrack.domain.reports import find_in_reports, is_sign  # loads only when needed
    from spinetrack.domain.reports.case_levels import case_levels

    mentions = find_in_reports(reports, case_levels(surgeries))
    found = [m for m in mentions if not is_sign(m.id) and (m.report, m.id) not in rejected]
    affirmed = {m.id for m in found if m.status == "affirmed"}
    return TextFindings(
        extracted=[
            ExtractedFinding(id=m.id, text=m.text, report=m.report, certainty=m.certainty)
            for m in found
        ],
        uncertain=frozenset(m.id for m in found if m.id not in affirmed),
        signs=frozenset(m.id for m in mentions if is_sign(m.id)),
    )
