"""A data version per clinic, bumped in the same transaction as every write of the clinic's data,
so a cache of figures computed from that data (the registry dashboard) can key on it and is never
served stale, including after an in-place update that changes no row count or id.

Listeners on the session factory and its engine do it for every write path: ORM flushes note
the clinics whose rows were added, changed or deleted; insert / update / delete statements on a
clinic-scoped table, whether run through the session or straight on its connection (the hot
paths do that), note the clinics in their parameters, or every clinic when they do not say. Just before commit one UPDATE adds 1 to each noted clinic's
version, in clinic-id order (no deadlock between two writers), so the row lock is held only
for the commit itself and never across clinics that were not written. Bookkeeping rows (the
audit trail, sessions, tokens, idempotency keys, the outbox) are not the clinic's data and do
not bump it: every dashboard view is audited, and must not invalidate its own cache.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Connection,
    Delete,
    Engine,
    Insert,
    Table,
    Update,
    bindparam,
    event,
    update,
)
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from spinetrack.storage.tables import Clinic

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
    }
)
EVERY_CLINIC = -1
_NOTED = "spinetrack.clinics_written"
_clinics = Clinic.__table__
assert isinstance(_clinics, Table)
_BUMP_ALL = update(_clinics).values(data_version=_clinics.c.data_version + 1)
_BUMP_SOME = _BUMP_ALL.where(_clinics.c.id.in_(bindparam("ids", expanding=True)))
_FLUSHING = "spinetrack.flushing"


def _note(session: Session, clinics: Iterable[int]) -> None:
    session.info.setdefault(_NOTED, set()).update(clinics)


def _is_data(table_name: str | None) -> bool:
    return table_name is not None and table_name not in BOOKKEEPING


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
    if not _is_data(getattr(statement.table, "name", None)):
        return
    rows: list[Any] = []
    for given in (multiparams, params):
        if isinstance(given, dict):
            rows.append(given)
        elif isinstance(given, (list, tuple)):
            for item in given:
                rows.extend(item if isinstance(item, (list, tuple)) else [item])
    found = _clinics_in(rows) if rows else None
    connection.info.setdefault(_NOTED, set()).update(found if found else {EVERY_CLINIC})


def _forget_connection(connection: Connection) -> None:
    connection.info.pop(_NOTED, None)
    connection.info.pop(_FLUSHING, None)


def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes after this event: note what is still pending first
    noted: set[int] = session.info.pop(_NOTED, set())
    if session.in_transaction():
        noted |= session.connection().info.pop(_NOTED, set())
    if not noted:
        return
    # Core statements built once, on the session's connection: this runs in every write, and an
    # ORM-enabled UPDATE costs several times the Python of the statement itself.
    connection = session.connection()
    if EVERY_CLINIC in noted:
        connection.execute(_BUMP_ALL)
    else:
        connection.execute(_BUMP_SOME, {"ids": sorted(noted)})


def _after_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_NOTED, None)


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
