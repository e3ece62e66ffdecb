"""A data version per clinic, bumped in the same transaction as every write of the clinic's data,
so a cache of figures computed from that data (the registry dashboard) can key on it and is never
served stale, including after an in-place update that changes no row count or id.

Listeners on the session factory and its engine do it for every write path: ORM flushes note
the clinics whose rows were added, changed or deleted; insert / update / delete statements on a
clinic-scoped table, whether run through the session or straight on its connection (the hot
paths do that), note the clinics in their parameters, or every clinic when they do not say. Just
before commit one UPDATE adds 1 to each noted clinic's version, in clinic-id order (no deadlock
between two writers), so the row lock is held only for the commit itself and never across
clinics that were not written (on PostgreSQL a request's audit entry, its last statement before
commit, may run that UPDATE in its own statement: `bump_with_audit_row`; a submission's last
write may run it too: `take_bump`). Bookkeeping rows (the
audit trail, sessions, tokens, idempotency keys, the outbox) are not the clinic's data and do
not bump it: every dashboard view is audited, and must not invalidate its own cache.
"""

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Delete,
    Engine,
    Insert,
    Table,
    Update,
    bindparam,
    delete,
    event,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from spinetrack.storage.driver_sql import DriverStatement
from spinetrack.storage.tables import AnalyticsChange, AuditEntry, Clinic

BOOKKEEPING = frozenset(
    {
        "audit_entries",
        "audit_head",
        "web_sessions",
        "api_tokens",
        "idempotency_keys",
        "outbox_messages",
        "clinics",
        "users",
        "memberships",
        "analytics_prepared",  # computed from the data: keeping it must not invalidate it
        "analytics_changes",
    }
)
INPUTS = frozenset({"patients", "surgeries", "prom_responses", "triage_assessments"})
"""The tables the registry dashboard prepares its figures from. A write to one of them also logs,
per clinic and new data version, which patients it touched (`analytics_changes`), so the prepared
figures are brought up to date patient by patient instead of from every record."""
EVERY_PATIENT = None
"""Logged when a write does not say which patients it touched (an UPDATE by a WHERE clause)."""
MANY_PATIENTS = 2000
"""Beyond this many patients in one transaction (a bulk import) the log says "every patient"."""
EVERY_CLINIC = -1
_NOTED = "spinetrack.clinics_written"
_TOUCHED = "spinetrack.patients_touched"
_clinics = Clinic.__table__
assert isinstance(_clinics, Table)
_BUMP_ALL = update(_clinics).values(data_version=_clinics.c.data_version + 1)
_BUMP_SOME = _BUMP_ALL.where(_clinics.c.id.in_(bindparam("ids", expanding=True)))
_BUMP_ALL_RETURNING = _BUMP_ALL.returning(_clinics.c.id, _clinics.c.data_version)
_BUMP_SOME_RETURNING = _BUMP_SOME.returning(_clinics.c.id, _clinics.c.data_version)
_changes = cast(Table, AnalyticsChange.__table__)


def _log_changes(dialect: str) -> Insert:
    """One row per (clinic, patient), moved to the newest version that touched the patient: the
    log is bounded by the patients written, not by the writes (the unique index of migration
    0020; rows for every patient have no patient id and never conflict)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(_changes)
    return statement.on_conflict_do_update(
        index_elements=[_changes.c.clinic_id, _changes.c.patient_id],
        set_={"data_version": statement.excluded.data_version},
    )


_LOG_CHANGES = {name: _log_changes(name) for name in ("postgresql", "sqlite")}
_FORGET_BEFORE_EVERY = delete(_changes).where(
    _changes.c.clinic_id == bindparam("clinic"), _changes.c.data_version < bindparam("version")
)
"""A row for every patient at version v answers every question about versions before v by
itself ("read everything"), so the clinic's older rows go when it is written."""

_BUMP_AND_LOG = text(
    "WITH bumped AS (UPDATE clinics SET data_version = data_version + 1 WHERE id = :clinic"
    " RETURNING id, data_version)"
    " INSERT INTO analytics_changes (clinic_id, data_version, patient_id)"
    " SELECT bumped.id, bumped.data_version, touched.patient_id"
    " FROM bumped, unnest(CAST(:patients AS integer[])) AS touched(patient_id)"
    " ON CONFLICT (clinic_id, patient_id) DO UPDATE SET data_version = EXCLUDED.data_version"
)
"""PostgreSQL only (a data-modifying WITH), for named patients; SQLite runs the bump and the log as
two statements. The patients are distinct, so no row is upserted twice in one statement."""

