"""Patient <-> RegistryPatient. The MRN travels as an identifier in the clinic's MRN system; a
de-identified patient carries only its pseudonym, sex and shifted birth date."""

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from fhir.resources.R4B.contactpoint import ContactPoint
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.codes import (
    PATIENT_GENDERS,
    check_code,
    mrn_system,
    pseudonym_system,
)
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.interop.records import RegistryPatient


def to_patient(record: RegistryPatient, *, clinic: str, deidentified: bool = False) -> Patient:
    system = pseudonym_system(clinic) if deidentified else mrn_system(clinic)
    names = []
    if record.family_name or record.given_name:
        names.append(
            HumanName(
                use="official",
                family=record.family_name,
                given=[record.given_name] if record.given_name else None,
            )
        )
    telecom = []
    if record.phone:
        telecom.append(ContactPoint(system="phone", value=record.phone))
    if record.email:
        telecom.append(ContactPoint(system="email", value=record.email))
    return Patient(
        id=patient_id(record.mrn),
        identifier=[Identifier(system=system, value=record.mrn)],
        name=names or None,
        telecom=telecom or None,
        gender=record.sex,
        birthDate=record.birth_date,
    )


def mrn_systems(clinic: str, configured: Iterable[str] = ()) -> tuple[str, ...]:
    """The identifier systems a clinic's MRNs are matched in: its own, then those it configured
    for outside systems (a hospital's OID, an EHR's URL)."""
    return (mrn_system(clinic), *configured)


def mrn_of(patient: Patient, systems: Sequence[str], known: Collection[str] = ()) -> str:
    """The patient's MRN in the first of the clinic's systems it carries, unless another of its
    configured identifiers is an MRN the clinic already holds (the patient is then that record);
    a patient without one cannot be matched."""
    for identifier in patient.identifier or []:
        if identifier.system in systems and identifier.value and identifier.value in known:
            return str(identifier.value)
    for system in systems:
        for identifier in patient.identifier or []:
            if identifier.system == system and identifier.value:
                return str(identifier.value)
    raise InvalidInput(
        "identifier", f"no identifier in this clinic's MRN systems ({', '.join(systems)})"
    )


def _telecom(patient: Patient, kind: str) -> str | None:
    for point in patient.telecom or []:
        if point.system == kind and point.value:
            return str(point.value)
    return None


def from_patient(
    patient: Patient, systems: Sequence[str], known: Collection[str] = ()
) -> RegistryPatient:
    mrn = mrn_of(patient, systems, known)
    names = [n for n in patient.name or [] if n.use in (None, "official", "usual")]
    if not names:
        raise InvalidInput("name", "a patient needs a name (family and given)")
    name = names[0]
    if not isinstance(patient.birthDate, date):
        raise InvalidInput("birthDate", "a full date of birth (year, month and day) is needed")
    return RegistryPatient(
        mrn=mrn,
        given_name=" ".join(str(g) for g in name.given or []) or None,
        family_name=str(name.family) if name.family else None,
        birth_date=patient.birthDate,
        sex=check_code(patient.gender, PATIENT_GENDERS, "gender"),
        email=_telecom(patient, "email"),
        phone=_telecom(patient, "phone"),
    )
