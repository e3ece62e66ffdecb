"""The triage case for a CDS Hooks patient-view call about a patient the clinic holds: built from
our record (surgeries, recorded findings, PROM history) with the EHR's prefetched Conditions added
as reports. The read is audited against the patient, in the name of the calling EHR."""

from datetime import date
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.patient import mrn_systems
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.registry_io.fhir_search import patient_row
from spinetrack.services.registry_io.import_fhir import import_settings
from spinetrack.services.triage.triage_case import CaseInputs, build_case
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def stored_case(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic: str,
    patient: str,
    identifiers: list[tuple[str, str]],
    reports: list[str],
    on: date | None = None,
) -> dict[str, Any] | None:
    """The case from our record of the patient (by our Patient id, else by an identifier in one of
    the clinic's MRN systems), or None when the clinic does not hold the patient."""
    clinic_id = find_clinic(sessions=sessions, slug=clinic)
    if clinic_id is None:
        return None
    with audited(sessions, actor, "cds.patient_view", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        found = patient_row(work.uow, clinic_id, patient)
        if found is None:
            settings = import_settings(work.uow, clinic_id)
            systems = set(mrn_systems(settings.clinic, settings.mrn_systems))
            for system, value in identifiers:
                stored = repo.by_mrn(value) if system in systems else None
                if stored is not None:
                    found = stored.id
                    break
        if found is None:
            work.detail = "patient not held here; prefetch only"
            return None
        work.patient_id = found
        try:
            return build_case(
                patient=repo.get(found),
                surgeries=repo.surgeries(found),
                responses=repo.responses(found),
                findings=repo.findings(found),
                inputs=CaseInputs(
                    evaluation_date=on or clinic_today(work.uow, clinic_id), reports=reports
                ),
            )
        except InvalidInput:
            work.detail = "no surgery recorded; prefetch only"
            return None