_audit = cast(Table, AuditEntry.__table__)
AUDIT_COLUMNS = tuple(
    c.key for c in _audit.columns if c.key not in ("id", "seq", "prev_hash", "entry_hash")
)
"""What a request's audit entry stores (the sealer adds the rest)."""
_BUMP_LOG_AND_AUDIT = DriverStatement(
    text(
        "WITH bumped AS (UPDATE clinics SET data_version = data_version + 1 WHERE id = :clinic"
        " RETURNING id, data_version),"
        f" audited AS (INSERT INTO audit_entries ({', '.join(_audit.c[k].name for k in AUDIT_COLUMNS)})"
        f" VALUES ({', '.join(f':audit_{k}' for k in AUDIT_COLUMNS)}))"
        " INSERT INTO analytics_changes (clinic_id, data_version, patient_id)"
        " SELECT bumped.id, bumped.data_version, touched.patient_id"
        " FROM bumped, unnest(CAST(:patients AS integer[])) AS touched(patient_id)"
        " ON CONFLICT (clinic_id, patient_id) DO UPDATE SET data_version = EXCLUDED.data_version"
    ).bindparams(*(bindparam(f"audit_{key}", type_=_audit.c[key].type) for key in AUDIT_COLUMNS))
)
"""`_BUMP_AND_LOG` with the request's audit entry inserted by the same statement (see
`bump_with_audit_row`); its values go through the columns' types, as the plain INSERT's do."""

Touched = dict[int, set[int] | None]
"""Clinic (or EVERY_CLINIC) -> the input patients written, or None for every patient."""
_FLUSHING = "spinetrack.flushing"


def _note(session: Session, clinics: Iterable[int]) -> None:
    session.info.setdefault(_NOTED, set()).update(clinics)


def _is_data(table_name: str | None) -> bool:
    return table_name is not None and table_name not in BOOKKEEPING


def _touch(info: dict[Any, Any], clinic: int, patients: Iterable[int] | None) -> None:
    touched: Touched = info.setdefault(_TOUCHED, {})
    known = touched.setdefault(clinic, set())
    if known is None:
        return
    if patients is None:
        touched[clinic] = None
        return
    known.update(patients)
    if len(known) > MANY_PATIENTS:
        touched[clinic] = None


def _touched_by_rows(info: dict[Any, Any], table: str, rows: list[Any], inserting: bool) -> None:
    """Note the patients an INSERT/UPDATE/DELETE on an input table names in its parameters; a
    statement that names none (a WHERE clause) touched, for all we know, every patient."""
    if table == "patients" and inserting:
        return  # a new patient has no operation yet; the surgery that follows names them
    by_clinic: dict[int, set[int]] = {}
    for row in rows:
        clinic = row.get("clinic_id") if isinstance(row, dict) else None
        patient = row.get("patient_id") if isinstance(row, dict) else None
        if not isinstance(clinic, int) or not isinstance(patient, int):
            _touch(info, clinic if isinstance(clinic, int) else EVERY_CLINIC, EVERY_PATIENT)
            return
        by_clinic.setdefault(clinic, set()).add(patient)
    if not rows:
        _touch(info, EVERY_CLINIC, EVERY_PATIENT)
    for clinic, patients in by_clinic.items():
        _touch(info, clinic, patients)


def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    # The flush's own statements are noted precisely from its objects in _after_flush, not from
    # their parameters (an UPDATE of one patient names no clinic).
    if session.new or session.dirty or session.deleted:  # else the flush stops before SQL
        session.connection().info[_FLUSHING] = True


def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    session.connection().info.pop(_FLUSHING, None)
    written = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        clinic = getattr(instance, "clinic_id", None)
        if _is_data(table) and isinstance(clinic, int):
            if instance in session.dirty and not session.is_modified(instance):
                continue
            written.add(clinic)
            if table in INPUTS and not (table == "patients" and instance in session.new):
                # (a new patient has no operation yet; the surgery that follows names them)
                patient = getattr(instance, "id" if table == "patients" else "patient_id", None)
                _touch(session.info, clinic, [patient] if isinstance(patient, int) else None)
    if written:
        _note(session, written)


def _clinics_in(parameters: Any) -> set[int] | None:
    rows = parameters if isinstance(parameters, list) else [parameters]
    found = set()
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("clinic_id"), int):
            return None
        found.add(row["clinic_id"])
    return found


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = getattr(mapper.local_table, "name", None) if mapper is not None else None
    if table is None:
        table = getattr(getattr(state.statement, "table", None), "name", None)
    if not _is_data(table):
        return
    found = _clinics_in(state.parameters) if state.parameters else None
    _note(state.session, found if found else {EVERY_CLINIC})
    if table in INPUTS:
        given = state.parameters
        rows = given if isinstance(given, list) else [given] if given else []
        _touched_by_rows(state.session.info, table, rows, state.is_insert)


