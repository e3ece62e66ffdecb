"""FastAPI dependencies with type names: the database, the signed-in actor, the clinic in scope."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.services.accounts import authenticate
from spinetrack.services.actor import Actor
from spinetrack.services.database import Database

_basic = HTTPBasic(description="E-mail and password of a spinetrack account")


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
    credentials: Annotated[HTTPBasicCredentials, Depends(_basic)],
) -> Actor:
    remote = request.client.host if request.client else None
    return authenticate(
        sessions=sessions, email=credentials.username, password=credentials.password, remote=remote
    )


CurrentActor = Annotated[Actor, Depends(_current_actor)]


def _clinic(
    actor: CurrentActor,
    clinic: Annotated[int | None, Query(description="Clinic id; needed only with several")] = None,
) -> int:
    return clinic if clinic is not None else actor.default_clinic()


ClinicScope = Annotated[int, Depends(_clinic)]
