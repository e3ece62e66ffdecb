"""FHIR reads and searches that cost what they return, not what the clinic holds.

Resource ids are derived from what identifies a record (see interop/fhir/ids.py), so a read by id
first finds the one stored row the id belongs to from a few key columns (no resource is built),
then builds only that patient's resources. A search filters and pages the rows of the resource's
table in the database (date, status, code, patient, `_id`), then builds the resources of the page's
patients only. Each call is one audited transaction."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from fhir.resources.R4B.resource import Resource
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

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
from spinetrack.storage.tables import (
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    Surgery,
    TriageAssessment,
)
from spinetrack.storage.unit_of_work import UnitOfWork

SEARCHABLE = (
    "Patient",
    "Procedure",
    "QuestionnaireResponse",
    "Observation",
    "Condition",
    "RiskAssessment",
)


@dataclass(frozen=True)
class DateBound:
    """One `date` parameter: the prefix and the half-open UTC interval its value covers."""

    prefix: str
    start: datetime
    end: datetime


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


def _mrns(session: Session, clinic_id: int) -> dict[int, str]:
    return dict(
        session.execute(select(Patient.id, Patient.mrn).where(Patient.clinic_id == clinic_id))
        .tuples()
        .all()
    )


def _surgery_refs(
    session: Session, clinic_id: int, mrns: dict[int, str]
) -> dict[int, tuple[int, SurgeryRef]]:
    """Surgery row id -> (patient, SurgeryRef), numbered by entry order within a day."""
    rows = session.execute(
        select(Surgery.id, Surgery.patient_id, Surgery.performed_on)
        .where(Surgery.clinic_id == clinic_id)
        .order_by(Surgery.id)
    ).tuples()
    count: dict[tuple[int, date], int] = defaultdict(int)
    refs: dict[int, tuple[int, SurgeryRef]] = {}
    for row_id, patient, day in rows:
        refs[row_id] = (patient, SurgeryRef(mrns[patient], day, count[(patient, day)]))
        count[(patient, day)] += 1
    return refs


def _response_ids(
    session: Session, clinic_id: int, mrns: dict[int, str], scored_only: bool
) -> Iterable[tuple[int, int, str]]:
    """(row id, patient, QuestionnaireResponse id) of the clinic's responses."""
    statement = select(
        PromResponse.id, PromResponse.patient_id, PromResponse.instrument, PromResponse.completed_at
    ).where(PromResponse.clinic_id == clinic_id)
    if scored_only:
        statement = statement.where(PromResponse.score_status == "ok")
    for row_id, patient, instrument, moment in session.execute(statement).tuples():
        yield row_id, patient, response_id(mrns[patient], instrument, moment)


def _complication_ids(
    session: Session, clinic_id: int, refs: dict[int, tuple[int, SurgeryRef]]
) -> Iterable[tuple[int, int, str]]:
    """(row id, patient, Condition id): identical reports of a surgery are numbered by row id."""
    statement = (
        select(Complication.id, Complication.patient_id, Complication.surgery_id)
        .add_columns(Complication.kind, Complication.reported_by)
        .where(Complication.clinic_id == clinic_id)
        .order_by(Complication.id)
    )
    twins: dict[tuple[int, str, str], int] = defaultdict(int)
    for row_id, patient, surgery, kind, reporter in session.execute(statement).tuples():
        ordinal = twins[(surgery, kind, reporter)]
        twins[(surgery, kind, reporter)] += 1
        yield row_id, patient, complication_id(refs[surgery][1], kind, reporter, ordinal)


def _assessment_ids(
    session: Session, clinic_id: int, mrns: dict[int, str]
) -> Iterable[tuple[int, int, str]]:
    statement = (
        select(TriageAssessment.id, TriageAssessment.patient_id)
        .where(TriageAssessment.clinic_id == clinic_id)
        .order_by(TriageAssessment.id)
    )
    seen: dict[int, int] = defaultdict(int)
    for row_id, patient in session.execute(statement).tuples():
        yield row_id, patient, assessment_id(mrns[patient], seen[patient])
        seen[patient] += 1


