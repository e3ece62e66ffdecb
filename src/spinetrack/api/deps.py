"""FastAPI dependencies with type names: the database, the signed-in actor, the clinic in scope.

API clients send `Authorization: Bearer st_...` (a per-user token that can be revoked). The web
pages' own scripts may use the session cookie instead; then every write must also carry the
session's CSRF token in the `X-CSRF-Token` header.
"""

import re
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.credentials import same
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.access.sign_in import session_actor, token_actor
from spinetrack.services.operations.database import Database
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

SESSION_COOKIE = "spinetrack_session"
MAX_ID = 2_147_483_647
"""Row ids are 32-bit integers in PostgreSQL; a larger id cannot exist, and SQLite cannot even bind
one above 2**63, so ids outside 1..MAX_ID are refused as invalid input before any query."""
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_NUL_IN_JSON = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
"""The JSON escape of NUL, not preceded by an escaped backslash (which would make it plain text)."""
_bearer = HTTPBearer(auto_error=False, description="A spinetrack API token (st_...)")


async def refuse_nul(request: Request) -> None:
    """No text we keep may hold a NUL character: PostgreSQL cannot store one, and no clinical text
    needs one. Refused here, for every field at once, before any query sees it."""
    for values in (request.path_params, request.query_params):
        for name, value in values.items():
            if "\x00" in f"{name}{value}":
                raise InvalidInput(name, "text may not contain NUL characters")
    if request.method not in SAFE_METHODS:
        body = await request.body()
        if b"\x00" in body or _NUL_IN_JSON.search(body):
            raise InvalidInput("body", "text may not contain NUL characters")


def database_of(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def _database(request: Request) -> Database:
    # Dependencies that do no I/O are coroutines: a plain `def` would cost each request a hop to
    # the thread pool and back for nothing.
    return database_of(request)


DatabaseDep = Annotated[Database, Depends(_database)]


async def _sessions(database: DatabaseDep) -> UnitOfWorkFactory:
    return database.sessions


SessionsDep = Annotated[UnitOfWorkFactory, Depends(_sessions)]


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _current_actor(request: Request, sessions: SessionsDep, credentials: Credentials) -> Actor:
    remote = request.client.host if request.client else None
    if credentials is not None:
        return token_actor(sessions=sessions, token=credentials.credentials, remote=remote)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        actor, csrf = session_actor(sessions=sessions, token=cookie, remote=remote)
        sent = request.headers.get("x-csrf-token", "")
        if request.method not in SAFE_METHODS and not same(sent, csrf):
            raise NotAuthenticated("a write from the browser must carry the X-CSRF-Token header")
        return actor
    raise NotAuthenticated("sign in: send an API token as 'Authorization: Bearer st_...'")


CurrentActor = Annotated[Actor, Depends(_current_actor)]
"""Resolved on a worker thread of its own before the route runs."""


def actor_of(request: Request, sessions: UnitOfWorkFactory, credentials: Credentials) -> Actor:
    """The signed-in actor, for a route that resolves it on the same worker thread as its work:
    every hop between the event loop and a thread costs about as much as a small query."""
    return _current_actor(request, sessions, credentials)


def clinic_of(actor: Actor, clinic: int | None) -> int:
    return clinic if clinic is not None else actor.default_clinic()


ClinicChoice = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Clinic id; needed only with several")
]


async def _clinic(actor: CurrentActor, clinic: ClinicChoice = None) -> int:
    return clinic_of(actor, clinic)


ClinicScope = Annotated[int, Depends(_clinic)]
