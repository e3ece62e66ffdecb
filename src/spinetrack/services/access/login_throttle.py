"""Per-address login throttle: slows password guessing across many accounts from one address.

The per-account lock-out lives in the database (users.failed_logins, locked_until); this is its
complement per address. It counts in the `rate_windows` table like the other public doors
(`rate_limits.check_rate`), so the limit holds across server processes and restarts, and the
counts of past windows are dropped after a day, so an address is not remembered for ever.

The windows are fixed (every five minutes on the clock), not sliding: an address can get up to
twice the limit through around a window's edge, which still blunts guessing.
"""

from spinetrack.services.access.errors import TooManyRequests
from spinetrack.services.access.rate_limits import Clock, Limit, check_rate, wall_clock
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

WINDOW_SECONDS = 300
MAX_ATTEMPTS = 30
LOGIN = Limit("login", MAX_ATTEMPTS, WINDOW_SECONDS)


def login_allowed(
    sessions: UnitOfWorkFactory, remote: str | None, clock: Clock = wall_clock
) -> bool:
    """Count a sign-in attempt from the address; False once it has made too many in the window.

    Counted in its own committed transaction, so refused attempts count too."""
    try:
        check_rate(sessions, LOGIN, remote, clock)
    except TooManyRequests:
        return False
    return True
