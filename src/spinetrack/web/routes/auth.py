"""Sign in, sign out, change password, and manage one's own API tokens."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.config import get_settings
from spinetrack.services.access.accounts import authenticate, change_password, rename_self
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.access.sign_in import (
    create_token,
    end_session,
    list_tokens,
    revoke_token,
    start_session,
)
from spinetrack.web.deps import (
    FORM_COOKIE,
    SESSION_COOKIE,
    CsrfChecked,
    CurrentVisitor,
    Member,
    PageId,
    PageSessions,
    SignedIn,
    Visitor,
    member,
    sessions_of,
)
from spinetrack.web.forms import FormRefused, FormWords, Label
from spinetrack.web.pages import answers, page_route
from spinetrack.web.templating import templates

router = APIRouter(include_in_schema=False, route_class=page_route())


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot be used to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page(
    request: Request, name: str, visitor: Visitor | Member, status: int = 200, **context: object
) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, name, {"visitor": visitor, **context}, status_code=status
    )
    form_cookie = getattr(request.state, "form_cookie", None)
    if visitor.actor is None and form_cookie:
        secure = request.url.scheme == "https"
        response.set_cookie(
            FORM_COOKIE, form_cookie, httponly=True, samesite="strict", secure=secure
        )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, visitor: CurrentVisitor, next: str = "/") -> HTMLResponse:
    return _page(request, "login.html", visitor, next=_safe_next(next), email="", error=None)


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    visitor: CurrentVisitor,
    sessions: PageSessions,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    remote = request.client.host if request.client else None
    try:
        actor = authenticate(sessions=sessions, email=email, password=password, remote=remote)
    except NotAuthenticated as exc:
        return _page(
            request,
            "login.html",
            visitor,
            401,
            next=_safe_next(next),
            email=email,
            error=exc.message,
        )
    token, _ = start_session(sessions=sessions, actor=actor)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=get_settings().session_hours * 3600,
    )
    response.delete_cookie(FORM_COOKIE)
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, visitor: SignedIn, sessions: PageSessions) -> RedirectResponse:
    end_session(
        sessions=sessions, token=request.cookies.get(SESSION_COOKIE, ""), actor=visitor.actor
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _account(
    request: Request, visitor: Member, sessions: PageSessions, status: int = 200, **extra: object
) -> HTMLResponse:
    context: dict[str, object] = {
        "tokens": list_tokens(sessions=sessions, actor=visitor.actor),
        "errors": {},
        "message": None,
        "new_token": None,
    }
    if request.query_params.get("renamed"):
        context["message"] = "Your name is saved."
    context.update(extra)
    return _page(request, "account.html", visitor, status, **context)


async def _account_refill(request: Request, errors: dict[str, str]) -> Response:
    return _account(request, member(request), sessions_of(request), 422, errors=errors)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, visitor: SignedIn, sessions: PageSessions) -> HTMLResponse:
    return _account(request, visitor, sessions)


PASSWORD_WORDS = FormWords(
    {
        "current_password": Label("Current password"),
        "new_password": Label("New password"),
        "repeat_password": Label("New password again"),
    }
)


@router.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_account_refill, words=PASSWORD_WORDS)
def password(
    visitor: SignedIn,
    sessions: PageSessions,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    repeat_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    if new_password != repeat_password:
        raise FormRefused(
            {
                "repeat_password": PASSWORD_WORDS.say(
                    "repeat_password", "the two new passwords differ"
                )
            }
        )
    change_password(
        sessions=sessions, actor=visitor.actor, current=current_password, new_password=new_password
    )
    response = RedirectResponse("/login?changed=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


NAME_WORDS = FormWords({"full_name": Label("Your name")})


@router.post("/account/name", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_account_refill, words=NAME_WORDS)
def name(
    visitor: SignedIn,
    sessions: PageSessions,
    full_name: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Change the name pages show for the signed-in user (post/redirect/get)."""
    rename_self(sessions=sessions, actor=visitor.actor, full_name=full_name)
    return RedirectResponse("/account?renamed=1", status_code=303)


TOKEN_WORDS = FormWords({"name": Label("Name of a new token")}, renamed={"user": "name"})


@router.post("/account/tokens", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_account_refill, words=TOKEN_WORDS)
def new_token(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    _, secret = create_token(sessions=sessions, actor=visitor.actor, name=name)
    return _account(
        request,
        visitor,
        sessions,
        new_token=secret,
        message="Copy the token now: it is shown only once.",
    )


def _no_token(request: Request, _: Exception) -> Response:
    return _account(request, member(request), sessions_of(request), 404, message="No such token.")


@router.post(
    "/account/tokens/{token_id}/revoke", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
@answers(not_found=_no_token)
def revoke(
    request: Request, token_id: PageId, visitor: SignedIn, sessions: PageSessions
) -> HTMLResponse:
    revoke_token(sessions=sessions, actor=visitor.actor, token_id=token_id)
    return _account(request, visitor, sessions, message="The token is revoked.")
