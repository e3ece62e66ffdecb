"""Who is looking at a page: the session cookie, its CSRF token, and the redirect to sign in."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request

from spinetrack.services.access.actor import Actor
from spinetrack.services.access.credentials import new_secret, same
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.access.sign_in import session_actor
from spinetrack.services.operations.database import Database
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

SESSION_COOKIE = "spinetrack_session"
MAX_ID = 2_147_483_647
"""The API's id bound (`api/deps.MAX_ID`): a row id is a 32-bit integer in PostgreSQL, and SQLite
cannot bind one above 2**63, so a page asked for a larger id answers "not found" before any query
(see `web.not_found_for_bad_ids`) instead of failing or writing the id into the audit."""
PageId = Annotated[int, Path(ge=1, le=MAX_ID)]
ClinicQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
FORM_COOKIE = "spinetrack_form"
"""Double-submit token for forms shown before sign-in (the login form)."""


class SignInRequired(Exception):
    """Raised by page dependencies; answered with a redirect to /login."""


class BadForm(Exception):
    """A form post without a valid CSRF token."""


async def _sessions(request: Request) -> UnitOfWorkFactory:
    database: Database = request.app.state.database
    return database.sessions


PageSessions = Annotated[UnitOfWorkFactory, Depends(_sessions)]


@dataclass(frozen=True)
class Visitor:
    actor: Actor | None
    csrf: str
    """The token forms must echo: the session's, or the pre-sign-in form cookie's."""


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


@dataclass(frozen=True)
class Member:
    """A signed-in visitor: the actor is always there, so no handler has to check for it."""

    actor: Actor
    csrf: str


def _visitor(request: Request, sessions: PageSessions) -> Visitor:
    """Who is looking; kept on the request so an error page can show the same header."""
    request.state.visitor = found = _who(request, sessions)
    return found


def _who(request: Request, sessions: PageSessions) -> Visitor:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            actor, csrf = session_actor(sessions=sessions, token=cookie, remote=_remote(request))
            return Visitor(actor, csrf)
        except NotAuthenticated:
            pass
    form = request.cookies.get(FORM_COOKIE) or new_secret("")
    request.state.form_cookie = form
    return Visitor(None, form)


CurrentVisitor = Annotated[Visitor, Depends(_visitor)]


async def _signed_in(request: Request, visitor: CurrentVisitor) -> Member:
    if visitor.actor is None:
        raise SignInRequired
    request.state.visitor = member = Member(visitor.actor, visitor.csrf)
    return member


SignedIn = Annotated[Member, Depends(_signed_in)]


def member(request: Request) -> Member:
    """The signed-in visitor of a request whose route depends on `SignedIn` (for a form shown
    again after a refusal, outside the handler)."""
    found = getattr(request.state, "visitor", None)
    if not isinstance(found, Member):
        raise SignInRequired
    return found


def sessions_of(request: Request) -> UnitOfWorkFactory:
    database: Database = request.app.state.database
    return database.sessions


async def check_csrf(request: Request, visitor: CurrentVisitor) -> None:
    """Every form post must echo the visitor's CSRF token in the `csrf_token` field."""
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not same(sent, visitor.csrf):
        raise BadForm


CsrfChecked = Depends(check_csrf)
