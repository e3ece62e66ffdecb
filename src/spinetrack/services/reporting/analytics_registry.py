"""The registry dashboard: read a clinic's records as analysis frames (no names, contact details or
record numbers leave this module), prepare them once with the vectorised outcome path, and answer
each selection from the prepared tables.

Preparing classifies every patient and counts every selection for disclosure control, so it is
kept per clinic until the clinic's data version changes (bumped in the transaction of every write
of its data: storage/data_version.py); redrawing the page for another period or surgeon then only
filters and sums. Admins, clinicians and analysts may look; every look is audited with the
selection it asked for. Every figure that leaves here has passed disclosure control.
"""

import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar, cast

import polars as pl

from spinetrack.analytics.cohort import (
    CAUSES_SCHEMA,
    PATIENTS_SCHEMA,
    RESPONSES_SCHEMA,
    SURGERIES_SCHEMA,
    PreparedRegistry,
    RegistryFrames,
    censored_at,
    prepare,
    replace_patients,
)
from spinetrack.analytics.dashboard import Dashboard, DashboardFilters, publish
from spinetrack.analytics.dashboard import select as select_patients
from spinetrack.analytics.disclosure import DisclosureCube, build
from spinetrack.analytics.tables import TableFormat, tables_zip
from spinetrack.config import get_settings
from spinetrack.domain.disclosure import disclosure_rule
from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.deidentify import deidentify
from spinetrack.interop.tabular import DATETIME_FORMAT, tables
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.registry_records import Rows, clinic_rows, registry_of
from spinetrack.services.reporting.analytics_store import decode, encode
from spinetrack.storage.repositories.analytics import StoredPrepared
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

DASHBOARD_ROLES = frozenset({"admin", "clinician", "analyst"})
_KEPT = 4  # prepared registries kept in memory (clinics x days)

