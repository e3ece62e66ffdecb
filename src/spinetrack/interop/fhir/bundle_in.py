"""Read any R4 Bundle into registry records, resource by resource: what is understood is read (our
own dialect, or an outside system's codes by the mapping tables), a resource that is understood but
cannot be stored is *rejected* with where it is and why, and everything else (resource types the
registry does not keep, unknown types, derived resources it computes itself, procedures and
conditions outside its scope) is *skipped* with the reason. Nothing in a Bundle raises past here."""

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.codes import (
    BASE,
    BUNDLE_TYPES,
    STORED_PROCEDURE_STATUSES,
    STORED_RESPONSE_STATUSES,
    check_code,
)
from spinetrack.interop.fhir.complication import from_complication, is_complication
from spinetrack.interop.fhir.elements import as_moment, our_code
from spinetrack.interop.fhir.outside_answers import (
    QuestionnaireMap,
    canonical_url,
    loinc_map,
    outside_answers,
)
from spinetrack.interop.fhir.outside_procedure import (
    complication_kind,
    from_adverse_event,
    from_outside_condition,
    from_outside_procedure,
    mapped_codes,
)
from spinetrack.interop.fhir.patient import from_patient, mrn_of, mrn_systems
from spinetrack.interop.fhir.procedure import from_procedure, performed_on, revised_reference
from spinetrack.interop.fhir.psps2 import OUTCOME_FLAG
from spinetrack.interop.fhir.questionnaire_response import from_response
from spinetrack.interop.records import (
    ComplicationRecord,
    RegistryPatient,
    ResponseRecord,
    SurgeryRecord,
    SurgeryRef,
)

T = TypeVar("T")

PSPS2_SKIPPED = "the PSPS-2 flag is computed here from the scores"
READ = (
    "Patient",
    "Procedure",
    "Condition",
    "AdverseEvent",
    "QuestionnaireResponse",
    "Questionnaire",
)
"""Resource types parsed; every other type is skipped by name, unparsed."""
DERIVED = {
    "Observation": "observations are not imported: scores are computed here from the answers",
    "RiskAssessment": "triage assessments are made here from the record, not imported",
    "Questionnaire": "instrument definitions are built in; an outside one only helps read answers",
}
STORED_WRITES = ("POST", "PUT")


@dataclass(frozen=True)
class ImportSettings:
    """What a clinic configured for FHIR import."""

    clinic: str
    """The clinic's slug: its own MRN system is always accepted."""
    mrn_systems: tuple[str, ...] = ()
    """Further identifier systems its MRNs arrive in from outside systems."""
    questionnaires: dict[str, QuestionnaireMap] = field(default_factory=dict)
    """Outside Questionnaire canonical URL -> how it maps onto one of our instruments."""


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
    patients: list[Located[RegistryPatient]] = field(default_factory=list)
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


def _label(position: int, entry: Any, data: Any) -> str:
    """How a report names an entry: Type/id, else Type and its fullUrl, else its position."""
    kind = data.get("resourceType") if isinstance(data, dict) else None
    kind = kind if isinstance(kind, str) else "entry"
    resource_id = data.get("id") if isinstance(data, dict) else None
    full_url = entry.get("fullUrl") if isinstance(entry, dict) else None
    if isinstance(resource_id, str) and resource_id:
        return f"{kind}/{resource_id}"
    if isinstance(full_url, str) and full_url:
        return f"{kind} {full_url}"
    return f"{kind} (entry {position})"


def _first_error(exc: ValidationError) -> tuple[str, str]:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return where, str(error.get("msg", "invalid"))


