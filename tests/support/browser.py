"""One headless Chromium for the whole test session, shared by the end-to-end tests and the
LHC-Forms interoperability check. Under pytest-xdist each worker is its own session, so each
worker starts one Chromium (only if it runs a browser test).

Playwright's sync API refuses to start while another sync session is running in the same process,
so there must be exactly one: these fixtures are session-scoped and registered in the root conftest.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing; install Debian's chromium package (`make test` checks, .ci/run installs it)"
        )
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()
