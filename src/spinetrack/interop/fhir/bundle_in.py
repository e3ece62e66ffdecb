"""Read any R4 Bundle into registry records, resource by resource: what is understood is read (our
own dialect, or an outside system's codes by the mapping tables), a resource that is understood but
cannot be stored is *rejected* with where it is and why, and everything else (resource types the
registry does not keep, unknown types, derived resources it computes itself, procedures and
conditions outside its scope) is *skipped* with the reason. Nothing in a Bundle raises past here."""

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_codes import follows_a_procedure
from spinetrack.domain.outside_text import complication_named
from spinetrack.interop.fhir.bundle_versions import superseded
from spinetrack.interop.fhir.codes import (
    BASE,
    BUNDLE_TYPES,
    STORED_PROCEDURE_STATUSES,
    STORED_RESPONSE_STATUSES,
    check_code,
)
from spinetrack.interop.fhir.complication import from_complication, is_complication
from spinetrack.interop.fhir.elements import as_day, as_moment, our_code
from spinetrack.interop.fhir.outside_answers import (
    QuestionnaireMap,
    canonical_url,
    loinc_map,
    outside_answers,
)
from spinetrack.interop.fhir.outside_observation import (
    STORED_OBSERVATION_STATUSES,
    from_pain_observation,
    is_ours,
    is_pain_score,
    is_score_total,
)
from spinetrack.interop.fhir.outside_procedure import (
    addon_codes,
    complication_kind,
    from_adverse_event,
    from_outside_condition,
    from_outside_procedure,
    mapped_codes,
    procedure_levels,
    spine_order,
)
from spinetrack.interop.fhir.patient import from_patient, mrn_of, mrn_systems
from spinetrack.interop.fhir.practitioner import ACCOUNT, matched_account, unmatched_reason
from spinetrack.interop.fhir.preop_observation import (
    preop_field,
    preop_fields,
    preop_values,
    with_loinc,
)
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
    "Observation",
    "Practitioner",
)
"""Resource types parsed; every other type is skipped by name, unparsed."""
DUE_TO = "http://hl7.org/fhir/StructureDefinition/condition-dueTo"
SKIPPED_RESPONSE_STATUSES = {
    "entered-in-error": "entered in error: not a response",
    "in-progress": "still in progress: an unfinished draft is not scored",
    "stopped": "stopped: an abandoned response is not scored",
}
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
    known_mrns: frozenset[str] = frozenset()
    """MRNs the clinic already holds: a patient carrying several configured identifiers is
    matched by the one already known (a legacy system's MRN) before any other."""
    observations: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(system, code) of a hospital-local Observation code -> what the clinic says it is: one of
    our NRS instruments or a field of the pre-operative record."""
    accounts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(identifier system, value) -> e-mail of the clinic's surgeon's account it names: the
    account identifier itself (lower case) and the NPI where one is recorded."""


@dataclass(frozen=True)
class PreopFields:
    """Fields of one patient's pre-operative record found in a Bundle (the others untouched)."""

    mrn: str
    values: Mapping[str, Any]


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
    preops: list[Located[PreopFields]] = field(default_factory=list)
    """Pre-operative record fields read from Observations, one per patient (latest value wins)."""
    practitioners: list[Located[str]] = field(default_factory=list)
    """Practitioners matched to an account of the clinic (its e-mail): nothing is stored for
    them, but a Procedure they performed is recorded with them as its surgeon."""
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
        self.requests: list[dict[str, Any]] = []
        self.bundle_mrns: set[str] = set()
        self.alias: dict[str, str] = {}
        """Any configured identifier value of a Bundle patient -> the MRN it is stored under."""
        """ServiceRequests (skipped): where a planned Procedure's booked date may be found."""
        self.preops: dict[str, _Preop] = {}
        self.accounts: dict[str, str] = {}
        """Label of each matched Practitioner of the Bundle -> the account it is."""
        self.regions: dict[str, str] = {}
        """MRN -> region of the patient's latest surgery in the Bundle (for unsited pain)."""

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
            if kind == "ServiceRequest":
                self.requests.append(data)
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
            return self.alias.get(str(identifier.value), str(identifier.value))
        target = self.index.get(str(subject.reference or ""))
        if target is None or not isinstance(target.resource, Patient):
            raise InvalidInput("subject", f"{subject.reference!r} is not a Patient in the Bundle")
        return mrn_of(target.resource, self.systems, self.settings.known_mrns)

    def each(self, kind: type[T]) -> list[tuple[_Parsed, T]]:
        return [(p, p.resource) for p in self.parsed if isinstance(p.resource, kind)]


