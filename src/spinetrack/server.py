"""How `spinetrack serve` runs uvicorn: deadlines for slow or idle connections, which proxies may
name the client's address, and an access log that never holds a patient link's secret.

Beside `app.py` and `hygiene.py` (outside the layers): it is about the HTTP server, not the app.
"""

import asyncio
import logging
import re
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from spinetrack.config import Settings, get_settings

MAX_HEADER_BYTES = 16 * 1024
"""Request line and headers beyond this are refused (uvicorn's h11 limit, set explicitly)."""

_SECRET_IN_PATH = re.compile(r"(/(?:api/v1/links|q)/)[^/?\s\"]+")
"""The token of a patient link, wherever it appears in a path: /q/<token>, /api/v1/links/<token>."""


def redact(text: str) -> str:
    """A path or log line with every patient-link token replaced by `[link]`."""
    return _SECRET_IN_PATH.sub(r"\1[link]", text)


class RedactLinkTokens(logging.Filter):
    """Rewrites uvicorn's access-log records so a link's token (the patient's only credential)
    is not written to log files that outlive it and are read by more people than the audit."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactLinkTokens) for f in access.filters):
        access.addFilter(RedactLinkTokens())


class DeadlineProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with one more rule: each request, head and body, must arrive
    within `SPINETRACK_REQUEST_READ_SECONDS` of the connection opening or the previous response ending.

    uvicorn's own keep-alive timer only runs between requests and restarts on every byte, so a
    client sending one byte every few seconds (or opening a socket and sending nothing) holds a
    connection for ever; enough of them exhaust the server's sockets."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        # Read here, not passed in: with several workers uvicorn starts fresh processes, which
        # read the settings from the environment again.
        seconds = get_settings().request_read_seconds
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            return  # the request is in; the application is working on it
        if not self.transport.is_closing():
            self.logger.info("closing a connection that sent no complete request in time")
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The server settings `spinetrack serve` passes to uvicorn, besides host, port and workers."""
    trusted = ",".join(a.strip() for a in settings.trusted_proxies.split(",") if a.strip())
    return {
        "http": DeadlineProtocol,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        # X-Forwarded-For/-Proto name the client only when they come from a configured proxy;
        # uvicorn would otherwise believe any process on the machine (127.0.0.1 by default).
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }
