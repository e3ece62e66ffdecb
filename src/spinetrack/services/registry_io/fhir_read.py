"""The FHIR read side for whole records: a patient's resources ($everything) and the
Questionnaires. Reads by id and searches are in fhir_search. Each read is one audited transaction."""

from fhir.resources.R4B.resource import Resource

from spinetrack.domain.errors import NotFound
from spinetrack.domain.instruments import instrument_ids
from spinetrack.interop.fhir.bundle_out import registry_resources
from spinetrack.interop.fhir.questionnaire import to_questionnaire
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.fhir_search import patient_row
from spinetrack.services.registry_io.registry_records import patient_rows, registry_of
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


def _stored_patient(uow: UnitOfWork, clinic_id: int, resource_id: str) -> int:
    """The stored patient whose Patient resource has this id (ids derive from the MRN)."""
    found = patient_row(uow, clinic_id, resource_id)
    if found is None:
        raise NotFound("Patient", resource_id)
    return found


def patient_resources(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, resource_id: str
) -> list[Resource]:
    """Everything recorded about one patient, as FHIR resources (the Patient first)."""
    with audited(sessions, actor, "fhir.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        stored = _stored_patient(work.uow, clinic_id, resource_id)
        work.patient_id = stored
        registry = registry_of(work.uow, clinic_id, patient_rows(work.uow, clinic_id, stored))
        resources = registry_resources(registry, today=clinic_today(work.uow, clinic_id))
        questionnaires = len(registry.instruments)
        return resources[questionnaires:] + resources[:questionnaires]


def questionnaires() -> list[Resource]:
    """Our instrument definitions; they hold no patient data."""
    return [to_questionnaire(i) for i in instrument_ids()]