def _patients(reader: _Reader) -> None:
    seen: dict[str, str] = {}
    for item, patient in reader.each(Patient):
        try:
            record = from_patient(patient, reader.systems, reader.settings.known_mrns)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        for identifier in patient.identifier or []:
            if identifier.system in reader.systems and identifier.value:
                reader.alias[str(identifier.value)] = record.mrn
        if record.mrn in seen:
            reader.skip(
                item, "identifier", f"the same patient as {seen[record.mrn]} (same MRN): one record"
            )
            continue
        seen[record.mrn] = item.label
        reader.bundle_mrns.add(record.mrn)
        reader.out.patients.append(Located(item.entry, item.label, record))


def _practitioners(reader: _Reader) -> None:
    """Each Practitioner is matched to a surgeon's account of the clinic by an identifier (NPI or
    account), or skipped with why; none is ever created from a Bundle."""
    for item, practitioner in reader.each(Practitioner):
        account = matched_account(practitioner, reader.settings.accounts)
        if account is None:
            reader.skip(item, "identifier", unmatched_reason(practitioner))
            continue
        reader.accounts[item.label] = account
        reader.out.practitioners.append(Located(item.entry, item.label, account))


def _performer(reader: _Reader, procedure: Procedure) -> str | None:
    """The account of the first performer a Procedure names that is matched here: a Practitioner
    of the Bundle, or an identifier on the reference itself."""
    for performer in procedure.performer or []:
        actor = performer.actor
        target = reader.index.get(str(actor.reference or "")) if actor else None
        if target is not None and target.label in reader.accounts:
            return reader.accounts[target.label]
        identifier = actor.identifier if actor else None
        if identifier is not None and identifier.value:
            value = str(identifier.value).strip()
            system = str(identifier.system or "")
            key = (system, value.lower() if system == ACCOUNT else value)
            if key in reader.settings.accounts:
                return reader.settings.accounts[key]
    return None


def _not_read(kind: str) -> str:
    if kind in DERIVED:
        return DERIVED[kind]
    try:
        get_fhir_model_class(kind)
    except (KeyError, ValueError):
        return f"{kind} is not a FHIR R4 resource type known here (R4B)"
    return f"{kind} is not a resource this registry imports"


@dataclass(frozen=True)
class _Addon:
    """A Procedure coded only with add-on or component codes: part of another operation."""

    mrn: str
    day: date
    instrumented: bool
    levels: tuple[str, ...]
    codes: str


def _booked_day(reader: _Reader, procedure: Procedure) -> date | None:
    """A planned Procedure's date from the ServiceRequest ordering it (same patient and code)."""
    codes = {(c.system, c.code) for c in (procedure.code.coding if procedure.code else []) or []}
    subject = procedure.subject.reference if procedure.subject else None
    for request in reader.requests:
        if (request.get("subject") or {}).get("reference") != subject:
            continue
        coded = {
            (c.get("system"), c.get("code"))
            for c in ((request.get("code") or {}).get("coding") or [])
            if isinstance(c, dict)
        }
        when = request.get("occurrenceDateTime") or (request.get("occurrencePeriod") or {}).get(
            "start"
        )
        if codes & coded and isinstance(when, str) and re.match(r"\d{4}-\d{2}-\d{2}", when):
            return date.fromisoformat(when[:10])
    return None


def _procedure_day(reader: _Reader, item: _Parsed, procedure: Procedure) -> date | None:
    """The day a Procedure was (or is planned to be) performed; None (skipped) when the source
    gives only an approximate date or a planned one without a booking."""
    timed = procedure.performedDateTime or procedure.performedPeriod
    if timed is None and (procedure.performedString or procedure.performedAge):
        reader.skip(
            item,
            "performedString",
            f"only an approximate date ({procedure.performedString or 'an age'}): no usable date",
        )
        return None
    try:
        return performed_on(procedure)
    except InvalidInput:
        if procedure.status != "preparation":
            raise
    booked = _booked_day(reader, procedure)
    if booked is None:
        reader.skip(item, "status", "a planned procedure with no booked date in the Bundle")
    return booked


