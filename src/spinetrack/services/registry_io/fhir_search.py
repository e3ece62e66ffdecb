"""FHIR reads and searches that cost what they return, not what the clinic holds.

Resource ids are derived from what identifies a record (see interop/fhir/ids.py), so a read by id
first finds the one stored row the id belongs to from a few key columns (no resource is built),
then builds only that patient's resources. A search filters and pages the rows of the resource's
table in the database (date, status, code, patient, `_id`), then builds the resources of the page's
patients only. Each call is one audited transaction."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from fhir.resources.R4B.resource import Resource

from spinetrack.domain.errors import NotFound
from spinetrack.interop.fhir.bundle_out import registry_resources
from spinetrack.interop.fhir.codes import (
    LOINC,
    LOINC_SCORES,
    PSPS2_ICD10CM,
    PSPS2_SNOMED,
    PSPS2_SNOMED_BY_REGION,
    code_system,
    mrn_system,
)
from spinetrack.interop.fhir.ids import (
    assessment_id,
    complication_id,
    observation_id,
    patient_id,
    procedure_id,
    psps2_id,
    response_id,
)
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.psps2 import FLAGGING_STATUS
from spinetrack.interop.records import SurgeryRef
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.import_fhir import import_settings
from spinetrack.services.registry_io.registry_records import (
    Rows,
    patient_record,
    patient_rows,
    registry_of,
    surgery_refs,
)
from spinetrack.storage.repositories.fhir_rows import (
    DateBound as DateBound,  # part of a Query; the API builds them
)
from spinetrack.storage.repositories.fhir_rows import (
    FhirRowsRepository,
    PatientFilter,
    RowFilter,
)
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

SEARCHABLE = (
    "Patient",
    "Procedure",
    "QuestionnaireResponse",
    "Observation",
    "Condition",
    "RiskAssessment",
)


@dataclass(frozen=True)
class Query:
    resource_type: str
    ids: frozenset[str] = frozenset()
    patient: str | None = None
    """A Patient resource id: only that patient's resources."""
    identifier: tuple[str | None, str] | None = None
    codes: tuple[tuple[str | None, str], ...] = ()
    """(system or None for any, code); any of them matches."""
    dates: tuple[DateBound, ...] = ()
    statuses: frozenset[str] = frozenset()
    count: int = 20
    offset: int = 0
    by_date: bool = False
    descending: bool = False


@dataclass
class Page:
    resources: list[Resource]
    total: int
    has_next: bool
    patients: tuple[int, ...] = ()
    """Whose data the page holds, for the audit trail's "who saw this patient"."""


@dataclass(frozen=True)
class _Key:
    """One stored row a search found: which patient, and the resource id it becomes."""

    patient: int
    resource_id: str


# Ids from key columns ----------------------------------------------------------------------------


def _surgery_refs(
    rows: FhirRowsRepository, mrns: dict[int, str]
) -> dict[int, tuple[int, SurgeryRef]]:
    """Surgery row id -> (patient, SurgeryRef), numbered by entry order within a day."""
    count: dict[tuple[int, date], int] = defaultdict(int)
    refs: dict[int, tuple[int, SurgeryRef]] = {}
    for row_id, patient, day in rows.surgery_keys():
        refs[row_id] = (patient, SurgeryRef(mrns[patient], day, count[(patient, day)]))
        count[(patient, day)] += 1
    return refs


def _response_ids(
    rows: FhirRowsRepository, mrns: dict[int, str], scored_only: bool
) -> Iterable[tuple[int, int, str]]:
    """(row id, patient, QuestionnaireResponse id) of the clinic's responses."""
    for row_id, patient, instrument, moment in rows.response_keys(scored_only=scored_only):
        yield row_id, patient, response_id(mrns[patient], instrument, moment)


def _complication_ids(
    rows: FhirRowsRepository, refs: dict[int, tuple[int, SurgeryRef]]
) -> Iterable[tuple[int, int, str]]:
    """(row id, patient, Condition id): identical reports of a surgery are numbered by row id."""
    twins: dict[tuple[int, str, str], int] = defaultdict(int)
    for row_id, patient, surgery, kind, reporter in rows.complication_keys():
        ordinal = twins[(surgery, kind, reporter)]
        twins[(surgery, kind, reporter)] += 1
        yield row_id, patient, complication_id(refs[surgery][1], kind, reporter, ordinal)


def _assessment_ids(
    rows: FhirRowsRepository, mrns: dict[int, str]
) -> Iterable[tuple[int, int, str]]:
    seen: dict[int, int] = defaultdict(int)
    for row_id, patient in rows.assessment_keys():
        yield row_id, patient, assessment_id(mrns[patient], seen[patient])
        seen[patient] += 1


Located = dict[str, tuple[str, int, int]]
"""Resource id -> (source table, row id, patient)."""


