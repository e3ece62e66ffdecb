"""An HTTP client on the whole app, bound to the test database."""

from collections.abc import Generator

import httpx2
import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.world import TOKENS, World


@pytest.fixture
def client(world: World) -> TestClient:
    return TestClient(shared_app(world.database))


class Bearer(httpx2.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(
        self, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def auth(role: str, clinic: str = "north") -> Bearer:
    """Sign requests with the API token of the world's user of that role and clinic."""
    return Bearer(TOKENS[f"{role}@{clinic}.example"])