def _read_procedure(
    reader: _Reader, item: _Parsed, procedure: Procedure
) -> SurgeryRecord | _Addon | None:
    """The surgery of one Procedure, or None when it is out of scope (skipped)."""
    ours = our_code(procedure.code, "procedure") is not None
    mapped = [] if ours else mapped_codes(procedure.code)
    addons = [] if ours or mapped else addon_codes(procedure.code)
    if not ours and not mapped and not addons:
        reader.skip(item, "code", "no code in the procedure mapping (knowledge/interop)")
        return None
    if procedure.status not in STORED_PROCEDURE_STATUSES:
        reader.skip(item, "status", f"a {procedure.status} procedure is not a surgery to record")
        return None
    mrn = reader.patient_mrn(procedure.subject)
    day = _procedure_day(reader, item, procedure)
    if day is None:
        return None
    if addons:
        return _Addon(
            mrn,
            day,
            any(m.instrumented for _, m in addons),
            procedure_levels(procedure),
            ", ".join(f"{code} ({m.meaning})" for code, m in addons),
        )
    ref = SurgeryRef(mrn, day, 0)
    record = (
        from_procedure(procedure, ref) if ours else from_outside_procedure(procedure, ref, mapped)
    )
    if record.surgeon is None:
        record = replace(record, surgeon=_performer(reader, procedure))
    return record


def _absorb(
    record: SurgeryRecord, levels: tuple[str, ...], instrumented: bool, note: str
) -> SurgeryRecord:
    merged = tuple(sorted(set(record.levels) | set(levels), key=spine_order))
    notes = "\n".join(n for n in (record.notes, note) if n)
    return replace(
        record, levels=merged, instrumented=record.instrumented or instrumented, notes=notes
    )


class _Operations:
    """The surgeries read so far: a Procedure coding the same operation as one already read (a
    CPT and an ICD-10-PCS duplicate) or only its add-on codes is merged into it."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.refs: dict[str, SurgeryRef] = {}
        self.read: list[tuple[_Parsed, Procedure, SurgeryRecord]] = []
        self.count: dict[tuple[str, object], int] = defaultdict(int)

    def _merge(
        self, n: int, item: _Parsed, procedure: Procedure, found: SurgeryRecord | _Addon, note: str
    ) -> None:
        first_item, first, record = self.read[n]
        merged = _absorb(record, found.levels, found.instrumented, note)
        self.read[n] = (first_item, first, merged)
        _refer(self.reader, self.refs, item, procedure, record.ref)

    def add(self, item: _Parsed, procedure: Procedure, found: SurgeryRecord) -> None:
        same = [
            n
            for n, (_, _, other) in enumerate(self.read)
            if (other.ref.mrn, other.ref.performed_on, other.procedure)
            == (found.ref.mrn, found.ref.performed_on, found.procedure)
        ]
        if same:
            self._merge(same[0], item, procedure, found, f"Also coded as {item.label}")
            return
        key = (found.ref.mrn, found.ref.performed_on)
        ref = replace(found.ref, ordinal=self.count[key])
        self.count[key] += 1
        self.read.append((item, procedure, replace(found, ref=ref)))
        _refer(self.reader, self.refs, item, procedure, ref)

    def add_on(self, item: _Parsed, procedure: Procedure, addon: _Addon) -> None:
        primary = [
            n
            for n, (_, _, r) in enumerate(self.read)
            if (r.ref.mrn, r.ref.performed_on) == (addon.mrn, addon.day)
        ]
        if not primary:
            self.reader.skip(
                item, "code", f"an add-on code ({addon.codes}) with no operation that day"
            )
            return
        self._merge(primary[0], item, procedure, addon, f"With {addon.codes}")


def _surgeries(reader: _Reader) -> dict[str, SurgeryRef]:
    """Read the Procedures; returns each one's SurgeryRef by its references in the Bundle."""
    operations = _Operations(reader)
    addons: list[tuple[_Parsed, Procedure, _Addon]] = []
    for item, procedure in reader.each(Procedure):
        try:
            found = _read_procedure(reader, item, procedure)
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        if isinstance(found, _Addon):
            addons.append((item, procedure, found))
        elif found is not None:
            operations.add(item, procedure, found)
    for item, procedure, addon in addons:
        operations.add_on(item, procedure, addon)
    refs = operations.refs
    for _, _, record in sorted(operations.read, key=lambda r: r[2].ref.performed_on):
        reader.regions[record.ref.mrn] = record.region
    for item, procedure, record in operations.read:
        revised = revised_reference(procedure)
        if revised is not None and revised not in refs:
            reader.reject(item, "revision-of", f"{revised!r} is not a Procedure in the Bundle")
            continue
        located = replace(record, revises=refs[revised] if revised else None)
        reader.out.surgeries.append(Located(item.entry, item.label, located))
    return refs