Located = dict[str, tuple[str, int, int]]
"""Resource id -> (source table, row id, patient)."""


def _patient_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    return {patient_id(mrn): ("patients", pid, pid) for pid, mrn in mrns.items()}


def _procedure_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    return {
        procedure_id(ref): ("surgeries", row_id, patient)
        for row_id, (patient, ref) in _surgery_refs(session, clinic_id, mrns).items()
    }


def _answer_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    return {
        rid: ("responses", row_id, patient)
        for row_id, patient, rid in _response_ids(session, clinic_id, mrns, False)
    }


def _score_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    return {
        observation_id(rid): ("responses", row_id, patient)
        for row_id, patient, rid in _response_ids(session, clinic_id, mrns, True)
    }


def _condition_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    refs = _surgery_refs(session, clinic_id, mrns)
    found: Located = {
        cid: ("complications", row_id, patient)
        for row_id, patient, cid in _complication_ids(session, clinic_id, refs)
    }
    flagged = session.scalars(
        select(PatientOutcome.patient_id).where(
            PatientOutcome.clinic_id == clinic_id, PatientOutcome.status == FLAGGING_STATUS
        )
    )
    found.update({psps2_id(mrns[p]): ("outcomes", p, p) for p in flagged})
    return found


def _risk_ids(session: Session, clinic_id: int, mrns: dict[int, str]) -> Located:
    return {
        aid: ("assessments", row_id, patient)
        for row_id, patient, aid in _assessment_ids(session, clinic_id, mrns)
    }


_ID_SOURCES: dict[str, Callable[[Session, int, dict[int, str]], Located]] = {
    "Patient": _patient_ids,
    "Procedure": _procedure_ids,
    "QuestionnaireResponse": _answer_ids,
    "Observation": _score_ids,
    "Condition": _condition_ids,
    "RiskAssessment": _risk_ids,
}


def _row_ids(session: Session, clinic_id: int, resource_type: str) -> Located:
    """Where every resource of one type in the clinic comes from, computed from key columns."""
    located: Located = _ID_SOURCES[resource_type](session, clinic_id, _mrns(session, clinic_id))
    return located


# Filters in SQL ----------------------------------------------------------------------------------


def _ceil_day(moment: datetime) -> date:
    day = moment.date()
    return day if moment == datetime(day.year, day.month, day.day, tzinfo=UTC) else _next(day)


