"""Request hygiene: oversize bodies are refused, and an unexpected error shows no stack trace."""

import anyio.to_thread
import pytest
from fastapi import APIRouter, Response
from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.conftest import row_counts
from tests.support.apps import shared_app
from tests.support.world import World

from spinetrack.app import create_app
from spinetrack.config import get_settings


def test_an_oversize_body_is_413_and_stores_nothing(client: TestClient, world: World) -> None:
    before = row_counts(world.database)
    big = {"mrn": "x" * 3_000_000}
    response = client.post("/api/v1/patients", json=big, auth=auth("staff"))
    assert response.status_code == 413
    assert row_counts(world.database)["patients"] == before["patients"]


def test_a_streamed_oversize_body_without_length_is_413(client: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 100_000

    response = client.post(
        "/api/v1/triage", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_an_unexpected_error_answers_500_with_a_reference_and_no_trace(world: World) -> None:
    app = create_app(world.database)
    broken = APIRouter()

    @broken.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    app.include_router(broken)
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert "reference" in response.json()["detail"]
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_every_answer_carries_the_security_headers_even_a_refused_body(client: TestClient) -> None:
    for response in (
        client.get("/health"),
        client.post("/api/v1/patients", json={"mrn": "x" * 3_000_000}, auth=auth("staff")),
    ):
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers


def test_https_answers_also_carry_hsts(world: World) -> None:
    secure = TestClient(shared_app(world.database), base_url="https://testserver")
    assert secure.get("/health").headers["strict-transport-security"] == "max-age=31536000"


def test_a_route_that_sets_its_own_header_keeps_it(world: World) -> None:
    app = create_app(world.database)
    own = APIRouter()

    @own.get("/framed")
    def framed() -> Response:
        return Response("ok", headers={"X-Frame-Options": "SAMEORIGIN"})

    app.include_router(own)
    response = TestClient(app).get("/framed")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


def test_the_server_lets_settings_threads_do_database_work_at_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINETRACK_THREADS", "3")
    get_settings.cache_clear()
    try:
        with TestClient(create_app(world.database)) as started:
            limit = started.portal.call(_thread_limit)
    finally:
        get_settings.cache_clear()
    assert limit == 3


async def _thread_limit() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens
