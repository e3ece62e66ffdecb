"""FastAPI dependencies with type names: the database, the signed-in actor, the clinic in scope.

API clients send `Authorization: Bearer st_...` (a per-user token that can be revoked). The web
pages' own scripts may use the session cookie instead; then every write must also carry the
session's CSRF token in the `X-CSRF-Token` header.
"""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.services.actor import Actor
from spinetrack.services.credentials import same
from spinetrack.services.database import Database
from spinetrack.services.errors import NotAuthenticated
from spinetrack.services.sign_in import session_actor, token_actor

SESSION_COOKIE = "spinetrack_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="A spinetrack API token (st_...)")


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(_database)]


def _sessions(database: DatabaseDep) -> sessionmaker[Session]:
    return database.sessions


SessionsDep = Annotated[sessionmaker[Session], Depends(_sessions)]


def _current_actor(
    request: Request,
    sessions: SessionsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
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


def _clinic(
    actor: CurrentActor,
    clinic: Annotated[int | None, Query(description="Clinic id; needed only with several")] = None,
) -> int:
    return clinic if clinic is not None else actor.default_clinic()


ClinicScope = Annotated[int, Depends(_clinic)]