def _after_execute(
    connection: Connection,
    statement: object,
    multiparams: Any,
    params: Any,
    _options: Any,
    _result: Any,
) -> None:
    if connection.info.get(_FLUSHING) or not isinstance(statement, (Insert, Update, Delete)):
        return
    table = getattr(statement.table, "name", None)
    if not _is_data(table):
        return
    rows: list[Any] = []
    for given in (multiparams, params):
        if isinstance(given, dict):
            rows.append(given)
        elif isinstance(given, (list, tuple)):
            for item in given:
                rows.extend(item if isinstance(item, (list, tuple)) else [item])
    _note_rows(connection, table, rows, isinstance(statement, Insert))


def _note_rows(connection: Connection, table: str | None, rows: list[Any], inserting: bool) -> None:
    found = _clinics_in(rows) if rows else None
    connection.info.setdefault(_NOTED, set()).update(found if found else {EVERY_CLINIC})
    if table in INPUTS:
        _touched_by_rows(connection.info, table, rows, inserting)


def note_inserted(connection: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """Note rows inserted where no statement event sees them (storage/bulk_rows.py hands them to
    the driver's executemany) as an INSERT statement with these parameters is noted, in one pass
    over the distinct (clinic, patient) pairs rather than a check per row: a bulk load inserts
    hundreds of thousands of rows for a few thousand patients of one clinic."""
    if not _is_data(table) or not rows:
        return
    pairs: set[tuple[Any, Any]] = {(row.get("clinic_id"), row.get("patient_id")) for row in rows}
    clinics = {clinic for clinic, _ in pairs}
    whole = {clinic for clinic in clinics if not _is_id(clinic)}
    noted = connection.info.setdefault(_NOTED, set())
    noted.update({EVERY_CLINIC} if whole else clinics)
    if table not in INPUTS or table == "patients":
        return  # a new patient has no operation yet; the surgery that follows names them
    if whole:
        _touch(connection.info, EVERY_CLINIC, EVERY_PATIENT)
        return
    by_clinic: dict[int, set[int]] = {}
    for clinic, patient in pairs:
        if not _is_id(patient):
            _touch(connection.info, clinic, EVERY_PATIENT)
        else:
            by_clinic.setdefault(clinic, set()).add(patient)
    for clinic, patients in by_clinic.items():
        _touch(connection.info, clinic, patients)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _forget_connection(connection: Connection) -> None:
    connection.info.pop(_NOTED, None)
    connection.info.pop(_TOUCHED, None)
    connection.info.pop(_FLUSHING, None)


def _pending(session: Session) -> tuple[set[int], Touched]:
    """The clinics and patients written so far (taken out of the session's and connection's notes)."""
    session.flush()  # commit flushes after this event: note what is still pending first
    noted: set[int] = session.info.pop(_NOTED, set())
    touched: Touched = session.info.pop(_TOUCHED, {})
    if session.in_transaction():
        info = session.connection().info
        noted |= info.pop(_NOTED, set())
        for clinic, patients in info.pop(_TOUCHED, {}).items():
            _touch(session.info, clinic, patients)
        touched = session.info.pop(_TOUCHED, touched)
    return noted, touched


def take_bump(session: Session, clinic: int, patients: set[int]) -> bool:
    """For a statement that runs the version bump and its log itself (`bump_statement`): whether
    the bump the commit would run, counting that statement's own writes (noted first), is one
    clinic's with exactly these patients named, on PostgreSQL. If so its notes are taken and the
    statement must bump; otherwise nothing is taken and the commit bumps as usual."""
    noted, touched = _pending(session)
    if (
        noted == {clinic}
        and touched == {clinic: patients}
        and session.connection().dialect.name == "postgresql"
    ):
        return True
    if noted:
        session.info[_NOTED] = noted
    if touched:
        session.info[_TOUCHED] = touched
    return False


def bump_part(clinic: Any, patients: Any) -> Any:
    """The bump and its log as a data-modifying WITH part (PostgreSQL; it refers to a second one),
    for a statement that takes the bump over (`take_bump`): the clinic's version + 1, and the
    patients (an integer array expression) upserted into the log under the new version, as
    `_BUMP_AND_LOG` does. Attach it to the statement with `add_cte`."""
    clinics = cast(Table, _clinics)
    bumped = (
        update(clinics)
        .where(clinics.c.id == clinic)
        .values(data_version=clinics.c.data_version + 1)
        .returning(clinics.c.id, clinics.c.data_version)
        .cte("bumped")
    )
    upsert = postgresql.insert(_changes).from_select(
        ["clinic_id", "data_version", "patient_id"],
        # One row per patient: unnest in the select list, no second FROM element.
        select(bumped.c.id, bumped.c.data_version, func.unnest(patients)),
    )
    logged = upsert.on_conflict_do_update(
        index_elements=[_changes.c.clinic_id, _changes.c.patient_id],
        set_={"data_version": upsert.excluded.data_version},
    ).cte("logged")
    return logged


def bump_with_audit_row(session: Session, audit_row: dict[str, Any]) -> bool:
    """Run the version bump the commit would run, now, with this audit entry's INSERT in the same
    statement, when the bump is one statement (a write of one clinic's named patients, on
    PostgreSQL: a submission); returns whether it did. Otherwise nothing is run or forgotten (the
    caller inserts the entry, the commit bumps as before). A request's audit entry is its last
    statement before COMMIT, so the bump runs where it ran before, and a round trip (with its
    statement's Python) goes."""
    noted, touched = _pending(session)
    connection = session.connection()
    if noted and touched and _one_clinic_on_postgresql(connection, noted, touched):
        (clinic,) = noted
        patients = touched[clinic]
        assert patients is not None  # (checked: every patient takes the general path)
        audit = {f"audit_{key}": value for key, value in audit_row.items()}
        _BUMP_LOG_AND_AUDIT.rows(
            connection, {"clinic": clinic, "patients": sorted(patients), **audit}
        )
        return True
    if noted:  # kept for the commit's own bump
        session.info[_NOTED] = noted
    if touched:
        session.info[_TOUCHED] = touched
    return False


def _before_commit(session: Session) -> None:
    noted, touched = _pending(session)
    if not noted:
        return
    # Core statements built once, on the session's connection: this runs in every write, and an
    # ORM-enabled UPDATE costs several times the Python of the statement itself.
    connection = session.connection()
    if not touched:
        if EVERY_CLINIC in noted:
            connection.execute(_BUMP_ALL)
        else:
            connection.execute(_BUMP_SOME, {"ids": sorted(noted)})
        return
    if _one_clinic_on_postgresql(connection, noted, touched):
        # The busiest case (a submission): one statement bumps the version and logs the patients.
        (clinic,) = noted
        patients = touched[clinic]
        assert patients is not None  # (checked above: every patient takes the general path)
        connection.execute(_BUMP_AND_LOG, {"clinic": clinic, "patients": sorted(patients)})
        return
    if EVERY_CLINIC in noted:
        versions = connection.execute(_BUMP_ALL_RETURNING).all()
    else:
        versions = connection.execute(_BUMP_SOME_RETURNING, {"ids": sorted(noted)}).all()
    _log(connection, _change_rows(touched, {row[0]: row[1] for row in versions}))


def _log(connection: Connection, logged: list[dict[str, int | None]]) -> None:
    """Upsert the log rows; a row for every patient drops the clinic's older rows."""
    if logged:
        connection.execute(_LOG_CHANGES[connection.dialect.name], logged)
    for row in logged:
        if row["patient_id"] is None:
            connection.execute(
                _FORGET_BEFORE_EVERY, {"clinic": row["clinic_id"], "version": row["data_version"]}
            )


def _one_clinic_on_postgresql(connection: Connection, noted: set[int], touched: Touched) -> bool:
    """The one-statement path: one clinic, on PostgreSQL, with the patients named (a write that
    logs every patient also drops the clinic's older rows, so it takes the general path)."""
    return (
        connection.dialect.name == "postgresql"
        and len(noted) == 1
        and EVERY_CLINIC not in noted
        and set(touched) == noted
        and all(patients is not None for patients in touched.values())
    )


def _change_rows(touched: Touched, versions: dict[int, int]) -> list[dict[str, int | None]]:
    """One log row per clinic and patient written (patient None: every patient)."""
    every = touched.get(EVERY_CLINIC, set())
    rows: list[dict[str, int | None]] = []
    for clinic, version in sorted(versions.items()):
        own = touched.get(clinic, set())
        if own is not None and every is not None:
            patients: set[int] | None = own | every
        else:
            patients = None
        if patients is None:
            rows.append({"clinic_id": clinic, "data_version": version, "patient_id": None})
        else:
            rows.extend(
                {"clinic_id": clinic, "data_version": version, "patient_id": patient}
                for patient in sorted(patients)
            )
    return rows


def _after_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_NOTED, None)
    session.info.pop(_TOUCHED, None)


def track_data_versions(sessions: sessionmaker[Session]) -> None:
    """Install the listeners on a session factory (once; engine.session_factory calls this)."""
    if event.contains(sessions, "after_flush", _after_flush):
        return
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "do_orm_execute", _on_execute)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_soft_rollback", _after_rollback)
    engine = sessions.kw.get("bind")
    if isinstance(engine, Engine):
        event.listen(engine, "after_execute", _after_execute)
        event.listen(engine, "rollback", _forget_connection)
        event.listen(engine, "commit", _forget_connection)
