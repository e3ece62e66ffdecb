"""Domain errors become JSON responses, in one place: {"detail": ..., "field": ...}.

`ERROR_RESPONSES` documents that body in the OpenAPI document for every error status the API
can answer, so clients (and the schema fuzzer) can rely on the published schema for errors too.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from spinetrack.domain.errors import InvalidInput, NotFound, SpinetrackError
from spinetrack.services.access.errors import AccessDenied, NotAuthenticated
from spinetrack.storage.errors import UnstorableValue


class ErrorBody(BaseModel):
    """What every refused request answers: the reason, and the field it concerns (if one)."""

    detail: str
    field: str | None
    errors: int | None = None
    """How many problems request validation found (only on 422 from request validation)."""


_REASONS = {
    400: "The request cannot be carried out",
    401: "Not signed in, or the token is unknown or revoked",
    403: "Signed in, but the role does not allow this",
    404: "No such record in the caller's clinic",
    409: "The request conflicts with an earlier one",
    413: "The request body is too large",
    422: "The input is invalid; `field` names what to fix",
    429: "Too many requests from this address; retry after `Retry-After` seconds",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": reason, "content": {"application/json": {}}}
    for code, reason in _REASONS.items()
}


def _body(message: str, field: str | None) -> dict[str, str | None]:
    return {"detail": message, "field": field}


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidInput)
    return JSONResponse(_body(exc.message, exc.field or None), status_code=422)


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotFound)
    return JSONResponse(_body(exc.message, None), status_code=404)


async def _denied(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessDenied)
    return JSONResponse(_body(exc.message, None), status_code=403)


async def _unauthenticated(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NotAuthenticated)
    headers = {"WWW-Authenticate": "Bearer"}
    return JSONResponse(_body(exc.message, None), status_code=401, headers=headers)


async def _other(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SpinetrackError)
    return JSONResponse(_body(exc.message, None), status_code=400)


_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_UNION_TAGS = frozenset({"int", "float", "str", "bool", "none", "list", "dict"})
"""Pydantic appends the tried member type to the location of a value that fits no union member."""


async def _request_invalid(_: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own validation errors, reduced to the first field and a readable message."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = [str(p) for p in first.get("loc", ()) if p not in _LOCATIONS]
    while loc and loc[-1] in _UNION_TAGS:  # "answers.odi_1.int" names the field, not the type
        loc.pop()
    field = ".".join(loc) or None
    message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
    return JSONResponse({**_body(message, field), "errors": len(errors)}, status_code=422)


def _unparsable(cause: BaseException | None) -> str | None:
    """Why a body that is not even JSON was refused, in words a client developer can act on."""
    if isinstance(cause, RecursionError):
        return "the request body is JSON nested too deeply"
    if isinstance(cause, UnicodeDecodeError):
        return "the request body is not valid UTF-8"
    if isinstance(cause, ValueError):
        return f"the request body could not be read as JSON: {str(cause)[:200]}"
    return None


async def _http(_: Request, exc: Exception) -> JSONResponse:
    """The framework's own refusals (an unparsable body, an unknown path, a wrong method) keep
    their status and headers but answer in the same shape as every other error."""
    assert isinstance(exc, HTTPException)
    message = _unparsable(exc.__cause__) if exc.status_code == 400 else None
    return JSONResponse(
        _body(message or str(exc.detail), None), status_code=exc.status_code, headers=exc.headers
    )


async def _data(_: Request, exc: Exception) -> JSONResponse:
    """The last line for input that passed validation but that the database cannot hold (a number
    out of its range, a character it cannot store): the client's mistake, so 422, not 500."""
    assert isinstance(exc, UnstorableValue)
    return JSONResponse(
        _body("a value in the request cannot be stored or compared (out of range)", None),
        status_code=422,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(UnstorableValue, _data)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(AccessDenied, _denied)
    app.add_exception_handler(NotAuthenticated, _unauthenticated)
    app.add_exception_handler(SpinetrackError, _other)
    app.add_exception_handler(RequestValidationError, _request_invalid)
