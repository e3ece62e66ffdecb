"""Signing in through the web form, as a browser would, for page tests."""

import re

from fastapi.testclient import TestClient
from tests.support.world import PASSWORD


def sign_in(client: TestClient, email: str) -> str:
    """Sign in through the form; returns where the login sent the browser."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    sent = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert sent.status_code == 303
    return str(sent.headers["location"])