Fingerprint = tuple[object, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class Analysable:
    """A clinic's prepared registry and its disclosure cube, computed together and kept together."""

    registry: PreparedRegistry
    cube: DisclosureCube


class _Prepared:
    """A small least-recently-used store of prepared registries, shared by request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[int, date], tuple[Fingerprint, Analysable]] = OrderedDict()

    def get(self, key: tuple[int, date], fingerprint: Fingerprint) -> Analysable | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != fingerprint:
                return None
            self._items.move_to_end(key)
            return found[1]

    def latest(self, clinic_id: int) -> tuple[int, Analysable] | None:
        """The clinic's kept aggregates of the highest data version, whatever day or threshold."""
        with self._lock:
            versions = [
                (mark[0], value)
                for (clinic, _day), (mark, value) in self._items.items()
                if clinic == clinic_id and isinstance(mark[0], int)
            ]
        if not versions:
            return None
        best = max(versions, key=lambda item: item[0])
        assert isinstance(best[0], int)
        return best[0], best[1]

    def put(self, key: tuple[int, date], fingerprint: Fingerprint, value: Analysable) -> None:
        with self._lock:
            self._items[key] = (fingerprint, value)
            self._items.move_to_end(key)
            while len(self._items) > _KEPT:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
        VIEWS.clear()


PREPARED = _Prepared()


def fingerprint(uow: UnitOfWork, clinic_id: int) -> Fingerprint:
    """The clinic's data version and disclosure threshold: either changing makes a new entry."""
    found = uow.analytics(clinic_id).version_and_threshold()
    if found is None:
        return (None, disclosure_rule().threshold)
    return (found[0], found[1] or disclosure_rule().threshold)


def read_frames(
    uow: UnitOfWork, clinic_id: int, read_on: date, only: Collection[int] | None = None
) -> RegistryFrames:
    """The clinic's records as analysis frames (the repository reads them column by column), or
    only the listed patients' records."""
    rows = uow.analytics(clinic_id).registry_rows(only)
    return RegistryFrames(
        patients=pl.DataFrame(rows.patients, schema=PATIENTS_SCHEMA, orient="row"),
        surgeries=pl.DataFrame(rows.surgeries, schema=SURGERIES_SCHEMA, orient="row"),
        responses=pl.DataFrame(rows.responses, schema=RESPONSES_SCHEMA, orient="row"),
        causes=pl.DataFrame(rows.causes, schema=CAUSES_SCHEMA, orient="row"),
        read_on=read_on,
    )


def analysable(uow: UnitOfWork, clinic_id: int, read_on: date) -> Analysable:
    """The clinic's prepared registry and disclosure cube for its current data version.

    From memory when nothing changed; else brought up to date from the latest aggregates at hand
    (this process's, or the row kept in the database, whichever is newer) by preparing again only
    the patients that the writes since then touched (`analytics_changes`); from every record only
    when there is nothing to start from or a write did not say which patients it touched."""
    key = (clinic_id, read_on)
    mark = fingerprint(uow, clinic_id)
    found = PREPARED.get(key, mark)
    if found is not None:
        return found
    version, threshold = mark
    assert isinstance(threshold, int)
    if not isinstance(version, int):  # no such clinic: an empty registry, kept nowhere
        registry = prepare(read_frames(uow, clinic_id, read_on))
        return Analysable(registry, build(registry, threshold))
    repository = uow.analytics(clinic_id)
    audit_key = get_settings().resolved_audit_key()
    stored = repository.stored_prepared()
    start, stored_usable = _starting_point(clinic_id, stored, audit_key)
    changed = (
        repository.changes_since(start.version)
        if start is not None and start.version <= version
        else None
    )
    if start is None or changed is None:
        registry = prepare(read_frames(uow, clinic_id, read_on))
        found = Analysable(registry, build(registry, threshold))
    else:
        registry = censored_at(start.found.registry, read_on)
        if changed:
            fresh = prepare(read_frames(uow, clinic_id, read_on, only=changed))
            registry = replace_patients(registry, fresh, changed)
        same = not changed and registry is start.found.registry
        cube = start.found.cube if same and start.found.cube.threshold == threshold else None
        found = Analysable(registry, cube or build(registry, threshold))
    if (
        stored is None
        or not stored_usable
        or stored.data_version < version - _KEEP_EVERY
        or stored.read_on != read_on
    ):
        repository.keep_prepared(
            encode(found.registry, found.cube, data_version=version, audit_key=audit_key)
        )
        repository.forget_changes(version - _KEEP_EVERY)
    PREPARED.put(key, mark, found)
    return found


_KEEP_EVERY = 200
"""Data versions after which the row kept in the database is rewritten: in between, a new process
brings it up to date from the change log (a few patients) rather than paying for encoding the
whole registry after every write. The log is kept this many versions behind the row as well, so
aggregates in memory that are a little older than the row can still be brought up to date."""


@dataclass(frozen=True)
class _Start:
    version: int
    found: Analysable


def _starting_point(
    clinic_id: int, stored: StoredPrepared | None, audit_key: bytes
) -> tuple[_Start | None, bool]:
    """The newest aggregates to bring up to date: this process's own, or the database's row when
    that is newer (the change log well before the row's version has been dropped); and whether
    the row may stay (False: it is altered or from other rules, and must be written again)."""
    mine = PREPARED.latest(clinic_id)
    if mine is not None and (stored is None or mine[0] >= stored.data_version):
        return _Start(mine[0], mine[1]), True
    if stored is None:
        return None, False
    kept = decode(
        stored,
        data_version=stored.data_version,
        threshold=stored.threshold,
        read_on=stored.read_on,
        audit_key=audit_key,
    )
    if kept is None:
        return None, False
    return _Start(stored.data_version, Analysable(*kept)), True


def registry_dashboard(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    adjust: bool = False,
    read_on: date | None = None,
) -> Dashboard:
    """Aggregate figures only, every one through disclosure control."""
    return registry_view(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        filters=filters,
        adjust=adjust,
        read_on=read_on,
        render=lambda dashboard: dashboard,
    )


class _Views:
    """Rendered views of a selection (the published figures and their charts), kept while the
    clinic's data version and threshold stand: a redrawn or revisited selection costs a lookup."""

    def __init__(self, kept: int = 64) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._kept = kept

    def get(self, key: Hashable) -> object | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._kept:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


VIEWS = _Views()


def registry_view(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    adjust: bool,
    render: Callable[[Dashboard], T],
    read_on: date | None = None,
    name: str = "",
) -> T:
    """``render`` of the selection's published dashboard, audited as a look at the dashboard, and
    kept (under ``name``) until the clinic's data change."""
    with audited(sessions, actor, "analytics.dashboard", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        day = read_on or clinic_today(work.uow, clinic_id)
        work.detail = f"{filters.describe()}{'; case-mix adjusted' if adjust else ''}"
        selection = (clinic_id, day, fingerprint(work.uow, clinic_id), filters, adjust)
        if name:
            kept = VIEWS.get((name, *selection))
            if kept is not None:
                return cast(T, kept)
        published = VIEWS.get(("published", *selection))
        if not isinstance(published, Dashboard):
            found = analysable(work.uow, clinic_id, day)
            published = publish(found.registry, found.cube, filters, adjust=adjust)
            VIEWS.put(("published", *selection), published)
        value = render(published)
        if name:
            VIEWS.put((name, *selection), value)
        return value


def sole_clinic(sessions: UnitOfWorkFactory) -> int | None:
    """The clinic's id when the database holds exactly one (the usual single-practice install)."""
    with sessions(read_only=True) as uow:
        ids = uow.clinics.some_ids(2)
        return ids[0] if len(ids) == 1 else None


def dashboard_tables(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    fmt: TableFormat,
    read_on: date | None = None,
) -> bytes:
    """The published dashboard's tables (CSV or Parquet files in one zip), audited as a download."""
    with audited(sessions, actor, "analytics.tables", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        found = analysable(work.uow, clinic_id, read_on or clinic_today(work.uow, clinic_id))
        work.detail = f"{fmt} tables: {filters.describe()}"
        return tables_zip(publish(found.registry, found.cube, filters), fmt)


def deidentified_selection(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    secret_key: str | None,
    read_on: date | None = None,
) -> bytes:
    """The de-identified records (CSV tables in one zip) of the patients in a selection: keyed
    pseudonyms, shifted dates, no names or free text (interop/deidentify.py). A selection of
    fewer patients than the disclosure threshold is refused: a handful of records picked out by
    surgeon, year and procedure is too close to naming them."""
    with audited(sessions, actor, "registry.export", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        found = analysable(work.uow, clinic_id, read_on or clinic_today(work.uow, clinic_id))
        ids = set(select_patients(found.registry, filters)["patient_id"].to_list())
        if len(ids) < found.cube.threshold:
            raise InvalidInput(
                "selection",
                f"a de-identified export needs at least {found.cube.threshold} patients in the "
                "selection; widen the filters",
            )
        rows = clinic_rows(work.uow, clinic_id)
        chosen = Rows(
            patients=[r for r in rows.patients if r.id in ids],
            surgeries=[r for r in rows.surgeries if r.patient_id in ids],
            complications=[r for r in rows.complications if r.patient_id in ids],
            responses=[r for r in rows.responses if r.patient_id in ids],
            outcomes=[r for r in rows.outcomes if r.patient_id in ids],
            assessments=[r for r in rows.assessments if r.patient_id in ids],
        )
        registry = deidentify(
            registry_of(work.uow, clinic_id, chosen), secret_key=secret_key, clinic_id=clinic_id
        )
        work.detail = (
            f"de-identified csv from analytics ({filters.describe()}): "
            f"{len(registry.patients)} patients, {len(registry.surgeries)} surgeries, "
            f"{len(registry.responses)} responses"
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, frame in tables(registry).items():
                data = io.BytesIO()
                frame.write_csv(data, datetime_format=DATETIME_FORMAT)
                archive.writestr(f"{name}.csv", data.getvalue())
        return buffer.getvalue()


def set_disclosure_threshold(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, threshold: int | None
) -> int:
    """Set the clinic's smallest published count (None: back to the default); admins only,
    never below the floor in knowledge/analytics/disclosure.yaml. Returns the threshold now
    in force. The dashboard's kept figures are dropped with the change of fingerprint."""
    rule = disclosure_rule()
    with audited(sessions, actor, "analytics.threshold", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin"}))
        if threshold is not None:
            try:
                rule.check(threshold)
            except ValueError as refused:
                raise InvalidInput("threshold", str(refused)) from refused
        clinic = work.uow.clinics.get(clinic_id)
        if clinic is None:
            raise InvalidInput("clinic", "no such clinic")
        clinic.disclosure_threshold = threshold
        work.detail = f"disclosure threshold {threshold or f'default ({rule.threshold})'}"
        return threshold or rule.threshold
