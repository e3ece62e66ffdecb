"""What the server does besides the routes: patient data is never stored by a browser or proxy
cache, a link's secret never reaches the access log, proxy headers count only from configured
proxies, links point only at the configured public address, and slow or idle connections are cut.
"""

import logging
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.api.conftest import auth
from tests.support.apps import shared_app
from tests.support.links import issued_link
from tests.support.records import new_patient
from tests.support.served import Served
from tests.support.web_sign_in import sign_in
from tests.support.world import World, build_world

from spinetrack.config import get_settings
from spinetrack.server import RedactLinkTokens
from spinetrack.services.operations.database import Database, open_database
from spinetrack.services.records.enrol_patient import register_patient

SECRET = "crash-test-secret-key-0123456789abcdef"
"""The key `Served` gives the server; links issued here must be signed with it."""


@pytest.fixture
def browser(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def _patient(world: World) -> int:
    return register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    ).id


def test_every_answer_with_patient_data_says_no_store(browser: TestClient, world: World) -> None:
    patient = _patient(world)
    pages = [f"/patients/{patient}", "/worklist", "/chase", f"/chase/{patient}", "/consultations"]
    for path in pages:
        page = browser.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store", path
    api = TestClient(browser.app)
    for path in (f"/api/v1/patients/{patient}", "/api/v1/patients", "/api/v1/patients/99999"):
        answer = api.get(path, auth=auth("clinician"))
        assert answer.headers["cache-control"] == "no-store", path
    assert "no-store" not in browser.get("/static/css/staff.css").headers.get("cache-control", "")


def test_a_link_is_built_from_the_public_url_whatever_the_host_header_says(
    browser: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "public_url", "https://spine.example.org/")
    patient = _patient(world)
    page = browser.get(f"/chase/{patient}").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    made = browser.post(
        f"/chase/{patient}/links",
        data={"csrf_token": csrf.group(1), "instruments": "nrs_back", "valid_days": "14"},
        headers={"Host": "evil.example"},
    )
    assert made.status_code == 303, made.text[:300]
    shown = browser.get(made.headers["location"]).text
    assert "https://spine.example.org/q/" in shown
    assert "evil.example/q/" not in shown


def test_without_a_public_url_links_use_the_configured_host_and_port(
    browser: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "public_url", None)
    patient = _patient(world)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(f"/chase/{patient}").text)
    assert csrf
    made = browser.post(
        f"/chase/{patient}/links",
        data={"csrf_token": csrf.group(1), "instruments": "nrs_back", "valid_days": "14"},
        headers={"Host": "evil.example"},
    )
    shown = browser.get(made.headers["location"]).text
    settings = get_settings()
    assert f"http://{settings.host}:{settings.port}/q/" in shown
    assert "evil.example/q/" not in shown


def test_the_access_log_filter_hides_link_tokens() -> None:
    record = logging.getLogger("uvicorn.access").makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.0.1:5000", "GET", "/q/s3cr3t.t4g/step/2?x=1", "1.1", 200),
        None,
    )
    RedactLinkTokens().filter(record)
    assert record.getMessage() == '10.0.0.1:5000 - "GET /q/[link]/step/2?x=1 HTTP/1.1" 200'
    api = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 1, "%s", ("/api/v1/links/ab.c",), None
    )
    RedactLinkTokens().filter(api)
    assert api.getMessage() == "/api/v1/links/[link]"


@pytest.fixture
def served(
    sqlite_only: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Served, str, World]]:
    """A real `spinetrack serve` with a 2-second request deadline, and a link issued in it."""
    monkeypatch.setenv("SPINETRACK_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    world = build_world(sqlite_only)
    _, token = issued_link(world, ["nrs_back"])
    url = sqlite_only.engine.url.render_as_string(hide_password=False)
    server = Served(url, tmp_path)
    server.env["SPINETRACK_REQUEST_READ_SECONDS"] = "2"
    server.start()
    try:
        yield server, token, world
    finally:
        server.stop()
        get_settings.cache_clear()


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float | None:
    """Seconds until the server closed the socket (sending `trickle` a byte at a time), or None."""
    start = time.monotonic()
    sock.settimeout(0.25)
    sent = 0
    while time.monotonic() - start < seconds:
        if sent < len(trickle):
            try:
                sock.sendall(trickle[sent : sent + 1])
            except OSError:
                return time.monotonic() - start
            sent += 1
        try:
            if sock.recv(1024) == b"":
                return time.monotonic() - start
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - start
    return None


def test_the_served_app_cuts_slow_and_idle_connections_and_keeps_tokens_out_of_its_log(
    served: tuple[Served, str, World],
) -> None:
    server, token, _ = served
    idle = socket.create_connection(("127.0.0.1", server.port))
    slow = socket.create_connection(("127.0.0.1", server.port))
    try:
        trickle = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
        slow_closed = _closed_within(slow, 8, trickle)
        idle_closed = _closed_within(idle, 1)
    finally:
        idle.close()
        slow.close()
    assert slow_closed is not None and slow_closed < 6, slow_closed
    assert idle_closed is not None, "an idle connection must be closed too"
    assert httpx2.get(f"{server.base}/health").status_code == 200  # honest clients still served
    assert httpx2.get(f"{server.base}/q/{token}").status_code == 200
    time.sleep(0.5)
    log = server.log.read_text()
    assert "/q/[link]" in log
    assert token not in log and token.split(".")[0] not in log


def test_a_forwarded_for_header_from_an_untrusted_address_is_ignored(
    served: tuple[Served, str, World],
) -> None:
    server, _, world = served
    answer = httpx2.post(
        f"{server.base}/api/v1/patients",
        json={},
        headers={"X-Forwarded-For": "6.6.6.6", "Authorization": "Bearer st_forged"},
    )
    assert answer.status_code == 401
    page = httpx2.get(f"{server.base}/login", headers={"X-Forwarded-For": "6.6.6.6"})
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    httpx2.post(
        f"{server.base}/login",
        data={
            "email": "nobody@x.example",
            "password": "whatever-1234",
            "csrf_token": csrf.group(1),
        },
        headers={"X-Forwarded-For": "6.6.6.6"},
        cookies=page.cookies,
    )
    database = open_database(world.database.engine.url.render_as_string(hide_password=False))
    try:
        with database.engine.connect() as connection:
            remotes = set(
                connection.execute(
                    text("SELECT remote FROM audit_entries WHERE action = 'login'")
                ).scalars()
            )
    finally:
        database.close()
    assert "6.6.6.6" not in remotes and "127.0.0.1" in remotes
