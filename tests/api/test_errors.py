"""The error edge: whatever slips past validation into the database as an unstorable value is the
client's 422, never a 500; framework refusals answer in the same {"detail", "field"} shape."""

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError
from tests.support.apps import shared_app
from tests.support.world import World

from spinetrack.app import create_app


def test_a_value_the_database_cannot_hold_is_a_422(world: World) -> None:
    app = create_app(world.database)
    probe = APIRouter()

    @probe.get("/out-of-range")
    def out_of_range() -> None:
        raise DataError("SELECT 1", {}, ValueError("integer out of range"))

    app.include_router(probe)
    response = TestClient(app, raise_server_exceptions=False).get("/out-of-range")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "a value in the request cannot be stored or compared (out of range)",
        "field": None,
    }


def test_an_unknown_path_and_a_wrong_method_answer_in_the_error_shape(world: World) -> None:
    client = TestClient(shared_app(world.database))
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found", "field": None}
    wrong = client.delete("/api/v1/triage")
    assert wrong.status_code == 405 and wrong.json()["field"] is None
    assert "POST" in wrong.headers["allow"]
