"""Expired and forged patient links through the API, and unusable import files through the command
line: a clear 404 or exit status 2 with the reason, and the data exactly as it was."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api.conftest import auth
from tests.support.bundles import bundle, odi, patient, surgery
from tests.support.csv_tables import PATIENTS, RESPONSES
from tests.support.hostile import unchanged
from tests.support.seeded import seed
from tests.support.world import World
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.storage.tables import PatientLink

ANSWER = {"responses": [{"nrs_back": 4}]}


def _refused_everywhere(client: TestClient, token: str) -> None:
    for response in (
        client.get(f"/api/v1/links/{token}"),
        client.post(f"/api/v1/links/{token}/responses", json=ANSWER),
    ):
        assert response.status_code == 404, (token, response.text)
        assert "link" in response.json()["detail"]


def test_forged_and_altered_links_are_404_and_change_nothing(
    client: TestClient, world: World
) -> None:
    token = seed(world).link_token
    secret, _, tag = token.rpartition(".")
    with unchanged(world.database):
        for forged in (
            f"{secret}.{tag[::-1]}",
            f"{secret[::-1]}.{tag}",
            f"{secret}x.{tag}",
            secret,
            f".{tag}",
            "st_made-up.0123456789abcdef",
            "a" * 2000,
        ):
            _refused_everywhere(client, forged)
    assert client.get(f"/api/v1/links/{token}").status_code == 200


def test_expired_withdrawn_and_used_links_are_404_and_change_nothing(
    client: TestClient, world: World
) -> None:
    seeded = seed(world)
    expired = seed(world, mrn="SEED-2")
    with world.database.engine.begin() as connection:
        connection.execute(
            update(PatientLink)
            .where(PatientLink.id == expired.link)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    withdrawn = seed(world, mrn="SEED-3")
    path = f"/api/v1/patients/{withdrawn.patient}/links/{withdrawn.link}"
    assert client.delete(path, auth=auth("staff")).status_code == 204
    used = client.post(f"/api/v1/links/{seeded.link_token}/responses", json=ANSWER)
    assert used.status_code == 201, used.text
    with unchanged(world.database):
        for token in (expired.link_token, withdrawn.link_token, seeded.link_token):
            _refused_everywhere(client, token)


@pytest.fixture
def cli(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The command line pointed at the world's database (SQLite or PostgreSQL)."""
    url = world.database.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


CSV_FILES: dict[str, tuple[bytes, str, str]] = {
    "semicolons": (PATIENTS.replace(",", ";").encode(), "patients", "separated by commas"),
    "tabs": (PATIENTS.replace(",", "\t").encode(), "patients", "separated by commas"),
    "latin-1": (PATIENTS.replace("Ines", "Inès").encode("latin-1"), "patients", "UTF-8"),
    "UTF-16": (PATIENTS.encode("utf-16"), "patients", "UTF-8"),
    "a NUL byte": (PATIENTS.replace("Berg", "Be\x00rg").encode(), "patients", ""),
    "binary": (bytes(range(256)) * 4, "patients", ""),
    "responses of unknown patients": (RESPONSES.encode(), "responses", ""),
}


@pytest.mark.parametrize("kind", sorted(CSV_FILES))
def test_unusable_csv_files_exit_2_with_the_reason_and_import_nothing(
    cli: CliRunner, world: World, tmp_path: Path, kind: str
) -> None:
    data, what, reason = CSV_FILES[kind]
    source = tmp_path / "input.csv"
    source.write_bytes(data)
    with unchanged(world.database):
        result = cli.invoke(
            app, ["import", "csv", str(source), "--kind", what, "--clinic", "north"]
        )
    assert result.exit_code == 2, result.output
    assert "error" in result.output.lower()
    assert reason in result.output


def _orphan_response() -> bytes:
    return bundle(to_patient(patient(), clinic="north"), to_response(odi(mrn="N-9999")))


def _orphan_procedure() -> bytes:
    return bundle(to_procedure(surgery(mrn="N-4242"), today=datetime.now(UTC).date()))


FHIR_FILES: dict[str, bytes] = {
    "a response whose patient is not in the Bundle": _orphan_response(),
    "a procedure whose patient is not in the Bundle": _orphan_procedure(),
    "not JSON": b"<Bundle/>",
    "JSON but not a Bundle": b'{"resourceType": "Patient"}',
    "a truncated Bundle": _orphan_response()[:-40],
}


@pytest.mark.parametrize("kind", sorted(FHIR_FILES))
def test_fhir_bundles_with_broken_references_exit_2_and_import_nothing(
    cli: CliRunner, world: World, tmp_path: Path, kind: str
) -> None:
    source = tmp_path / "bundle.json"
    source.write_bytes(FHIR_FILES[kind])
    with unchanged(world.database):
        result = cli.invoke(app, ["import", "fhir", str(source), "--clinic", "north"])
    assert result.exit_code == 2, result.output
    assert "error" in result.output.lower()