class _Reader:
    def __init__(self, settings: ImportSettings) -> None:
        self.settings = settings
        self.systems = mrn_systems(settings.clinic, settings.mrn_systems)
        self.out = ReadBundle()
        self.parsed: list[_Parsed] = []
        self.index: dict[str, _Parsed] = {}

    def reject(self, item: _Parsed | tuple[int, str], where: str, reason: str) -> None:
        entry, label = (item.entry, item.label) if isinstance(item, _Parsed) else item
        self.out.rejected.append(Note(entry, label, where, reason))

    def skip(self, item: _Parsed | tuple[int, str], where: str, reason: str) -> None:
        entry, label = (item.entry, item.label) if isinstance(item, _Parsed) else item
        self.out.skipped.append(Note(entry, label, where, reason))

    def parse(self, position: int, entry: Any) -> None:
        data = entry.get("resource") if isinstance(entry, dict) else None
        kind = data.get("resourceType") if isinstance(data, dict) else None
        label = _label(position, entry, data)
        if not isinstance(data, dict) or not isinstance(kind, str):
            self.skip(
                (position, label), "resource", "an entry needs a resource with a resourceType"
            )
            return
        request = entry.get("request")
        method = request.get("method") if isinstance(request, dict) else None
        if method is not None and method not in STORED_WRITES:
            self.skip((position, label), "request.method", f"{method} entries are not imported")
            return
        if kind not in READ:
            self.skip((position, label), "resourceType", _not_read(kind))
            return
        try:
            resource = get_fhir_model_class(kind).model_validate(data)
        except ValidationError as exc:
            self.reject((position, label), *_first_error(exc))
            return
        assert isinstance(resource, Resource)
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
        if identifier is not None and identifier.system in self.systems and identifier.value:
            return str(identifier.value)
        target = self.index.get(str(subject.reference or ""))
        if target is None or not isinstance(target.resource, Patient):
            raise InvalidInput("subject", f"{subject.reference!r} is not a Patient in the Bundle")
        return mrn_of(target.resource, self.systems)

    def each(self, kind: type[T]) -> list[tuple[_Parsed, T]]:
        return [(p, p.resource) for p in self.parsed if isinstance(p.resource, kind)]


def _patients(reader: _Reader) -> None:
    for item, patient in reader.each(Patient):
        try:
            record = from_patient(patient, reader.systems)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.patients.append(Located(item.entry, item.label, record))


def _not_read(kind: str) -> str:
    if kind in DERIVED:
        return DERIVED[kind]
    try:
        get_fhir_model_class(kind)
    except (KeyError, ValueError):
        return f"{kind} is not a FHIR R4 resource type known here (R4B)"
    return f"{kind} is not a resource this registry imports"


def _read_procedure(reader: _Reader, item: _Parsed, procedure: Procedure) -> SurgeryRecord | None:
    """The surgery of one Procedure, or None when it is out of scope (skipped)."""
    ours = our_code(procedure.code, "procedure") is not None
    mapped = [] if ours else mapped_codes(procedure.code)
    if not ours and not mapped:
        reader.skip(item, "code", "no code in the procedure mapping (knowledge/interop)")
        return None
    if procedure.status not in STORED_PROCEDURE_STATUSES:
        reader.skip(item, "status", f"a {procedure.status} procedure is not a surgery to record")
        return None
    mrn = reader.patient_mrn(procedure.subject)
    day = performed_on(procedure)
    ref = SurgeryRef(mrn, day, 0)
    return (
        from_procedure(procedure, ref) if ours else from_outside_procedure(procedure, ref, mapped)
    )


def _surgeries(reader: _Reader) -> dict[str, SurgeryRef]:
    """Read the Procedures; returns each one's SurgeryRef by its references in the Bundle."""
    refs: dict[str, SurgeryRef] = {}
    count: dict[tuple[str, object], int] = defaultdict(int)
    read: list[tuple[_Parsed, Procedure, SurgeryRecord]] = []
    for item, procedure in reader.each(Procedure):
        try:
            record = _read_procedure(reader, item, procedure)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        if record is None:
            continue
        key = (record.ref.mrn, record.ref.performed_on)
        ref = replace(record.ref, ordinal=count[key])
        count[key] += 1
        read.append((item, procedure, replace(record, ref=ref)))
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


