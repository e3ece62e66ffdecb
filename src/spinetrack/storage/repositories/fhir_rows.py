"""The rows behind the FHIR read and search, found from key columns and filtered in SQL.

FHIR itself stays out of here: the service turns search parameters into a `RowFilter` of plain
values (which procedures, instruments, complication kinds; date bounds; statuses), and turns the
key columns read here into resource ids. Every query is scoped to the constructor's clinic.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from spinetrack.storage.tables import (
    Complication,
    Patient,
    PatientOutcome,
    PromResponse,
    Surgery,
    TriageAssessment,
)

PageKey = tuple[str, int, int]
"""(source table, row id, patient id) of one row a search found."""


@dataclass(frozen=True)
class DateBound:
    """One `date` parameter: the prefix and the half-open UTC interval its value covers."""

    prefix: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RowFilter:
    """One search over one resource type's rows, in plain values."""

    resource_type: str
    """Procedure, QuestionnaireResponse, Observation, Condition or RiskAssessment."""
    today: date
    dates: tuple[DateBound, ...] = ()
    statuses: frozenset[str] = frozenset()
    codes: frozenset[str] | None = None
    """Procedures, instruments or complication kinds asked for; None when no code was given."""
    flagged_status: str | None = None
    """Conditions: also the patients whose outcome has this status (the PSPS-2 flag); None not."""
    rows: dict[str, list[int]] | None = None
    """Only these row ids, by source table (a search by `_id`); None for any."""
    patient: int | None = None
    offset: int = 0
    count: int = 20
    by_date: bool = False
    descending: bool = False


@dataclass(frozen=True)
class PatientFilter:
    mrn: str | None = None
    """Only the patient with this MRN (a search by identifier)."""
    nobody: bool = False
    """The identifier named a system the clinic does not use: nothing matches."""
    rows: list[int] | None = None
    offset: int = 0
    count: int = 20


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


def _moment_condition(column: Any, bound: DateBound, naive: bool) -> ColumnElement[bool]:
    start, end = bound.start, bound.end
    if naive:  # SQLite keeps moments as naive UTC text
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    conditions: dict[str, ColumnElement[bool]] = {
        "eq": and_(column >= start, column < end),
        "lt": column < start,
        "le": column < end,
        "gt": column >= end,
        "ge": column >= start,
    }
    return conditions[bound.prefix]


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
    wanted: RowFilter
    clinic_id: int
    naive: bool

    def dated(self, column: Any, moment: bool) -> list[ColumnElement[bool]]:
        return [
            _moment_condition(column, b, self.naive) if moment else _day_condition(column, b)
            for b in self.wanted.dates
        ]

    def status(self, wanted: str) -> ColumnElement[bool]:
        if not self.wanted.statuses or wanted in self.wanted.statuses:
            return true()
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
    if f.wanted.codes is not None:
        where.append(Surgery.procedure.in_(sorted(f.wanted.codes)))
    statuses = f.wanted.statuses
    if statuses:
        states = [Surgery.performed_on <= f.wanted.today] if "completed" in statuses else []
        states += [Surgery.performed_on > f.wanted.today] if "preparation" in statuses else []
        where.append(or_(*states) if states else false())
    return [f.source("surgeries", Surgery, Surgery.performed_on, where)]


def _answers(f: _Filters) -> list[_Source]:
    where = [*f.dated(PromResponse.completed_at, True), f.status("completed")]
    return [f.source("responses", PromResponse, PromResponse.completed_at, where)]


def _scores(f: _Filters) -> list[_Source]:
    where = [
        *f.dated(PromResponse.completed_at, True),
        f.status("final"),
        PromResponse.score_status == "ok",
        or_(PromResponse.score_percent.is_not(None), PromResponse.score_raw.is_not(None)),
    ]
    if f.wanted.codes is not None:
        where.append(PromResponse.instrument.in_(sorted(f.wanted.codes)))
    return [f.source("responses", PromResponse, PromResponse.completed_at, where)]


def _conditions(f: _Filters) -> list[_Source]:
    where = f.dated(Complication.occurred_on, False)
    if f.wanted.codes is not None:
        where.append(Complication.kind.in_(sorted(f.wanted.codes)))
    found = [f.source("complications", Complication, Complication.occurred_on, where)]
    if f.wanted.flagged_status is not None:
        owner = PatientOutcome.patient_id
        statement = select(owner, owner, owner).where(
            PatientOutcome.clinic_id == f.clinic_id,
            PatientOutcome.status == f.wanted.flagged_status,
        )
        found.append(_Source("outcomes", statement, owner, owner, None))
    return found


def _risks(f: _Filters) -> list[_Source]:
    where = [*f.dated(TriageAssessment.evaluation_date, False), f.status("final")]
    return [f.source("assessments", TriageAssessment, TriageAssessment.evaluation_date, where)]


_SOURCES = {
    "Procedure": _procedures,
    "QuestionnaireResponse": _answers,
    "Observation": _scores,
    "Condition": _conditions,
    "RiskAssessment": _risks,
}


