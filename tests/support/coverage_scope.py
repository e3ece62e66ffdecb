"""Branch coverage of `spinetrack.domain` is measured while the domain's own tests run, and only then.

`make test` holds the clinical core to a coverage floor (pyproject.toml). The house style tests
the core where it lives, in tests/domain and tests/knowledge, and those tests alone cover it far
above the floor. Tracing every other test as well bought nothing for the floor but cost a great
deal: the tracer sees every Python call, so the schema fuzzing (hypothesis) and the web and
database tests ran up to 1.7 times as slow under it. Coverage is therefore paused for the whole
protocol (set-up, call and tear-down) of any test outside those two folders.

The controller of xdist workers collects and runs no test; its tracer is paused while the
workers run (it has traced the root conftest.py's imports by then, which is what its data adds),
instead of seeing every call of its loop over the workers' thousands of reports.
"""

from collections.abc import Iterator
from pathlib import Path

import coverage
import pytest

TESTS = Path(__file__).resolve().parent.parent
MEASURED = (TESTS / "domain", TESTS / "knowledge")
"""The folders whose tests count towards the domain's coverage."""


def measures_the_domain(path: Path) -> bool:
    """Whether a test file lies in one of the folders that count towards the floor."""
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder) for folder in MEASURED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    tracer = coverage.Coverage.current()
    if tracer is None or measures_the_domain(item.path):
        yield
        return
    tracer.stop()
    try:
        yield
    finally:
        tracer.start()


def _is_xdist_controller(config: pytest.Config) -> bool:
    return config.pluginmanager.hasplugin("dsession")


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtestloop(session: pytest.Session) -> Iterator[object]:
    """Innermost, so that the tracer runs again before pytest-cov's wrapper stops and saves it."""
    tracer = coverage.Coverage.current()
    if tracer is None or not _is_xdist_controller(session.config):
        return (yield)
    tracer.stop()
    try:
        return (yield)
    finally:
        tracer.start()