def _owners(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> dict[str, SurgeryRef]:
    """Label of each Condition a stored Procedure lists in complicationDetail -> its surgery."""
    owner: dict[str, SurgeryRef] = {}
    for _, procedure in reader.each(Procedure):
        ref = surgeries.get(f"Procedure/{procedure.id}")
        for detail in procedure.complicationDetail or []:
            target = reader.index.get(str(detail.reference or ""))
            if ref is not None and target is not None:
                owner[target.label] = ref
    return owner


def _conditions(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    owner = _owners(reader, surgeries)
    for item, condition in reader.each(Condition):
        ours = is_complication(condition)
        kind = None if ours else complication_kind(condition.code)
        if not ours and kind is None:
            if any(
                our_code(c, "condition-category") == OUTCOME_FLAG for c in condition.category or []
            ):
                reader.skip(item, "category", PSPS2_SKIPPED)
            else:
                reader.skip(item, "code", "not a complication of a surgery this registry records")
            continue
        if item.label not in owner:
            reader.reject(
                item, "complicationDetail", "no Procedure in the Bundle lists this complication"
            )
            continue
        try:
            record = (
                from_complication(condition, owner[item.label])
                if kind is None
                else from_outside_condition(condition, kind, owner[item.label])
            )
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.complications.append(Located(item.entry, item.label, record))


def _adverse_events(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    for item, event in reader.each(AdverseEvent):
        kind = complication_kind(event.event)
        if kind is None:
            reader.skip(item, "event", "not a complication of a surgery this registry records")
            continue
        suspects = [
            surgeries.get(str(e.instance.reference or "")) for e in event.suspectEntity or []
        ]
        found = [ref for ref in suspects if ref is not None]
        if not found:
            reader.reject(item, "suspectEntity", "names no Procedure of the Bundle")
            continue
        try:
            record = from_adverse_event(event, kind, found[0])
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.complications.append(Located(item.entry, item.label, record))


def _questionnaire_map(
    reader: _Reader, response: QuestionnaireResponse
) -> tuple[QuestionnaireMap, Questionnaire | None] | None:
    url = canonical_url(response.questionnaire)
    definitions = [q for _, q in reader.each(Questionnaire) if str(q.url or "") == url]
    definition = definitions[0] if definitions else None
    configured = reader.settings.questionnaires.get(url)
    if configured is not None:
        return configured, definition
    mapping = loinc_map(definition) if definition is not None else None
    return (mapping, definition) if mapping is not None else None


def _outside_response(
    reader: _Reader, item: _Parsed, response: QuestionnaireResponse
) -> ResponseRecord | None:
    found = _questionnaire_map(reader, response)
    if found is None:
        reader.skip(
            item,
            "questionnaire",
            f"{response.questionnaire!r} is not a questionnaire configured or coded (LOINC) here",
        )
        return None
    mapping, definition = found
    check_code(response.status, STORED_RESPONSE_STATUSES, "status")
    if response.authored is None:
        raise InvalidInput("authored", "a response needs the date and time it was completed")
    return ResponseRecord(
        mrn=reader.patient_mrn(response.subject),
        instrument=mapping.instrument,
        completed_at=as_moment(response.authored, "authored"),
        answers=outside_answers(response, mapping, definition),
    )


def _responses(reader: _Reader) -> None:
    for item, response in reader.each(QuestionnaireResponse):
        try:
            if canonical_url(response.questionnaire).startswith(f"{BASE}/Questionnaire/"):
                record: ResponseRecord | None = from_response(
                    response, reader.patient_mrn(response.subject)
                )
            else:
                record = _outside_response(reader, item, response)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        if record is not None:
            reader.out.responses.append(Located(item.entry, item.label, record))


def _derived(reader: _Reader) -> None:
    for item in reader.parsed:
        kind = item.resource.get_resource_type()
        if kind in DERIVED:
            reader.skip(item, "resourceType", DERIVED[kind])


def read_bundle(data: dict[str, Any], *, settings: ImportSettings) -> ReadBundle:
    """The records of a Bundle (see `load_bundle`) for the clinic the settings describe."""
    reader = _Reader(settings)
    for position, entry in enumerate(data.get("entry") or []):
        reader.parse(position, entry)
    _patients(reader)
    surgeries = _surgeries(reader)
    _conditions(reader, surgeries)
    _adverse_events(reader, surgeries)
    _responses(reader)
    _derived(reader)
    reader.out.rejected.sort(key=lambda note: note.entry)
    reader.out.skipped.sort(key=lambda note: note.entry)
    return reader.out