def _patient_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    return {patient_id(mrn): ("patients", pid, pid) for pid, mrn in mrns.items()}


def _procedure_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    return {
        procedure_id(ref): ("surgeries", row_id, patient)
        for row_id, (patient, ref) in _surgery_refs(rows, mrns).items()
    }


def _answer_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    return {
        rid: ("responses", row_id, patient)
        for row_id, patient, rid in _response_ids(rows, mrns, False)
    }


def _score_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    return {
        observation_id(rid): ("responses", row_id, patient)
        for row_id, patient, rid in _response_ids(rows, mrns, True)
    }


def _condition_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    refs = _surgery_refs(rows, mrns)
    found: Located = {
        cid: ("complications", row_id, patient)
        for row_id, patient, cid in _complication_ids(rows, refs)
    }
    flagged = rows.patients_with_status(FLAGGING_STATUS)
    found.update({psps2_id(mrns[p]): ("outcomes", p, p) for p in flagged})
    return found


def _risk_ids(rows: FhirRowsRepository, mrns: dict[int, str]) -> Located:
    return {
        aid: ("assessments", row_id, patient)
        for row_id, patient, aid in _assessment_ids(rows, mrns)
    }


_ID_SOURCES: dict[str, Callable[[FhirRowsRepository, dict[int, str]], Located]] = {
    "Patient": _patient_ids,
    "Procedure": _procedure_ids,
    "QuestionnaireResponse": _answer_ids,
    "Observation": _score_ids,
    "Condition": _condition_ids,
    "RiskAssessment": _risk_ids,
}


def _row_ids(uow: UnitOfWork, clinic_id: int, resource_type: str) -> Located:
    """Where every resource of one type in the clinic comes from, computed from key columns."""
    mrns = uow.patients(clinic_id).mrns()
    located: Located = _ID_SOURCES[resource_type](uow.fhir_rows(clinic_id), mrns)
    return located


# Search parameters as plain filters --------------------------------------------------------------


def _observation_instruments(codes: Sequence[tuple[str | None, str]]) -> set[str]:
    found: set[str] = set()
    for system, code in codes:
        if system in (None, LOINC):
            found |= {i for i, (score, _, _) in LOINC_SCORES.items() if score == code}
        if system in (None, code_system("instrument")):
            found.add(code)
    return found


PSPS2_CODES = {PSPS2_ICD10CM[0], PSPS2_SNOMED[0]} | {c for c, _ in PSPS2_SNOMED_BY_REGION.values()}


def _ours(codes: Sequence[tuple[str | None, str]], system: str) -> set[str]:
    return {code for s, code in codes if s in (None, code_system(system))}


def _codes(query: Query) -> frozenset[str] | None:
    """The stored values the query's codes stand for (None: no code filter)."""
    if not query.codes:
        return None
    if query.resource_type == "Procedure":
        return frozenset(_ours(query.codes, "procedure"))
    if query.resource_type == "Observation":
        return frozenset(_observation_instruments(query.codes))
    if query.resource_type == "Condition":
        return frozenset(_ours(query.codes, "complication"))
    return None


def _flagged_status(query: Query) -> str | None:
    """Conditions include the PSPS-2 flag unless codes leave it out; it has no onset date to
    compare, so a date filter leaves it out too."""
    if query.resource_type != "Condition" or query.dates:
        return None
    flagged = not query.codes or any(code in PSPS2_CODES for _, code in query.codes)
    return FLAGGING_STATUS if flagged else None


def _row_filter(uow: UnitOfWork, clinic_id: int, query: Query, patient: int | None) -> RowFilter:
    rows: dict[str, list[int]] | None = None
    if query.ids:
        rows = defaultdict(list)
        for rid, (table, row, _) in _row_ids(uow, clinic_id, query.resource_type).items():
            if rid in query.ids:
                rows[table].append(row)
    return RowFilter(
        resource_type=query.resource_type,
        today=clinic_today(uow, clinic_id),
        dates=query.dates,
        statuses=query.statuses,
        codes=_codes(query),
        flagged_status=_flagged_status(query),
        rows=rows,
        patient=patient,
        offset=query.offset,
        count=query.count,
        by_date=query.by_date,
        descending=query.descending,
    )


# Building the page -------------------------------------------------------------------------------