def _ordered(source: _Source, wanted: RowFilter, statement: Select[Any]) -> Select[Any]:
    if wanted.by_date and source.sort is not None:
        date_order = source.sort.desc() if wanted.descending else source.sort.asc()
        return statement.order_by(date_order.nulls_last(), source.row)
    return statement.order_by(source.row)


def _merged(
    wanted: RowFilter, keys: list[tuple[str, int, int, Any]]
) -> list[tuple[str, int, int, Any]]:
    """Rows of several tables in one order: by date when asked (undated last), else as found."""
    if not wanted.by_date:
        return keys
    dated = sorted(
        (k for k in keys if k[3] is not None), key=lambda k: str(k[3]), reverse=wanted.descending
    )
    return dated + [k for k in keys if k[3] is None]


class FhirRowsRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    # Key columns, from which the service derives resource ids ------------------------------------

    def surgery_keys(self) -> list[tuple[int, int, date]]:
        """(row id, patient, day of operation), in entry order."""
        query = (
            select(Surgery.id, Surgery.patient_id, Surgery.performed_on)
            .where(Surgery.clinic_id == self.clinic_id)
            .order_by(Surgery.id)
        )
        return [(r[0], r[1], r[2]) for r in self._session.execute(query)]

    def response_keys(self, *, scored_only: bool) -> Iterator[tuple[int, int, str, datetime]]:
        """(row id, patient, instrument, moment completed); scored: only responses scored ok."""
        query = select(
            PromResponse.id,
            PromResponse.patient_id,
            PromResponse.instrument,
            PromResponse.completed_at,
        ).where(PromResponse.clinic_id == self.clinic_id)
        if scored_only:
            query = query.where(PromResponse.score_status == "ok")
        for row in self._session.execute(query):
            yield row[0], row[1], row[2], row[3]

    def complication_keys(self) -> list[tuple[int, int, int, str, str]]:
        """(row id, patient, surgery, kind, reported by), in entry order."""
        query = (
            select(
                Complication.id,
                Complication.patient_id,
                Complication.surgery_id,
                Complication.kind,
                Complication.reported_by,
            )
            .where(Complication.clinic_id == self.clinic_id)
            .order_by(Complication.id)
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self._session.execute(query)]

    def assessment_keys(self) -> list[tuple[int, int]]:
        """(row id, patient), in entry order."""
        query = (
            select(TriageAssessment.id, TriageAssessment.patient_id)
            .where(TriageAssessment.clinic_id == self.clinic_id)
            .order_by(TriageAssessment.id)
        )
        return [(r[0], r[1]) for r in self._session.execute(query)]

    def patients_with_status(self, status: str) -> list[int]:
        query = select(PatientOutcome.patient_id).where(
            PatientOutcome.clinic_id == self.clinic_id, PatientOutcome.status == status
        )
        return list(self._session.scalars(query))

    # Searches ------------------------------------------------------------------------------------

    def search(self, wanted: RowFilter) -> tuple[list[PageKey], int, bool]:
        """The page's rows, how many match in all, and whether more follow."""
        naive = self._session.get_bind().dialect.name == "sqlite"
        sources = _SOURCES[wanted.resource_type](_Filters(wanted, self.clinic_id, naive))
        keys: list[tuple[str, int, int, Any]] = []
        total = 0
        for source in sources:
            statement = source.statement
            if wanted.patient is not None:
                statement = statement.where(source.patient == wanted.patient)
            if wanted.rows is not None:
                rows = wanted.rows.get(source.table, [])
                statement = statement.where(source.row.in_(rows) if rows else false())
            total += self._count(statement)
            limit = wanted.offset + wanted.count + 1
            if len(sources) == 1:
                statement = _ordered(source, wanted, statement).offset(wanted.offset)
                limit = wanted.count + 1
            else:
                statement = _ordered(source, wanted, statement)
            found = self._session.execute(statement.limit(limit)).tuples().all()
            keys += [(source.table, row, owner, value) for row, owner, value in found]
        if len(sources) > 1:
            keys = _merged(wanted, keys)[wanted.offset :]
        page = [(table, row, owner) for table, row, owner, _ in keys[: wanted.count]]
        return page, total, len(keys) > wanted.count

    def search_patients(self, wanted: PatientFilter) -> tuple[list[Patient], int, bool]:
        """The page's patients, how many match in all, and whether more follow."""
        statement = select(Patient).where(Patient.clinic_id == self.clinic_id)
        if wanted.nobody:
            statement = statement.where(false())
        if wanted.mrn is not None:
            statement = statement.where(Patient.mrn == wanted.mrn)
        if wanted.rows is not None:
            rows = wanted.rows
            statement = statement.where(Patient.id.in_(rows) if rows else false())
        total = self._count(statement)
        found = list(
            self._session.scalars(
                statement.order_by(Patient.id).offset(wanted.offset).limit(wanted.count + 1)
            )
        )
        return found[: wanted.count], total, len(found) > wanted.count

    def _count(self, statement: Select[Any]) -> int:
        return self._session.scalar(select(func.count()).select_from(statement.subquery())) or 0
