"""Page errors, answered once: every page route is a `PageRoute`, which turns what the services
refuse into the page the visitor should see, so a handler reads "parse, call the service, redirect".

- `NotFound` -> the problem page, 404; `AccessDenied` -> the problem page, 403 (each router, or one
  route, says what the page tells the visitor);
- `Problem(status, message)` -> the problem page with that status, for a page's own refusals;
- a refused form (`FormRefused`, or `InvalidInput` / pydantic's `ValidationError` from the parse or
  the service) -> the form again, 422, as typed, with one message per field in the form's words;
  a route without a form answers the problem page, 422, with the reason.

The API has its own translation (`api/errors.py`); this one only serves the pages.
"""

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.responses import Response

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.web.forms import FormRefused, FormWords
from spinetrack.web.routes.clinic_pages import render

Refill = Callable[[Request, dict[str, str]], Response | Awaitable[Response]]
"""Shows a refused form again: the request (its posted form is still readable) and the messages."""
Answer = Callable[[Request, Exception], Response | Awaitable[Response]]
"""Answers one kind of refusal with a page of the router's own (a patient page's kind 404)."""

NOT_FOUND = "No such record among yours."
DENIED = "Your role does not allow this."


class Problem(Exception):
    """A page's own refusal, shown on the problem page with this status."""

    def __init__(self, status: int, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title or {403: "Not allowed", 404: "Not found"}.get(status, "Not possible")


@dataclass(frozen=True)
class Answers:
    """How a route answers refusals. A router sets the defaults; one route may override them."""

    not_found: str | Answer = NOT_FOUND
    denied: str | Answer = DENIED
    refill: Refill | None = None
    words: FormWords = field(default_factory=FormWords)


ANSWERS = "__page_answers__"
E = TypeVar("E", bound=Callable[..., Any])


def answers(
    *,
    refill: Refill | None = None,
    words: FormWords | None = None,
    not_found: str | Answer | None = None,
    denied: str | Answer | None = None,
) -> Callable[[E], E]:
    """Mark an endpoint with how its refusals are answered (below `@router.post(...)`)."""
    given: dict[str, Any] = {
        "refill": refill,
        "words": words,
        "not_found": not_found,
        "denied": denied,
    }

    def mark(endpoint: E) -> E:
        setattr(endpoint, ANSWERS, {k: v for k, v in given.items() if v is not None})
        return endpoint

    return mark


async def _settle(answer: Response | Awaitable[Response]) -> Response:
    return await answer if inspect.isawaitable(answer) else answer


def problem_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """The problem page in the site's layout, for whoever is looking."""
    visitor = getattr(request.state, "visitor", None)
    return render(request, "clinic/problem.html", visitor, status, title=title, message=message)


async def _say(request: Request, exc: Exception, how: str | Answer, status: int) -> Response:
    if isinstance(how, str):
        title = "Not found" if status == 404 else "Not allowed"
        return problem_page(request, status, title, how)
    return await _settle(how(request, exc))


class PageRoute(APIRoute):
    """An `APIRoute` whose handler answers domain and service errors with pages (see module)."""

    answers: ClassVar[Answers] = Answers()

    def _answers(self) -> Answers:
        override: Mapping[str, Any] = getattr(self.endpoint, ANSWERS, {})
        return replace(self.answers, **override)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        how = self._answers()

        async def answered(request: Request) -> Response:
            try:
                return await handle(request)
            except PAGE_ERRORS as exc:
                try:
                    return await _answer(request, how, exc)
                except PAGE_ERRORS as again:  # the form's page itself cannot be shown
                    return await _answer(request, replace(how, refill=None), again)

        return answered


PAGE_ERRORS = (FormRefused, InvalidInput, ValidationError, NotFound, AccessDenied, Problem)


async def _answer(request: Request, how: Answers, exc: Exception) -> Response:
    if isinstance(exc, FormRefused):
        return await _refill(request, how, exc.errors)
    if isinstance(exc, InvalidInput | ValidationError):
        return await _refill(request, how, how.words.messages(exc))
    if isinstance(exc, NotFound):
        return await _say(request, exc, how.not_found, 404)
    if isinstance(exc, AccessDenied):
        return await _say(request, exc, how.denied, 403)
    assert isinstance(exc, Problem)
    return problem_page(request, exc.status, exc.title, exc.message)


async def _refill(request: Request, how: Answers, errors: dict[str, str]) -> Response:
    if how.refill is None:
        return problem_page(request, 422, "Not possible", " ".join(errors.values()))
    response = await _settle(how.refill(request, errors))
    response.status_code = 422 if response.status_code == 200 else response.status_code
    return response


def page_route(
    *, not_found: str | Answer = NOT_FOUND, denied: str | Answer = DENIED
) -> type[APIRoute]:
    """A `PageRoute` class for one router, with what its pages say when a record is not found or
    the role does not allow it."""
    defaults = Answers(not_found=not_found, denied=denied)
    return type("PageRoute", (PageRoute,), {"answers": defaults})
