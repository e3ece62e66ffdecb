"""An HTTP client on the whole app, bound to the test database."""

import pytest
from fastapi.testclient import TestClient
from tests.support.world import PASSWORD, World

from spinetrack.app import create_app


@pytest.fixture
def client(world: World) -> TestClient:
    return TestClient(create_app(world.database))


def auth(role: str, clinic: str = "north") -> tuple[str, str]:
    return (f"{role}@{clinic}.example", PASSWORD)
