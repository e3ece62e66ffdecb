"""Request hygiene: oversize bodies are refused, and an unexpected error shows no stack trace."""

from fastapi import APIRouter
from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.conftest import row_counts
from tests.support.world import World

from spinetrack.app import create_app


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
