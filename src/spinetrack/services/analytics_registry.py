"""The registry dashboard: read a clinic's records as analysis frames (no names, contact details or
record numbers leave this module), prepare them once with the vectorised outcome path, and answer
each selection from the prepared tables.

Preparing classifies every patient, so it is kept per clinic until the records change (a cheap
fingerprint of row counts, last ids and last confirmation); redrawing the page for another period
or surgeon then only filters and sums. Admins, clinicians and analysts may look; every look is
audited with the selection it asked for.
"""

import threading
from collections import OrderedDict
from datetime import date

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.analytics.cohort import (
    CAUSES_SCHEMA,
    PATIENTS_SCHEMA,
    RESPONSES_SCHEMA,
    SURGERIES_SCHEMA,
    PreparedRegistry,
    RegistryFrames,
    prepare,
)
from spinetrack.analytics.dashboard import Dashboard, Filters, summarise
from spinetrack.services.actor import Actor
from spinetrack.services.audit_log import audited
from spinetrack.storage.tables import (
    Clinic,
    Patient,
    PromResponse,
    Surgery,
    TriageAssessment,
    User,
)
from spinetrack.storage.unit_of_work import UnitOfWork

DASHBOARD_ROLES = frozenset({"admin", "clinician", "analyst"})
_KEPT = 4  # prepared registries kept in memory (clinics x days)

Fingerprint = tuple[object, ...]


class _Prepared:
    """A small least-recently-used store of prepared registries, shared by request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[int, date], tuple[Fingerprint, PreparedRegistry]] = (
            OrderedDict()
        )

    def get(self, key: tuple[int, date], fingerprint: Fingerprint) -> PreparedRegistry | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != fingerprint:
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: tuple[int, date], fingerprint: Fingerprint, value: PreparedRegistry) -> None:
        with self._lock:
            self._items[key] = (fingerprint, value)
            self._items.move_to_end(key)
            while len(self._items) > _KEPT:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


PREPARED = _Prepared()


def fingerprint(session: Session, clinic_id: int) -> Fingerprint:
    """Changes whenever a patient, operation, response or triage conclusion is added or changed."""
    parts: list[object] = []
    for table in (Patient, Surgery, PromResponse, TriageAssessment):
        row = session.execute(
            select(func.count(), func.max(table.id)).where(table.clinic_id == clinic_id)
        ).one()
        parts.extend(row)
    confirmed = session.execute(
        select(
            func.count(TriageAssessment.confirmed_cause), func.max(TriageAssessment.confirmed_at)
        ).where(TriageAssessment.clinic_id == clinic_id)
    ).one()
    parts.extend(confirmed)
    return tuple(parts)


def read_frames(session: Session, clinic_id: int, read_on: date) -> RegistryFrames:
    """The clinic's records as analysis frames, selected column by column (no ORM objects)."""
    patients = session.execute(
        select(Patient.id, Patient.sex, Patient.birth_date).where(Patient.clinic_id == clinic_id)
    ).all()
    surgeons: dict[int, str] = {
        row[0]: row[1] for row in session.execute(select(User.id, User.full_name))
    }
    surgeries = session.execute(
        select(
            Surgery.id,
            Surgery.patient_id,
            Surgery.performed_on,
            Surgery.region,
            Surgery.procedure,
            Surgery.levels,
            Surgery.surgeon_id,
            Surgery.revision_of_id,
        ).where(Surgery.clinic_id == clinic_id)
    ).all()
    responses = session.execute(
        select(
            PromResponse.patient_id,
            PromResponse.instrument,
            PromResponse.completed_at,
            func.coalesce(PromResponse.score_percent, PromResponse.score_raw),
        ).where(
            PromResponse.clinic_id == clinic_id,
            PromResponse.score_status == "ok",
            func.coalesce(PromResponse.score_percent, PromResponse.score_raw).is_not(None),
        )
    ).all()
    causes = session.execute(
        select(TriageAssessment.patient_id, TriageAssessment.confirmed_cause)
        .where(
            TriageAssessment.clinic_id == clinic_id,
            TriageAssessment.confirmed_cause.is_not(None),
        )
        .order_by(TriageAssessment.patient_id, TriageAssessment.confirmed_at, TriageAssessment.id)
    ).all()
    surgery_rows = [
        (s[0], s[1], s[2], s[3], s[4], len(s[5] or ()), surgeons.get(s[6]), s[7]) for s in surgeries
    ]
    response_rows = [(r[0], r[1], r[2].date(), float(r[3])) for r in responses]
    return RegistryFrames(
        patients=pl.DataFrame(patients, schema=PATIENTS_SCHEMA, orient="row"),
        surgeries=pl.DataFrame(surgery_rows, schema=SURGERIES_SCHEMA, orient="row"),
        responses=pl.DataFrame(response_rows, schema=RESPONSES_SCHEMA, orient="row"),
        causes=pl.DataFrame(causes, schema=CAUSES_SCHEMA, orient="row"),
        read_on=read_on,
    )


def prepared_registry(uow: UnitOfWork, clinic_id: int, read_on: date) -> PreparedRegistry:
    """The clinic's prepared registry, from memory when its records have not changed."""
    key = (clinic_id, read_on)
    mark = fingerprint(uow.session, clinic_id)
    found = PREPARED.get(key, mark)
    if found is None:
        found = prepare(read_frames(uow.session, clinic_id, read_on))
        PREPARED.put(key, mark, found)
    return found


def registry_dashboard(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    clinic_id: int,
    filters: Filters,
    adjust: bool = False,
    read_on: date | None = None,
) -> Dashboard:
    """Aggregate figures only: no row in the answer describes fewer than one patient group."""
    with audited(sessions, actor, "analytics.dashboard", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        prepared = prepared_registry(work.uow, clinic_id, read_on or date.today())
        work.detail = f"{filters.describe()}{'; case-mix adjusted' if adjust else ''}"
        return summarise(prepared, filters, adjust=adjust)


def sole_clinic(sessions: sessionmaker[Session]) -> int | None:
    """The clinic's id when the database holds exactly one (the usual single-practice install)."""
    with UnitOfWork(sessions, read_only=True) as uow:
        ids = uow.session.scalars(select(Clinic.id).limit(2)).all()
        return ids[0] if len(ids) == 1 else None