def _refer(
    reader: _Reader,
    refs: dict[str, SurgeryRef],
    item: _Parsed,
    procedure: Procedure,
    ref: SurgeryRef,
) -> None:
    refs[f"Procedure/{procedure.id}"] = ref
    refs.update({key: ref for key, p in reader.index.items() if p is item})


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


def _explicit_link(
    reader: _Reader, condition: Condition, surgeries: dict[str, SurgeryRef]
) -> SurgeryRef | None:
    """The surgery a Condition names as its cause: the core condition-dueTo extension, or a
    Procedure given as its evidence."""
    refs = [
        str(ext.valueReference.reference or "")
        for ext in condition.extension or []
        if ext.url == DUE_TO and ext.valueReference is not None
    ]
    refs += [
        str(detail.reference or "")
        for evidence in condition.evidence or []
        for detail in evidence.detail or []
    ]
    return next((surgeries[r] for r in refs if r in surgeries), None)


def _latest_before(
    surgeries: dict[str, SurgeryRef], mrn: str, day: date | None
) -> SurgeryRef | None:
    """The patient's latest surgery in the Bundle on or before a day."""
    if day is None:
        return None
    earlier = {r for r in surgeries.values() if r.mrn == mrn and r.performed_on <= day}
    return max(earlier, key=lambda r: (r.performed_on, r.ordinal)) if earlier else None


def _onset(condition: Condition) -> date | None:
    onset = condition.onsetDateTime or condition.recordedDate
    try:
        return as_day(onset, "onsetDateTime") if onset is not None else None
    except InvalidInput:
        return None


def _described_by_events(reader: _Reader) -> dict[str, str]:
    """Label of each Condition an AdverseEvent names as its resulting condition -> the event."""
    found: dict[str, str] = {}
    for item, event in reader.each(AdverseEvent):
        for ref in event.resultingCondition or []:
            target = reader.index.get(str(ref.reference or ""))
            if target is not None:
                found[target.label] = item.label
    return found


def _condition_kind(
    reader: _Reader, item: _Parsed, condition: Condition, linked: SurgeryRef | None
) -> str | None:
    """Our complication kind of a Condition ('' for one in our own dialect); None when it is not
    a complication (skipped, with why)."""
    if is_complication(condition):
        return ""
    kind = complication_kind(condition.code)
    if kind is None and linked is not None and condition.code is not None:
        kind = complication_named(" ".join(_concept_words(condition.code)))
    if kind is None:
        if any(our_code(c, "condition-category") == OUTCOME_FLAG for c in condition.category or []):
            reader.skip(item, "category", PSPS2_SKIPPED)
        else:
            reader.skip(item, "code", "not a complication of a surgery this registry records")
    return kind


