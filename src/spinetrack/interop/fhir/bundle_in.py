"""Read a Bundle into registry records, resource by resource: each resource that cannot be read is
reported with where it is and why, and derived resources (scores, the PSPS-2 flag, triage, our own
Questionnaires) are skipped with the reason, because the registry computes them itself."""

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.codes import BASE, BUNDLE_TYPES, check_code, mrn_system
from spinetrack.interop.fhir.complication import from_complication, is_complication
from spinetrack.interop.fhir.elements import our_code
from spinetrack.interop.fhir.patient import from_patient, mrn_of
from spinetrack.interop.fhir.procedure import from_procedure, performed_on, revised_reference
from spinetrack.interop.fhir.psps2 import OUTCOME_FLAG
from spinetrack.interop.fhir.questionnaire_response import from_response
from spinetrack.interop.records import (
    ComplicationRecord,
    PatientRecord,
    ResponseRecord,
    SurgeryRecord,
    SurgeryRef,
)

T = TypeVar("T")

PSPS2_SKIPPED = "the PSPS-2 flag is computed here from the scores"
DERIVED = {
    "Observation": "scores are computed here from the QuestionnaireResponse",
    "RiskAssessment": "triage assessments are made here from the record, not imported",
    "Questionnaire": "our instrument definitions are built in",
}


@dataclass(frozen=True)
class Note:
    """Why one entry of the Bundle was rejected or skipped."""

    entry: int
    resource: str
    field: str
    reason: str


@dataclass(frozen=True)
class Located(Generic[T]):
    entry: int
    resource: str
    record: T


@dataclass
class ReadBundle:
    patients: list[Located[PatientRecord]] = field(default_factory=list)
    surgeries: list[Located[SurgeryRecord]] = field(default_factory=list)
    complications: list[Located[ComplicationRecord]] = field(default_factory=list)
    responses: list[Located[ResponseRecord]] = field(default_factory=list)
    rejected: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)


@dataclass
class _Parsed:
    entry: int
    label: str
    resource: Resource


def load_bundle(raw: bytes) -> dict[str, Any]:
    """The Bundle's JSON; a file that is not a FHIR Bundle is unusable as a whole."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("bundle", f"not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidInput("bundle", "the file is not a FHIR Bundle (resourceType must be Bundle)")
    check_code(data.get("type"), BUNDLE_TYPES, "bundle.type")
    if not isinstance(data.get("entry", []), list):
        raise InvalidInput("bundle.entry", "must be a list")
    return data


def _first_error(exc: ValidationError) -> tuple[str, str]:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return where, str(error.get("msg", "invalid"))


class _Reader:
    def __init__(self, clinic: str) -> None:
        self.clinic = clinic
        self.out = ReadBundle()
        self.parsed: list[_Parsed] = []
        self.index: dict[str, _Parsed] = {}

    def reject(self, item: _Parsed | tuple[int, str], where: str, reason: str) -> None:
        entry, label = (item.entry, item.label) if isinstance(item, _Parsed) else item
        self.out.rejected.append(Note(entry, label, where, reason))

    def parse(self, position: int, entry: Any) -> None:
        data = entry.get("resource") if isinstance(entry, dict) else None
        kind = data.get("resourceType") if isinstance(data, dict) else None
        label = f"{kind or 'entry'}/{data.get('id') if isinstance(data, dict) else '?'}"
        if not isinstance(data, dict) or not isinstance(kind, str):
            self.reject(
                (position, label), "resource", "an entry needs a resource with a resourceType"
            )
            return
        try:
            model = get_fhir_model_class(kind)
            resource = model.model_validate(data)
        except KeyError:
            self.reject((position, label), "resourceType", f"{kind} is not a FHIR R4 resource")
            return
        except ValidationError as exc:
            self.reject((position, label), *_first_error(exc))
            return
        if not isinstance(resource, Resource):
            self.reject((position, label), "resourceType", f"{kind} is a data type, not a resource")
            return
        parsed = _Parsed(position, label, resource)
        self.parsed.append(parsed)
        if resource.id:
            self.index[f"{kind}/{resource.id}"] = parsed
        if isinstance(entry.get("fullUrl"), str):
            self.index[entry["fullUrl"]] = parsed

    def patient_mrn(self, subject: Reference | None) -> str:
        """The MRN of the patient a reference names: a Patient in the Bundle, or by identifier."""
        if subject is None:
            raise InvalidInput("subject", "no subject: the patient is not named")
        identifier = subject.identifier
        if (
            identifier is not None
            and identifier.system == mrn_system(self.clinic)
            and identifier.value
        ):
            return str(identifier.value)
        target = self.index.get(str(subject.reference or ""))
        if target is None or not isinstance(target.resource, Patient):
            raise InvalidInput("subject", f"{subject.reference!r} is not a Patient in the Bundle")
        return mrn_of(target.resource, self.clinic)

    def each(self, kind: type[T]) -> list[tuple[_Parsed, T]]:
        return [(p, p.resource) for p in self.parsed if isinstance(p.resource, kind)]


def _patients(reader: _Reader) -> None:
    for item, patient in reader.each(Patient):
        try:
            record = from_patient(patient, reader.clinic)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.patients.append(Located(item.entry, item.label, record))


def _surgeries(reader: _Reader) -> dict[str, SurgeryRef]:
    """Read the Procedures; returns each one's SurgeryRef by its references in the Bundle."""
    refs: dict[str, SurgeryRef] = {}
    count: dict[tuple[str, object], int] = defaultdict(int)
    read: list[tuple[_Parsed, Procedure, SurgeryRecord]] = []
    for item, procedure in reader.each(Procedure):
        try:
            mrn = reader.patient_mrn(procedure.subject)
            day = performed_on(procedure)
            ref = SurgeryRef(mrn, day, count[(mrn, day)])
            record = from_procedure(procedure, ref)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        count[(mrn, day)] += 1
        read.append((item, procedure, record))
        refs[f"Procedure/{procedure.id}"] = ref
        refs.update({key: ref for key, p in reader.index.items() if p is item})
    for item, procedure, record in read:
        revised = revised_reference(procedure)
        if revised is not None and revised not in refs:
            reader.reject(item, "revision-of", f"{revised!r} is not a Procedure in the Bundle")
            continue
        located = replace(record, revises=refs[revised] if revised else None)
        reader.out.surgeries.append(Located(item.entry, item.label, located))
    return refs


