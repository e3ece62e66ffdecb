"""Limits on the doors anyone can use without signing in (the consultation form, patient links):
each address may make so many requests per window, counted in the database so that the limit holds
across server processes and restarts.

A refused request stores nothing and writes no audit entry: a flood must not be able to fill the
inbox or the audit trail. The counts themselves are kept for a day, then dropped.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from spinetrack.config import get_settings
from spinetrack.services.access.errors import TooManyRequests
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

KEEP_SECONDS = 24 * 3600

Clock = Callable[[], float]
"""Seconds since the epoch; a parameter so tests move time instead of waiting."""


def wall_clock() -> float:
    return time.time()


@dataclass(frozen=True)
class Limit:
    scope: str
    requests: int
    window_seconds: int


def consultation_limit() -> Limit:
    return Limit("consultation", get_settings().consultations_per_hour, 3600)


def link_limit() -> Limit:
    return Limit("link", get_settings().link_requests_per_minute, 60)


def check_rate(
    sessions: UnitOfWorkFactory,
    limit: Limit,
    address: str | None,
    clock: Clock = wall_clock,
) -> None:
    """Count a request from `address`; TooManyRequests once it is over the limit.

    Its own short transaction, committed whether or not the request then succeeds, so that
    refused requests count too."""
    now = int(clock())
    window = now - now % limit.window_seconds
    with sessions() as uow:
        hits = uow.rates.hit(limit.scope, (address or "unknown")[:64], window)
        if hits == 1:  # the first request of a new window clears out old ones
            uow.rates.forget_before(limit.scope, now - KEEP_SECONDS)
        uow.commit()
    if hits > limit.requests:
        raise TooManyRequests(
            "too many requests from your address; please wait a little and try again",
            retry_after=window + limit.window_seconds - now,
        )
