"""Domain errors become JSON responses, in one place: {"detail": ..., "field": ...}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from spinetrack.domain.errors import InvalidInput, NotFound, SpinetrackError
from spinetrack.services.errors import AccessDenied, NotAuthenticated


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


async def _request_invalid(_: Request, exc: Exception) -> JSONResponse:
    """FastAPI's own validation errors, reduced to the first field and a readable message."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
    field = ".".join(loc) or None
    message = f"{field}: {first.get('msg')}" if field else str(first.get("msg"))
    return JSONResponse({**_body(message, field), "errors": len(errors)}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(InvalidInput, _invalid)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(AccessDenied, _denied)
    app.add_exception_handler(NotAuthenticated, _unauthenticated)
    app.add_exception_handler(SpinetrackError, _other)
    app.add_exception_handler(RequestValidationError, _request_invalid)
