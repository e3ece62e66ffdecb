"""Per-address login throttle: slows password guessing across many accounts from one address.

The per-account lock-out lives in the database (users.failed_logins, locked_until); this is the
in-process complement. It is per server process, which is enough to blunt guessing; a deployment
with several processes should also limit at its reverse proxy.
"""

import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 300.0
MAX_ATTEMPTS = 30


class LoginThrottle:
    def __init__(self, window: float = WINDOW_SECONDS, limit: int = MAX_ATTEMPTS) -> None:
        self._window = window
        self._limit = limit
        self._attempts: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, remote: str | None) -> bool:
        """Record an attempt from the address; False once it has made too many recently."""
        key = remote or "unknown"
        now = time.monotonic()
        with self._lock:
            attempts = self._attempts[key]
            while attempts and now - attempts[0] > self._window:
                attempts.popleft()
            attempts.append(now)
            return len(attempts) <= self._limit

    def reset(self) -> None:
        with self._lock:
            self._attempts.clear()


throttle = LoginThrottle()