def _conditions(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    owner = _owners(reader, surgeries)
    described = _described_by_events(reader)
    for item, condition in reader.each(Condition):
        if item.label in described:
            reader.skip(item, "code", f"the same event as {described[item.label]}: one record")
            continue
        linked = owner.get(item.label) or _explicit_link(reader, condition, surgeries)
        kind = _condition_kind(reader, item, condition, linked)
        if kind is None:
            continue
        try:
            inferred = None
            if linked is None and kind and follows_a_procedure(kind):
                mrn = reader.patient_mrn(condition.subject)
                linked = inferred = _latest_before(surgeries, mrn, _onset(condition))
            if linked is None:
                reader.skip(item, "complicationDetail", "not linked to a surgery in the Bundle")
                continue
            record = (
                from_outside_condition(condition, kind, linked)
                if kind
                else from_complication(condition, linked)
            )
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        if inferred is not None:
            link = f"Linked by date to the surgery of {inferred.performed_on} (not in the source)"
            record = replace(record, notes="\n".join(n for n in (record.notes, link) if n))
        reader.out.complications.append(Located(item.entry, item.label, record))


def _concept_words(concept: CodeableConcept) -> list[str]:
    return [str(concept.text or "")] + [str(c.display or "") for c in concept.coding or []]


def _adverse_events(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    for item, event in reader.each(AdverseEvent):
        if event.actuality == "potential":
            reader.skip(item, "actuality", "a potential event (near miss) is not a complication")
            continue
        suspects = [
            surgeries.get(str(e.instance.reference or "")) for e in event.suspectEntity or []
        ]
        found = [ref for ref in suspects if ref is not None]
        kind = complication_kind(event.event)
        if kind is None and found and event.event is not None:
            kind = complication_named(" ".join(_concept_words(event.event)))
        if kind is None:
            reader.skip(item, "event", "not a complication of a surgery this registry records")
            continue
        if not found:
            reader.skip(item, "suspectEntity", "names no Procedure of the Bundle")
            continue
        try:
            record = from_adverse_event(event, kind, found[0])
        except InvalidInput as exc:
            reader.reject(item, exc.field, exc.reason)
            continue
        reader.out.complications.append(Located(item.entry, item.label, record))


def _deaths(reader: _Reader, surgeries: dict[str, SurgeryRef]) -> None:
    """A patient's recorded death after a surgery of the Bundle is the registry's 'death'
    complication (death from any cause within the follow-up) of their latest surgery before it."""
    recorded: set[str] = set()
    for item, patient in reader.each(Patient):
        died = patient.deceasedDateTime
        if died is None:
            continue
        try:
            mrn = mrn_of(patient, reader.systems, reader.settings.known_mrns)
            day = as_day(died, "deceasedDateTime")
        except InvalidInput:
            continue
        surgery = _latest_before(surgeries, mrn, day)
        if surgery is None or mrn in recorded:
            continue
        recorded.add(mrn)
        record = ComplicationRecord(
            surgery=surgery,
            kind="death",
            reported_by="surgeon",
            occurred_on=day,
            notes="From the patient's recorded date of death",
        )
        reader.out.complications.append(Located(item.entry, item.label, record))


def _questionnaire_map(
    reader: _Reader, response: QuestionnaireResponse
) -> tuple[QuestionnaireMap, Questionnaire | None] | None:
    url = canonical_url(response.questionnaire)
    definitions = [q for _, q in reader.each(Questionnaire) if str(q.url or "") == url]
    if url.startswith("#"):
        definitions = [
            q
            for q in response.contained or []
            if isinstance(q, Questionnaire) and f"#{q.id}" == url
        ]
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
    if response.status in SKIPPED_RESPONSE_STATUSES:
        reader.skip(item, "status", SKIPPED_RESPONSE_STATUSES[response.status])
        return None
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


def _mapped(reader: _Reader, observation: Observation) -> str | None:
    """What the clinic mapped one of the Observation's codes to, if it did."""
    for coding in (observation.code.coding if observation.code else None) or []:
        key = (str(coding.system or ""), str(coding.code or ""))
        if key in reader.settings.observations:
            return reader.settings.observations[key]
    return None


@dataclass
class _Preop:
    """One patient's pre-operative values: field -> (moment, value, where it came from)."""

    mrn: str
    found: dict[str, tuple[str, Any, _Parsed]] = field(default_factory=dict)


def _preop(reader: _Reader, item: _Parsed, observation: Observation, mapped: str | None) -> None:
    """Read a pre-operative Observation (BMI, smoking, PHQ-9, GAD-7) into the patient's record."""
    if observation.status not in STORED_OBSERVATION_STATUSES:
        reader.skip(item, "status", f"a {observation.status} value is not a final result")
        return
    data = observation.model_dump(mode="json")
    if mapped is not None and preop_field(data) is None:
        data = with_loinc(data, mapped)
    values, notes = preop_values([data])
    if notes or not values:
        reader.skip(item, "value", notes[0].partition(": ")[2] if notes else "no value")
        return
    try:
        mrn = reader.patient_mrn(observation.subject)
    except InvalidInput as exc:
        reader.skip(item, exc.field, exc.reason)
        return
    if mrn not in reader.bundle_mrns and mrn not in reader.settings.known_mrns:
        reader.skip(item, "subject", f"no patient with MRN {mrn!r} here or in the Bundle")
        return
    when = str(data.get("effectiveDateTime") or "")
    record = reader.preops.setdefault(mrn, _Preop(mrn))
    for name, value in values.items():
        earlier = record.found.get(name)
        if earlier is not None and earlier[0] > when:
            reader.skip(item, "effectiveDateTime", f"an earlier {name} than {earlier[2].label}")
            continue
        if earlier is not None:
            reader.skip(earlier[2], "effectiveDateTime", f"an earlier {name} than {item.label}")
        record.found[name] = (when, value, item)


def _pain(
    reader: _Reader,
    item: _Parsed,
    observation: Observation,
    mapped: str | None,
    seen: set[tuple[str, str, datetime]],
) -> None:
    """An outside pain score as the NRS response of its site (or the instrument mapped)."""
    if observation.status not in STORED_OBSERVATION_STATUSES:
        reader.skip(item, "status", f"a {observation.status} score is not a final result")
        return
    try:
        mrn = reader.patient_mrn(observation.subject)
        record = from_pain_observation(observation, mrn, reader.regions.get(mrn), mapped)
    except InvalidInput as exc:
        reader.skip(item, exc.field, exc.reason)
        return
    if mrn not in reader.bundle_mrns and mrn not in reader.settings.known_mrns:
        reader.skip(item, "subject", f"no patient with MRN {mrn!r} here or in the Bundle")
        return
    key = (record.mrn, record.instrument, record.completed_at)
    if key in seen:
        reader.skip(item, "code", "a second pain score for the same site at the same moment")
        return
    seen.add(key)
    reader.out.responses.append(Located(item.entry, item.label, record))


def _observations(reader: _Reader) -> None:
    """Outside pain scores as NRS responses, pre-operative values (by LOINC code, or a code the
    clinic mapped) into the pre-operative record; every other Observation is skipped with why."""
    seen: set[tuple[str, str, datetime]] = set()
    for item, observation in reader.each(Observation):
        if is_ours(observation) or is_score_total(observation):
            reader.skip(item, "code", DERIVED["Observation"])
            continue
        mapped = _mapped(reader, observation)
        field_ = mapped if mapped in preop_fields() else None
        if field_ is not None or preop_field(observation.model_dump(mode="json")) is not None:
            _preop(reader, item, observation, field_)
        elif mapped is not None or is_pain_score(observation):
            _pain(reader, item, observation, mapped, seen)
        else:
            reader.skip(item, "code", "not an outcome score or pre-operative value read here")
    _preop_records(reader)


def _preop_records(reader: _Reader) -> None:
    """One set of pre-operative fields per patient, located at its latest Observation."""
    for patient in reader.preops.values():
        if not patient.found:
            continue
        last = max((item for _, _, item in patient.found.values()), key=lambda i: i.entry)
        values = {name: value for name, (_, value, _) in patient.found.items()}
        reader.out.preops.append(Located(last.entry, last.label, PreopFields(patient.mrn, values)))


def _derived(reader: _Reader) -> None:
    for item in reader.parsed:
        kind = item.resource.get_resource_type()
        if kind in DERIVED and kind != "Observation":
            reader.skip(item, "resourceType", DERIVED[kind])


def read_bundle(data: dict[str, Any], *, settings: ImportSettings) -> ReadBundle:
    """The records of a Bundle (see `load_bundle`) for the clinic the settings describe."""
    reader = _Reader(settings)
    earlier = superseded(data)
    for position, entry in enumerate(data.get("entry") or []):
        if position in earlier:
            data_ = entry.get("resource") if isinstance(entry, dict) else None
            reader.skip(
                (position, _label(position, entry, data_)), "meta.versionId", earlier[position]
            )
            continue
        reader.parse(position, entry)
    _patients(reader)
    _practitioners(reader)
    surgeries = _surgeries(reader)
    _conditions(reader, surgeries)
    _adverse_events(reader, surgeries)
    _deaths(reader, surgeries)
    _responses(reader)
    _observations(reader)
    _derived(reader)
    reader.out.rejected.sort(key=lambda note: note.entry)
    reader.out.skipped.sort(key=lambda note: note.entry)
    return reader.out
