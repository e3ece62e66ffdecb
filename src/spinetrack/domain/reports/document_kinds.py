"""Document kinds: a word whose meaning depends on the kind of form it is written on.

"Claimant" on a medico-legal report names the person bringing an injury claim; on a disability
benefit or income-protection form it names someone applying for a benefit, which the vocabulary's
``compensation_claim`` ("workers' compensation or litigation in progress") is not.
knowledge/reports/document_kinds.yaml names each kind of document (a regex found anywhere in the
report), the findings it changes and the wording that, on such a document, does not state them.
A mention told in that wording is dropped; the same finding told in other words stays.
"""

import re
from functools import cache

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import READER_FLAGS, _check_ids, compiles
from spinetrack.domain.sources import Sources

KINDS_FILE = "reports/document_kinds.yaml"


class DocumentKind(KnowledgeModel):
    name: str = Field(min_length=2)
    document: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is this kind of document."""
    findings: list[str] = Field(min_length=1)
    wording: str = Field(min_length=2)
    """A regex a mention's own words must match in full to be dropped on such a document."""
    note: str | None = None
    sources: Sources

    _compiles = field_validator("document", "wording")(compiles)


class DocumentKinds(KnowledgeModel):
    note: str
    kinds: list[DocumentKind] = Field(min_length=1)


@cache
def document_kinds() -> DocumentKinds:
    kinds = parse(KINDS_FILE, DocumentKinds)
    _check_ids(
        KINDS_FILE,
        [
            (f"kinds.{i}.findings.{j}", finding)
            for i, kind in enumerate(kinds.kinds)
            for j, finding in enumerate(kind.findings)
        ],
    )
    return kinds


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], frozenset[str], re.Pattern[str]], ...]:
    return tuple(
        (
            re.compile(kind.document, READER_FLAGS),
            frozenset(kind.findings),
            re.compile(kind.wording, READER_FLAGS),
        )
        for kind in document_kinds().kinds
    )


def not_meant_here(report: str) -> list[tuple[frozenset[str], re.Pattern[str]]]:
    """For each kind the report is, the findings it changes and the wording that does not state
    them on it."""
    return [
        (findings, wording)
        for document, findings, wording in _compiled()
        if document.search(report)
    ]
