"""End-to-end fixtures: the real app served over HTTP on a free port, driven by headless Chromium.

The server runs in a thread of the test process (uvicorn), bound to the SQLite test database, so a
test can arrange data through services and then act as a user would in the browser. Screenshots go
to `test-artifacts/screenshots/` (kept out of git) for people to look at after a run.
"""

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page
from tests.support.apps import shared_app
from tests.support.snapshot import saved_world
from tests.support.world import PASSWORD, World

from spinetrack.services.operations.database import Database

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

PHONE = {"width": 390, "height": 844}
"""A common phone viewport (CSS pixels)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    world: World

    @property
    def database(self) -> Database:
        return self.world.database


@pytest.fixture
def live_server(sqlite_only: Database) -> Iterator[LiveServer]:
    """The whole app on http://127.0.0.1:<port>, over the test world (clinics north and south);
    the app is this worker's shared one (`shared_app`), served by a new server each test."""
    world = saved_world(sqlite_only)
    port = free_port()
    config = uvicorn.Config(
        shared_app(sqlite_only), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", world=world)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) at a desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh context the size of a phone, with touch, as a patient would use it."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, server: LiveServer, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
