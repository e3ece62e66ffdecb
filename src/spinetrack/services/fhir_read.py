"""The FHIR read side: a patient's resources (for $everything and searches by patient), a clinic's
resources (for reads by id), and the Questionnaires. Each read is one audited transaction."""

from datetime import date

from fhir.resources.R4B.resource import Resource
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.domain.errors import NotFound
from spinetrack.domain.instruments import instrument_ids
from spinetrack.interop.fhir.bundle_out import registry_resources
from spinetrack.interop.fhir.codes import mrn_system
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.interop.fhir.questionnaire import to_questionnaire
from spinetrack.services.actor import Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.registry_records import clinic_rows, patient_rows, registry_of
from spinetrack.storage.tables import Patient
from spinetrack.storage.unit_of_work import UnitOfWork


def _stored_patient(uow: UnitOfWork, clinic_id: int, resource_id: str) -> int:
    """The stored patient whose Patient resource has this id (ids derive from the MRN)."""
    for patient in uow.patients(clinic_id).every(Patient):
        if patient_id(patient.mrn) == resource_id:
            return int(patient.id)
    raise NotFound("Patient", resource_id)


def patient_resources(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, resource_id: str
) -> list[Resource]:
    """Everything recorded about one patient, as FHIR resources (the Patient first)."""
    with audited(sessions, actor, "fhir.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        stored = _stored_patient(work.uow, clinic_id, resource_id)
        work.patient_id = stored
        registry = registry_of(work.uow, clinic_id, patient_rows(work.uow, clinic_id, stored))
        resources = registry_resources(registry, today=date.today())
        questionnaires = len(registry.instruments)
        return resources[questionnaires:] + resources[:questionnaires]


def clinic_resources(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, resource_type: str
) -> list[Resource]:
    """Every resource of one type in the clinic."""
    with audited(sessions, actor, "fhir.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        registry = registry_of(work.uow, clinic_id, clinic_rows(work.uow, clinic_id))
        resources = registry_resources(registry, today=date.today())
        found = [r for r in resources if r.get_resource_type() == resource_type]
        work.detail = f"{resource_type}: {len(found)}"
        return found


def patient_by_mrn(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, system: str, value: str
) -> list[Resource]:
    """The Patient with this identifier, if it is in the clinic's MRN system and registered."""
    with audited(sessions, actor, "fhir.search", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        if system != mrn_system(clinic.slug):
            return []
        stored = work.uow.patients(clinic_id).by_mrn(value)
        if stored is None:
            return []
        work.patient_id = stored.id
        registry = registry_of(work.uow, clinic_id, patient_rows(work.uow, clinic_id, stored.id))
        return [
            r
            for r in registry_resources(registry, today=date.today())
            if r.get_resource_type() == "Patient"
        ]


def questionnaires() -> list[Resource]:
    """Our instrument definitions; they hold no patient data."""
    return [to_questionnaire(i) for i in instrument_ids()]
