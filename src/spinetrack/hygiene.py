"""What every response gets, page or API: security headers, a body-size limit, and no stack traces.

Installed by the composition root (app.py), so no route can forget it.
"""

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinetrack.services.access.errors import TooManyRequests

log = logging.getLogger("spinetrack")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class BodySizeLimit:
    """Refuse bodies over the limit with 413, whether or not the client declared their length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(self.limit)(scope, receive, send)
            return
        if declared is not None or scope.get("method") in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit first, then replay it to the app.
        chunks, seen, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            more = message.get("more_body", False)
            if seen > self.limit:
                await _too_large(self.limit)(scope, receive, send)
                return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the request body is larger than {limit} bytes", "field": None},
        status_code=413,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
    body = {"detail": f"internal error; reference {reference}", "field": None}
    return JSONResponse(body, status_code=500, headers=HEADERS)


class SecurityHeaders:
    """Add the headers above to every response that does not set its own.

    A plain ASGI middleware, not `@app.middleware("http")`: that form wraps every request and
    response body in extra tasks and queues, which cost more than many of our endpoints."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _RAW_HTTPS_HEADERS if scope.get("scheme") == "https" else _RAW_HEADERS
        if not scope.get("path", "").startswith(CACHEABLE):
            extra = (*extra, _NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


CACHEABLE = ("/static/",)
"""The only paths a browser or proxy may keep a copy of. Everything else may carry patient data
(pages, API answers, exports, errors that quote input), so it is `no-store` unless the route
chose its own Cache-Control: a shared computer's back button or a proxy cache must not keep it."""
_NO_STORE = (b"cache-control", b"no-store")
_RAW_HEADERS = tuple((name.lower().encode(), value.encode()) for name, value in HEADERS.items())
_RAW_HTTPS_HEADERS = (*_RAW_HEADERS, (b"strict-transport-security", b"max-age=31536000"))


async def _too_many(request: Request, exc: Exception) -> Response:
    """429 for an anonymous door used too often: JSON for the API, a short page for people."""
    assert isinstance(exc, TooManyRequests)
    headers = {**HEADERS, "Retry-After": str(exc.retry_after), "Cache-Control": "no-store"}
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {"detail": exc.message, "field": None}, status_code=429, headers=headers
        )
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Please wait</title>"
        "<h1>Please wait a moment</h1><p>We received too many requests from your connection. "
        f"Please try again in {exc.retry_after} seconds.</p></html>"
    )
    return HTMLResponse(body, status_code=429, headers=headers)


def install(app: FastAPI, max_body_bytes: int) -> None:
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(TooManyRequests, _too_many)
    app.add_middleware(BodySizeLimit, limit=max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: a refused oversize body gets them too
