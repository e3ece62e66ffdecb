"""Import a CSV of one kind (patients, surgeries, complications or responses) into a clinic, in one
transaction. Every row is checked like a single entry; `all-or-nothing` stores nothing when a row is
rejected, `accept-valid` stores the valid rows. Either way the report lists each rejected row."""

from typing import Literal

from spinetrack.interop.fhir.bundle_in import Located, Note
from spinetrack.interop.tabular import Kind, RowProblem, parse_rows, read_csv, record_lines
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.import_fhir import WRITERS
from spinetrack.services.registry_io.import_records import (
    ImportRejected,
    ImportReport,
    Incoming,
    Progress,
    upsert,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Mode = Literal["all-or-nothing", "accept-valid"]


def _note(problem: RowProblem) -> Note:
    return Note(problem.line, f"line {problem.line}", problem.field, problem.reason)


def import_csv(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    kind: Kind,
    data: bytes,
    mode: Mode = "all-or-nothing",
    progress: Progress | None = None,
) -> ImportReport:
    with audited(sessions, actor, f"csv.import.{kind}", clinic_id=clinic_id) as work:
        actor.require(clinic_id, WRITERS)
        frame = read_csv(data, kind)
        problems: list[RowProblem] = []
        rows = [
            Located(row.line, f"line {row.line}", row.record)
            for row in parse_rows(frame, kind, problems, record_lines(data))
        ]
        report = ImportReport(rejected=[_note(p) for p in problems])
        upsert(work.uow, clinic_id, Incoming(**{kind: rows}), report, progress)
        report.rejected.sort(key=lambda note: note.entry)
        if report.rejected and mode == "all-or-nothing":
            raise ImportRejected(report)
        work.detail = f"{mode}; {report.summary()}"
        return report
