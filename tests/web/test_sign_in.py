"""Signing in through the browser: CSRF on every form, session cookies, lock-out, sign-out."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.world import PASSWORD, World


@pytest.fixture
def browser(world: World) -> TestClient:
    return TestClient(shared_app(world.database), follow_redirects=False)


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _sign_in(browser: TestClient, email: str = "clinician@north.example", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    form = browser.get("/login")
    return browser.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": _csrf(form.text),
            "next": "/account",
        },
    )


def test_signing_in_sets_a_hardened_session_cookie_and_opens_the_account(
    browser: TestClient,
) -> None:
    response = _sign_in(browser)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"]
    assert "spinetrack_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    account = browser.get("/account")
    assert account.status_code == 200 and "clinician@north.example" in account.text


def test_a_login_post_without_the_forms_token_is_refused(browser: TestClient) -> None:
    browser.get("/login")
    response = browser.post(
        "/login", data={"email": "clinician@north.example", "password": PASSWORD}
    )
    assert response.status_code == 400
    forged = browser.post(
        "/login",
        data={"email": "clinician@north.example", "password": PASSWORD, "csrf_token": "guess"},
    )
    assert forged.status_code == 400


def test_a_wrong_password_shows_the_form_again_without_saying_which_part_was_wrong(
    browser: TestClient,
) -> None:
    response = _sign_in(browser, password="nope-nope-123")
    assert response.status_code == 401
    assert "wrong e-mail or password" in response.text
    assert 'value="clinician@north.example"' in response.text


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(browser: TestClient) -> None:
    response = browser.get("/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


def test_signing_out_ends_the_session(browser: TestClient) -> None:
    _sign_in(browser)
    page = browser.get("/account")
    out = browser.post("/logout", data={"csrf_token": _csrf(page.text)})
    assert out.status_code == 303
    assert browser.get("/account").status_code == 303


def test_sign_out_needs_the_sessions_token(browser: TestClient) -> None:
    _sign_in(browser)
    assert browser.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert browser.get("/account").status_code == 200


def test_a_token_created_in_the_account_page_works_on_the_api_and_can_be_revoked(
    browser: TestClient,
) -> None:
    _sign_in(browser)
    page = browser.post(
        "/account/tokens",
        data={"name": "my script", "csrf_token": _csrf(browser.get("/account").text)},
    )
    token = re.search(r'value="(st_[^"]+)"', page.text)
    assert token
    api = TestClient(browser.app)
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert api.get("/api/v1/patients", headers=headers).status_code == 200
    newest = re.findall(r"/account/tokens/(\d+)/revoke", page.text)[-1]
    browser.post(f"/account/tokens/{newest}/revoke", data={"csrf_token": _csrf(page.text)})
    assert api.get("/api/v1/patients", headers=headers).status_code == 401


def test_the_session_cookie_works_on_the_api_but_writes_need_the_csrf_header(
    browser: TestClient,
) -> None:
    _sign_in(browser)
    csrf = _csrf(browser.get("/account").text)
    assert browser.get("/api/v1/patients").status_code == 200
    body = {
        "mrn": "W1",
        "given_name": "A",
        "family_name": "B",
        "birth_date": "1970-01-01",
        "sex": "female",
    }
    assert browser.post("/api/v1/patients", json=body).status_code == 401
    assert (
        browser.post("/api/v1/patients", json=body, headers={"X-CSRF-Token": csrf}).status_code
        == 201
    )


def test_changing_the_password_from_the_account_page(browser: TestClient) -> None:
    _sign_in(browser)
    csrf = _csrf(browser.get("/account").text)
    mismatch = browser.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "new_password": "another-one-22",
            "repeat_password": "typo",
        },
    )
    assert mismatch.status_code == 422 and "differ" in mismatch.text
    done = browser.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "new_password": "another-one-22",
            "repeat_password": "another-one-22",
        },
    )
    assert done.status_code == 303
    assert _sign_in(browser, password="another-one-22").status_code == 303


def test_every_page_and_api_answer_carries_the_security_headers(browser: TestClient) -> None:
    for path in ("/", "/login", "/api/v1/openapi.json", "/api/v1/docs", "/health"):
        headers = browser.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in browser.get("/api/v1/docs").text


def test_the_login_form_does_not_redirect_off_site(browser: TestClient) -> None:
    form = browser.get("/login")
    response = browser.post(
        "/login",
        data={
            "email": "clinician@north.example",
            "password": PASSWORD,
            "csrf_token": _csrf(form.text),
            "next": "//evil.example/x",
        },
    )
    assert response.headers["location"] == "/"
