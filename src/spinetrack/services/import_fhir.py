"""Import a FHIR Bundle into a clinic, in one transaction: every resource is read and checked, and
if any is rejected nothing is stored and the report names each one with its reason. Importing the
same Bundle twice changes nothing the second time (see import_records for how records are matched)."""

from sqlalchemy.orm import Session, sessionmaker

from spinetrack.interop.fhir.bundle_in import load_bundle, read_bundle
from spinetrack.services.actor import Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.import_records import (
    ImportRejected,
    ImportReport,
    Incoming,
    Progress,
    upsert,
)

WRITERS = frozenset({"admin", "clinician", "staff"})


def import_fhir(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    clinic_id: int,
    bundle: bytes,
    progress: Progress | None = None,
) -> ImportReport:
    with audited(sessions, actor, "fhir.import", clinic_id=clinic_id) as work:
        actor.require(clinic_id, WRITERS)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        read = read_bundle(load_bundle(bundle), clinic=clinic.slug)
        report = ImportReport(rejected=list(read.rejected), skipped=list(read.skipped))
        incoming = Incoming(read.patients, read.surgeries, read.complications, read.responses)
        upsert(work.uow, clinic_id, incoming, report, progress)
        report.rejected.sort(key=lambda note: note.entry)
        if report.rejected:
            raise ImportRejected(report)
        work.detail = report.summary()
        return report
