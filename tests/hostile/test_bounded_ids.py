"""Ids no row can have: pages answer them with an HTML "not found" (never 500, never the API's
JSON), nothing reaches the database or the audit, and a backup holding such a value is refused
by `restore` with a message rather than a traceback."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from tests.conftest import POSTGRES_URL
from tests.support.apps import shared_app
from tests.support.web_sign_in import sign_in
from tests.support.world import World, build_world
from typer.testing import CliRunner

from spinetrack.cli.main import app as cli
from spinetrack.config import get_settings
from spinetrack.services.operations.backup import backup
from spinetrack.services.operations.database import Database, open_database
from spinetrack.storage.tables import AuditEntry

HUGE = ["0", "2147483648", str(2**63), str(2**64 + 7), "-1"]
PAGES = [
    "/patients/{id}",
    "/patients/{id}/letter",
    "/patients/{id}/surgeries/new",
    "/patients/{id}/responses/new",
    "/patients/{id}/complications/new",
    "/chase/{id}",
    "/chase/{id}/paper/odi",
    "/consultations/{id}",
    "/worklist?clinic={id}",
    "/consultations?clinic={id}",
    "/analytics?clinic={id}",
]
POSTS = [
    "/patients/{id}/assessments/1/conclusion",
    "/patients/1/assessments/{id}/conclusion",
    "/chase/{id}/contacts",
    "/consultations/{id}/status",
    "/consultations/{id}/convert",
    "/account/tokens/{id}/revoke",
]


@pytest.fixture
def browser(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def _audit_rows(world: World) -> int:
    with world.database.sessions.sessionmaker() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_pages_answer_ids_out_of_range_with_an_html_page(browser: TestClient, world: World) -> None:
    before = _audit_rows(world)
    for template in PAGES:
        for value in HUGE:
            page = browser.get(template.format(id=value))
            assert page.status_code in (404, 422), (template, value, page.status_code)
            assert page.headers["content-type"].startswith("text/html"), (template, value)
            if "?" not in template:
                assert page.status_code == 404, (template, value)
    assert _audit_rows(world) == before


def test_forms_posted_to_ids_out_of_range_are_refused_before_any_work(
    browser: TestClient, world: World
) -> None:
    before = _audit_rows(world)
    for template in POSTS:
        path = template.format(id=HUGE[2])
        page = browser.post(path, data={"csrf_token": "x"})
        assert page.status_code in (400, 404), (path, page.status_code, page.text[:200])
        assert page.headers["content-type"].startswith("text/html"), path
    assert _audit_rows(world) == before


def test_the_api_still_answers_its_own_json(world: World) -> None:
    client = TestClient(shared_app(world.database))
    answer = client.get(f"/api/v1/patients/{2**63}")
    assert answer.status_code in (401, 422)
    assert answer.headers["content-type"] == "application/json"


SCRATCH = "spinetrack_restore_refusal_h22"


@pytest.mark.postgres
def test_restore_refuses_a_value_postgresql_cannot_hold_with_a_message(
    sqlite_only: Database,
    postgres_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_world(sqlite_only)
    with sqlite_only.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET patient_id = 2147483648 WHERE id = 1"))
    file = tmp_path / "huge.jsonl.gz"
    backup(sqlite_only, file)
    admin = postgres_database.engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {SCRATCH}"))
    target = POSTGRES_URL.rsplit("/", 1)[0] + f"/{SCRATCH}"
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", target)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["restore", str(file)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2, result.output
    assert "cannot be restored into this database" in result.stderr
    assert "nothing was restored" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    restored = open_database(target)
    try:
        with restored.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM audit_entries")).scalar() == 0
    finally:
        restored.close()