def _conditions(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    owner: dict[str, SurgeryRef] = {}
    for _, procedure in reader.each(Procedure):
        ref = surgeries.get(f"Procedure/{procedure.id}")
        for detail in procedure.complicationDetail or []:
            target = reader.index.get(str(detail.reference or ""))
            if ref is not None and target is not None:
                owner[target.label] = ref
    for item, condition in reader.each(Condition):
        if not is_complication(condition):
            if any(
                our_code(c, "condition-category") == OUTCOME_FLAG for c in condition.category or []
            ):
                reader.out.skipped.append(Note(item.entry, item.label, "category", PSPS2_SKIPPED))
            else:
                reader.reject(item, "category", "only complications of a surgery are imported")
            continue
        if item.label not in owner:
            reader.reject(
                item, "complicationDetail", "no Procedure in the Bundle lists this complication"
            )
            continue
        try:
            record = from_complication(condition, owner[item.label])
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.complications.append(Located(item.entry, item.label, record))


def _responses(reader: _Reader) -> None:
    for item, response in reader.each(QuestionnaireResponse):
        try:
            record = from_response(response, reader.patient_mrn(response.subject))
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.responses.append(Located(item.entry, item.label, record))


def _has_answers(reader: _Reader, observation: Observation) -> bool:
    sources = [reader.index.get(str(d.reference or "")) for d in observation.derivedFrom or []]
    return any(s is not None and isinstance(s.resource, QuestionnaireResponse) for s in sources)


def _derived(reader: _Reader) -> None:
    handled = (Patient, Procedure, Condition, QuestionnaireResponse)
    for item in reader.parsed:
        resource = item.resource
        if isinstance(resource, handled):
            continue
        kind = resource.get_resource_type()
        if isinstance(resource, Observation) and not _has_answers(reader, resource):
            reader.reject(
                item, "derivedFrom", "a score without its QuestionnaireResponse cannot be stored"
            )
        elif isinstance(resource, Questionnaire) and not str(resource.url or "").startswith(
            f"{BASE}/Questionnaire/"
        ):
            reader.reject(item, "url", "only our own instruments' Questionnaires are known here")
        elif kind in DERIVED:
            reader.out.skipped.append(Note(item.entry, item.label, "resourceType", DERIVED[kind]))
        else:
            reader.reject(item, "resourceType", f"{kind} is not a resource this registry imports")


def read_bundle(data: dict[str, Any], *, clinic: str) -> ReadBundle:
    """The records of a Bundle (see `load_bundle`) for the clinic whose MRN system it uses."""
    reader = _Reader(clinic)
    for position, entry in enumerate(data.get("entry") or []):
        reader.parse(position, entry)
    _patients(reader)
    surgeries = _surgeries(reader)
    _conditions(reader, surgeries)
    _responses(reader)
    _derived(reader)
    reader.out.rejected.sort(key=lambda note: note.entry)
    return reader.out
