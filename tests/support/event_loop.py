"""One event loop per test for the TestClients used without `with`.

Starlette's TestClient, used without `with`, starts an event loop in a new thread for every
request and stops it after: about 1.3 ms of CPU a request (measured on /login), over the few
thousand requests of the API, page and hostile tests. `with` shares one loop but also runs the
app's start-up, which the tests on the shared app (`tests/support/apps.py`) leave out on purpose.
Here such a client sends its requests through one loop per test instead, started at the test's
first request and stopped when the test ends, as a served app runs every request on one loop.
A client used with `with` keeps the loop it started itself.
"""

import contextlib
import threading
from collections.abc import Generator, Iterator

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.testclient import TestClient


class _TestLoop:
    """The running test's loop, if a request has started it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stack: contextlib.ExitStack | None = None
        self.portal: BlockingPortal | None = None

    def get(self) -> BlockingPortal | None:
        """The test's loop (started on first use), or None outside a test."""
        with self.lock:
            if self.stack is None:
                return None
            if self.portal is None:
                self.portal = self.stack.enter_context(start_blocking_portal())
            return self.portal


_LOOP = _TestLoop()
_own_portal_factory = TestClient._portal_factory


@contextlib.contextmanager
def _test_loop_portal(self: TestClient) -> Generator[BlockingPortal, None, None]:
    portal = None if self.portal is not None else _LOOP.get()
    if portal is None:
        with _own_portal_factory(self) as own:
            yield own
    else:
        yield portal


TestClient._portal_factory = _test_loop_portal  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def one_event_loop_per_test() -> Iterator[None]:
    """Open the test's loop slot, and stop the loop after the test if a request started it."""
    with contextlib.ExitStack() as stack:
        with _LOOP.lock:
            _LOOP.stack, _LOOP.portal = stack, None
        try:
            yield
        finally:
            with _LOOP.lock:
                _LOOP.stack, _LOOP.portal = None, None