def _resource_ids(kind: str, rows: Rows, mrn: str) -> dict[tuple[str, int], str]:
    """(source table, row id) -> resource id, for one patient's rows."""
    refs = surgery_refs({p.id: p.mrn for p in rows.patients}, rows.surgeries)
    found: dict[tuple[str, int], str] = {}
    if kind == "Procedure":
        found = {("surgeries", row): procedure_id(ref) for row, ref in refs.items()}
    elif kind in ("QuestionnaireResponse", "Observation"):
        for response in rows.responses:
            rid = response_id(mrn, response.instrument, response.completed_at)
            found[("responses", response.id)] = (
                observation_id(rid) if kind == "Observation" else rid
            )
    elif kind == "Condition":
        twins: dict[tuple[int, str, str], int] = defaultdict(int)
        for c in sorted(rows.complications, key=lambda c: c.id):
            key = (c.surgery_id, c.kind, c.reported_by)
            found[("complications", c.id)] = complication_id(
                refs[c.surgery_id], c.kind, c.reported_by, twins[key]
            )
            twins[key] += 1
        found.update({("outcomes", o.patient_id): psps2_id(mrn) for o in rows.outcomes})
    elif kind == "RiskAssessment":
        ordered = sorted(rows.assessments, key=lambda a: a.id)
        found = {("assessments", a.id): assessment_id(mrn, n) for n, a in enumerate(ordered)}
    return found


def _build(
    uow: UnitOfWork, clinic_id: int, kind: str, keys: Sequence[tuple[str, int, int]]
) -> list[Resource]:
    """The resources of the page's rows, in the page's order; only their patients are built."""
    by_patient: dict[int, dict[tuple[str, int], Resource]] = {}
    for _, _, patient in keys:
        if patient in by_patient:
            continue
        rows = patient_rows(uow, clinic_id, patient)
        registry = replace(registry_of(uow, clinic_id, rows), instruments=())
        built = {
            f"{r.get_resource_type()}/{r.id}": r
            for r in registry_resources(registry, today=clinic_today(uow, clinic_id))
        }
        ids = _resource_ids(kind, rows, rows.patients[0].mrn)
        by_patient[patient] = {
            key: built[f"{kind}/{rid}"] for key, rid in ids.items() if f"{kind}/{rid}" in built
        }
    return [
        resource
        for table, row, patient in keys
        if (resource := by_patient[patient].get((table, row))) is not None
    ]


def patient_row(uow: UnitOfWork, clinic_id: int, resource_id: str) -> int | None:
    """The patient whose FHIR Patient id this is, None for none in the clinic."""
    for row, mrn in uow.patients(clinic_id).mrns().items():
        if patient_id(mrn) == resource_id:
            return row
    return None


def _search_patients(uow: UnitOfWork, clinic_id: int, query: Query) -> Page:
    settings = import_settings(uow, clinic_id)
    wanted = PatientFilter(offset=query.offset, count=query.count)
    if query.identifier is not None:
        system, value = query.identifier
        systems = {f"{s}" for s in (mrn_system(settings.clinic), *settings.mrn_systems)}
        nobody = system is not None and system not in systems
        wanted = replace(wanted, mrn=value, nobody=nobody)
    if query.ids:
        located = _row_ids(uow, clinic_id, "Patient")
        wanted = replace(
            wanted, rows=[row for rid, (_, row, _) in located.items() if rid in query.ids]
        )
    found, total, more = uow.fhir_rows(clinic_id).search_patients(wanted)
    resources: list[Resource] = [
        to_patient(patient_record(row), clinic=settings.clinic) for row in found
    ]
    return Page(resources, total, more, tuple(row.id for row in found))


def search(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, query: Query) -> Page:
    """One page of the clinic's resources of one type that match the query."""
    with audited(sessions, actor, "fhir.search", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        uow = work.uow
        if query.resource_type == "Patient":
            page = _search_patients(uow, clinic_id, query)
        else:
            patient = None
            if query.patient is not None:
                patient = patient_row(uow, clinic_id, query.patient)
                work.patient_id = patient
            if query.patient is not None and patient is None:
                page = Page([], 0, False)
            else:
                wanted = _row_filter(uow, clinic_id, query, patient)
                keys, total, more = uow.fhir_rows(clinic_id).search(wanted)
                page = Page(_build(uow, clinic_id, query.resource_type, keys), total, more)
                work.saw(patient_id for _, _, patient_id in keys)
        work.saw(page.patients)
        work.detail = f"{query.resource_type}: {len(page.resources)} of {page.total}"
        return page


def read(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    resource_type: str,
    resource_id: str,
) -> Resource:
    """One resource by id: its row is found from key columns, then only its patient is built."""
    with audited(sessions, actor, "fhir.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        found = _row_ids(work.uow, clinic_id, resource_type).get(resource_id)
        if found is None:
            raise NotFound(resource_type, resource_id)
        table, row, patient = found
        work.patient_id = patient
        if resource_type == "Patient":
            settings = import_settings(work.uow, clinic_id)
            stored = work.uow.patients(clinic_id).get(patient)
            return to_patient(patient_record(stored), clinic=settings.clinic)
        built = _build(work.uow, clinic_id, resource_type, [(table, row, patient)])
        if not built:
            raise NotFound(resource_type, resource_id)
        return built[0]
