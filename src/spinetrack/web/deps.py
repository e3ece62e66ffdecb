"""Who is looking at a page: the session cookie, its CSRF token, and the redirect to sign in."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.services.actor import Actor
from spinetrack.services.credentials import new_secret, same
from spinetrack.services.database import Database
from spinetrack.services.errors import NotAuthenticated
from spinetrack.services.sign_in import session_actor

SESSION_COOKIE = "spinetrack_session"
FORM_COOKIE = "spinetrack_form"
"""Double-submit token for forms shown before sign-in (the login form)."""


class SignInRequired(Exception):
    """Raised by page dependencies; answered with a redirect to /login."""


class BadForm(Exception):
    """A form post without a valid CSRF token."""


async def _sessions(request: Request) -> sessionmaker[Session]:
    database: Database = request.app.state.database
    return database.sessions


PageSessions = Annotated[sessionmaker[Session], Depends(_sessions)]


@dataclass(frozen=True)
class Visitor:
    actor: Actor | None
    csrf: str
    """The token forms must echo: the session's, or the pre-sign-in form cookie's."""


def _remote(request: Request) -> str | None:
    return request.client.host if request.client else None


def _visitor(request: Request, sessions: PageSessions) -> Visitor:
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


async def _signed_in(visitor: CurrentVisitor) -> Visitor:
    if visitor.actor is None:
        raise SignInRequired
    return visitor


SignedIn = Annotated[Visitor, Depends(_signed_in)]


async def check_csrf(request: Request, visitor: CurrentVisitor) -> None:
    """Every form post must echo the visitor's CSRF token in the `csrf_token` field."""
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not same(sent, visitor.csrf):
        raise BadForm


CsrfChecked = Depends(check_csrf)