def _next(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _day_condition(column: Any, bound: DateBound) -> ColumnElement[bool]:
    """A stored day covers [day, day + 1); the prefixes compare that range with the bound's."""
    start, end = bound.start, bound.end
    conditions: dict[str, ColumnElement[bool]] = {
        "eq": and_(column >= _ceil_day(start), column < end.date()),
        "lt": column < _ceil_day(start),
        "le": column < _ceil_day(end),
        "gt": column >= end.date(),
        "ge": column >= start.date(),
    }
    return conditions[bound.prefix]


def _moment_condition(column: Any, bound: DateBound) -> ColumnElement[bool]:
    start, end = bound.start, bound.end
    conditions: dict[str, ColumnElement[bool]] = {
        "eq": and_(column >= start, column < end),
        "lt": column < start,
        "le": column < end,
        "gt": column >= end,
        "ge": column >= start,
    }
    return conditions[bound.prefix]


def _observation_instruments(codes: Sequence[tuple[str | None, str]]) -> set[str]:
    found: set[str] = set()
    for system, code in codes:
        if system in (None, LOINC):
            found |= {i for i, (score, _, _) in LOINC_SCORES.items() if score == code}
        if system in (None, code_system("instrument")):
            found.add(code)
    return found


PSPS2_CODES = {PSPS2_ICD10CM[0], PSPS2_SNOMED[0]} | {c for c, _ in PSPS2_SNOMED_BY_REGION.values()}


def _ours(codes: Sequence[tuple[str | None, str]], system: str) -> list[str]:
    return [code for s, code in codes if s in (None, code_system(system))]


@dataclass(frozen=True)
class _Source:
    """Where one resource type's rows live and how its search parameters read them."""

    table: str
    statement: Select[Any]
    """Selects (row id, patient id, sort value) of the clinic's rows."""
    row: Any
    patient: Any
    sort: Any


@dataclass(frozen=True)
class _Filters:
    query: Query
    clinic_id: int
    today: date

    def dated(self, column: Any, moment: bool) -> list[ColumnElement[bool]]:
        return [
            _moment_condition(column, b) if moment else _day_condition(column, b)
            for b in self.query.dates
        ]

    def status(self, allowed: ColumnElement[bool] | None, wanted: str) -> ColumnElement[bool]:
        if not self.query.statuses or wanted in self.query.statuses:
            return allowed if allowed is not None else true()
        return false()

    def source(
        self, table: str, model: Any, sort: Any, where: list[ColumnElement[bool]]
    ) -> _Source:
        statement = select(model.id, model.patient_id, sort).where(
            model.clinic_id == self.clinic_id, *where
        )
        return _Source(table, statement, model.id, model.patient_id, sort)


def _procedures(f: _Filters) -> list[_Source]:
    where = f.dated(Surgery.performed_on, False)
    if f.query.codes:
        where.append(Surgery.procedure.in_(_ours(f.query.codes, "procedure")))
    if f.query.statuses:
        states = [Surgery.performed_on <= f.today] if "completed" in f.query.statuses else []
        states += [Surgery.performed_on > f.today] if "preparation" in f.query.statuses else []
        where.append(or_(*states) if states else false())
    return [f.source("surgeries", Surgery, Surgery.performed_on, where)]


def _answers(f: _Filters) -> list[_Source]:
    where = [*f.dated(PromResponse.completed_at, True), f.status(None, "completed")]
    return [f.source("responses", PromResponse, PromResponse.completed_at, where)]


def _scores(f: _Filters) -> list[_Source]:
    where = [
        *f.dated(PromResponse.completed_at, True),
        f.status(None, "final"),
        PromResponse.score_status == "ok",
        or_(PromResponse.score_percent.is_not(None), PromResponse.score_raw.is_not(None)),
    ]
    if f.query.codes:
        where.append(PromResponse.instrument.in_(_observation_instruments(f.query.codes)))
    return [f.source("responses", PromResponse, PromResponse.completed_at, where)]


def _conditions(f: _Filters) -> list[_Source]:
    where = f.dated(Complication.occurred_on, False)
    codes = f.query.codes
    if codes:
        where.append(Complication.kind.in_(_ours(codes, "complication")))
    found = [f.source("complications", Complication, Complication.occurred_on, where)]
    flagged = not codes or any(code in PSPS2_CODES for _, code in codes)
    if flagged and not f.query.dates:  # the PSPS-2 flag has no onset date to compare
        owner = PatientOutcome.patient_id
        statement = select(owner, owner, owner).where(
            PatientOutcome.clinic_id == f.clinic_id, PatientOutcome.status == FLAGGING_STATUS
        )
        found.append(_Source("outcomes", statement, owner, owner, None))
    return found


def _risks(f: _Filters) -> list[_Source]:
    where = [*f.dated(TriageAssessment.evaluation_date, False), f.status(None, "final")]
    return [f.source("assessments", TriageAssessment, TriageAssessment.evaluation_date, where)]


_SOURCES: dict[str, Callable[[_Filters], list[_Source]]] = {
    "Procedure": _procedures,
    "QuestionnaireResponse": _answers,
    "Observation": _scores,
    "Condition": _conditions,
    "RiskAssessment": _risks,
}


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


def patient_row(session: Session, clinic_id: int, resource_id: str) -> int | None:
    for row, mrn in _mrns(session, clinic_id).items():
        if patient_id(mrn) == resource_id:
            return row
    return None


def _ordered(source: _Source, query: Query, statement: Select[Any]) -> Select[Any]:
    if query.by_date and source.sort is not None:
        date_order = source.sort.desc() if query.descending else source.sort.asc()
        return statement.order_by(date_order.nulls_last(), source.row)
    return statement.order_by(source.row)


def _merged(query: Query, keys: list[tuple[str, int, int, Any]]) -> list[tuple[str, int, int, Any]]:
    """Rows of several tables in one order: by date when asked (undated last), else as found."""
    if not query.by_date:
        return keys
    dated = sorted(
        (k for k in keys if k[3] is not None), key=lambda k: str(k[3]), reverse=query.descending
    )
    return dated + [k for k in keys if k[3] is None]


def _search_rows(
    session: Session, clinic_id: int, query: Query, patient: int | None, today: date
) -> tuple[list[tuple[str, int, int]], int, bool]:
    sources = _SOURCES[query.resource_type](_Filters(query, clinic_id, today))
    known = _row_ids(session, clinic_id, query.resource_type) if query.ids else {}
    keys: list[tuple[str, int, int, Any]] = []
    total = 0
    for source in sources:
        statement = source.statement
        if patient is not None:
            statement = statement.where(source.patient == patient)
        if query.ids:
            rows = [r for rid, (t, r, _) in known.items() if rid in query.ids and t == source.table]
            statement = statement.where(source.row.in_(rows) if rows else false())
        total += session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        limit = query.offset + query.count + 1
        if len(sources) == 1:
            statement = _ordered(source, query, statement).offset(query.offset)
            limit = query.count + 1
        else:
            statement = _ordered(source, query, statement)
        found = session.execute(statement.limit(limit)).tuples().all()
        keys += [(source.table, row, owner, value) for row, owner, value in found]
    if len(sources) > 1:
        keys = _merged(query, keys)[query.offset :]
    page = [(table, row, owner) for table, row, owner, _ in keys[: query.count]]
    return page, total, len(keys) > query.count


def _search_patients(uow: UnitOfWork, clinic_id: int, query: Query) -> Page:
    session = uow.session
    settings = import_settings(uow, clinic_id)
    statement = select(Patient).where(Patient.clinic_id == clinic_id)
    if query.identifier is not None:
        system, value = query.identifier
        systems = {f"{s}" for s in (mrn_system(settings.clinic), *settings.mrn_systems)}
        if system is not None and system not in systems:
            statement = statement.where(false())
        statement = statement.where(Patient.mrn == value)
    if query.ids:
        rows = [
            row
            for rid, (_, row, _) in _row_ids(session, clinic_id, "Patient").items()
            if rid in query.ids
        ]
        statement = statement.where(Patient.id.in_(rows) if rows else false())
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    found = list(
        session.scalars(statement.order_by(Patient.id).offset(query.offset).limit(query.count + 1))
    )
    resources: list[Resource] = [
        to_patient(patient_record(row), clinic=settings.clinic) for row in found[: query.count]
    ]
    shown = tuple(row.id for row in found[: query.count])
    return Page(resources, total, len(found) > query.count, shown)


def search(*, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, query: Query) -> Page:
    """One page of the clinic's resources of one type that match the query."""
    with audited(sessions, actor, "fhir.search", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        uow = work.uow
        if query.resource_type == "Patient":
            page = _search_patients(uow, clinic_id, query)
        else:
            patient = None
            if query.patient is not None:
                patient = patient_row(uow.session, clinic_id, query.patient)
                work.patient_id = patient
            if query.patient is not None and patient is None:
                page = Page([], 0, False)
            else:
                keys, total, more = _search_rows(
                    uow.session, clinic_id, query, patient, clinic_today(uow, clinic_id)
                )
                page = Page(_build(uow, clinic_id, query.resource_type, keys), total, more)
                work.saw(patient_id for _, _, patient_id in keys)
        work.saw(page.patients)
        work.detail = f"{query.resource_type}: {len(page.resources)} of {page.total}"
        return page


def read(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    clinic_id: int,
    resource_type: str,
    resource_id: str,
) -> Resource:
    """One resource by id: its row is found from key columns, then only its patient is built."""
    with audited(sessions, actor, "fhir.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        found = _row_ids(work.uow.session, clinic_id, resource_type).get(resource_id)
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
