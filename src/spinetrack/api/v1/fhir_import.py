"""What a FHIR client gets back for a posted batch or transaction: a response Bundle with one entry
per entry it sent, in order — "200 OK" for what was imported or matched, and for a skipped or
rejected resource an OperationOutcome that says why — or, when a transaction is refused, one
OperationOutcome listing every rejected resource."""

import json

from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntryResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome, OperationOutcomeIssue

from spinetrack.interop.fhir.bundle_in import Note
from spinetrack.services.registry_io.import_records import ImportReport


def _issue(note: Note, severity: str, code: str) -> OperationOutcomeIssue:
    return OperationOutcomeIssue(
        severity=severity,
        code=code,
        diagnostics=f"{note.resource}: {note.reason}",
        expression=[f"Bundle.entry[{note.entry}].resource.{note.field}"] if note.field else None,
    )


def rejected_outcome(report: ImportReport) -> OperationOutcome:
    issues = [_issue(note, "error", "invalid") for note in report.rejected]
    issues += [_issue(note, "information", "not-supported") for note in report.skipped]
    return OperationOutcome(issue=issues)


def import_answer(raw: bytes, report: ImportReport, kind: str) -> Bundle:
    """The transaction-response or batch-response to the Bundle `raw`."""
    entries = json.loads(raw).get("entry") or []
    rejected = {note.entry: note for note in report.rejected}
    skipped = {note.entry: note for note in report.skipped}
    answers = []
    for position, _ in enumerate(entries):
        if position in rejected:
            status = "422 Unprocessable Entity"
            outcome = OperationOutcome(issue=[_issue(rejected[position], "error", "invalid")])
        elif position in skipped:
            status = "422 Unprocessable Entity"
            outcome = OperationOutcome(
                issue=[_issue(skipped[position], "information", "not-supported")]
            )
        else:
            status, outcome = "200 OK", None
        answers.append(BundleEntry(response=BundleEntryResponse(status=status, outcome=outcome)))
    return Bundle(type=f"{kind}-response", entry=answers or None)
