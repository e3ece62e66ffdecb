"""Bulk Data $export as the Bulk Data Access IG describes it: kick-off 202 with Content-Location,
a status answer with the manifest, NDJSON files downloaded with the same token, DELETE; scoped to
the clinic, refused for what is not supported, and audited; a job expires after the configured
hours and then answers 404 like a deleted one, its files removed."""

import json
import os
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import select
from tests.api.conftest import auth
from tests.support.bundles import record_bundle
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.services.registry_io import bulk_export
from spinetrack.services.registry_io.bulk_export import purge_expired
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.storage.tables import AuditEntry

ASYNC = {"Accept": "application/fhir+json", "Prefer": "respond-async"}


@pytest.fixture(autouse=True)
def _var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()


def _load(world: World) -> None:
    import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=record_bundle("north"),
    )


def _kick_off(client: TestClient, path: str = "/api/v1/fhir/$export", **params: str) -> str:
    response = client.get(path, params=params, headers=ASYNC, auth=auth("clinician"))
    assert response.status_code == 202, response.text
    return response.headers["Content-Location"]


def test_a_system_export_runs_the_async_pattern_to_ndjson_files(
    client: TestClient, world: World
) -> None:
    _load(world)
    status = client.get(_kick_off(client), auth=auth("clinician"))
    assert status.status_code == 200
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["request"].endswith("/api/v1/fhir/$export")
    kinds = {o["type"] for o in manifest["output"]}
    assert {"Patient", "Procedure", "QuestionnaireResponse", "Questionnaire"} <= kinds
    for output in manifest["output"]:
        assert client.get(output["url"]).status_code == 401  # the token is required
        file = client.get(output["url"], auth=auth("staff"))
        assert file.headers["content-type"].startswith("application/fhir+ndjson")
        lines = file.text.splitlines()
        assert len(lines) == output["count"]
        model = get_fhir_model_class(output["type"])
        for line in lines:
            model.model_validate_json(line)


def test_a_patient_export_takes_only_the_types_asked_for(client: TestClient, world: World) -> None:
    _load(world)
    location = _kick_off(client, "/api/v1/fhir/Patient/$export", _type="Patient,Procedure")
    manifest = client.get(location, auth=auth("clinician")).json()
    assert [o["type"] for o in manifest["output"]] == ["Patient", "Procedure"]
    patient = json.loads(client.get(manifest["output"][0]["url"], auth=auth("admin")).text)
    assert patient["resourceType"] == "Patient"


def test_another_clinic_and_the_analyst_see_no_job(client: TestClient, world: World) -> None:
    _load(world)
    location = _kick_off(client)
    assert client.get(location, auth=auth("clinician", "south")).status_code == 404
    assert client.get("/api/v1/fhir/$export", auth=auth("analyst")).status_code == 403


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"_since": "2026-01-01T00:00:00Z"}, ASYNC),
        ({"_outputFormat": "text/csv"}, ASYNC),
        ({"_type": "Encounter"}, ASYNC),
        ({}, {"Prefer": "return=representation"}),
        ({}, {"Accept": "text/html"}),
    ],
)
def test_what_is_not_supported_is_refused_with_an_operation_outcome(
    client: TestClient, world: World, params: dict[str, str], headers: dict[str, str]
) -> None:
    response = client.get(
        "/api/v1/fhir/$export", params=params, headers=headers, auth=auth("clinician")
    )
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_export_and_its_downloads_are_audited_and_delete_removes_it(
    client: TestClient, world: World
) -> None:
    _load(world)
    location = _kick_off(client)
    url = client.get(location, auth=auth("clinician")).json()["output"][0]["url"]
    client.get(url, auth=auth("clinician"))
    assert client.delete(location, auth=auth("clinician")).status_code == 202
    assert client.get(location, auth=auth("clinician")).status_code == 404
    with world.database.sessions.sessionmaker() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"fhir.bulk_export", "fhir.bulk_export.download", "fhir.bulk_export.delete"} <= actions


def test_the_smart_configuration_offers_nothing_it_does_not_have(client: TestClient) -> None:
    config = client.get("/api/v1/fhir/.well-known/smart-configuration").json()
    assert config["capabilities"] == [] and "token_endpoint" not in config
    metadata = client.get("/api/v1/fhir/metadata").json()
    assert {
        "name": "export",
        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
    } in metadata["rest"][0]["operation"]


def _job_folder(location: str) -> Path:
    return get_settings().var_dir / "bulk_export" / location.rstrip("/").rsplit("/", 1)[1]


def _age(location: str, hours: int) -> None:
    """Move a job's expiry `hours` into the past, as if that long had gone by."""
    manifest_path = _job_folder(location) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    expires = datetime.fromisoformat(manifest["expires"]) - timedelta(hours=hours)
    manifest["expires"] = expires.isoformat()
    manifest_path.write_text(json.dumps(manifest))


def test_a_job_expires_after_the_configured_hours_and_then_answers_404(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINETRACK_BULK_EXPORT_HOURS", "2")
    get_settings.cache_clear()
    _load(world)
    location = _kick_off(client)
    status = client.get(location, auth=auth("clinician"))
    assert status.status_code == 200
    manifest = json.loads((_job_folder(location) / "manifest.json").read_text())
    made = datetime.fromisoformat(manifest["transactionTime"])
    assert datetime.fromisoformat(manifest["expires"]) - made == timedelta(hours=2)
    assert parsedate_to_datetime(status.headers["Expires"]) == made + timedelta(hours=2)
    file_url = status.json()["output"][0]["url"]
    _age(location, hours=3)
    gone = client.get(location, auth=auth("clinician"))
    assert gone.status_code == 404
    assert gone.json()["resourceType"] == "OperationOutcome"
    assert client.get(file_url, auth=auth("clinician")).status_code == 404
    assert not _job_folder(location).exists()


def test_a_kick_off_and_the_purge_command_remove_expired_jobs_only(
    client: TestClient, world: World
) -> None:
    _load(world)
    old, kept = _kick_off(client), _kick_off(client)
    _age(old, hours=48)
    assert purge_expired(get_settings().var_dir / "bulk_export") == [_job_folder(old).name]
    assert not _job_folder(old).exists() and _job_folder(kept).exists()
    _age(kept, hours=48)
    newest = _kick_off(client)
    assert not _job_folder(kept).exists() and _job_folder(newest).exists()
    assert client.get(newest, auth=auth("clinician")).status_code == 200


def test_a_purge_while_another_job_is_being_written_leaves_that_job_whole(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two kick-offs at once: the second purges while the first is still writing its files (the
    schema fuzzing on two workers met this as a 500, the first job's folder removed under it)."""
    _load(world)
    folder = get_settings().var_dir / "bulk_export"
    real_write = bulk_export._write_private
    purged: list[list[str]] = []

    def write_then_purge(path: Path, text: str) -> None:
        real_write(path, text)
        purged.append(purge_expired(folder))

    monkeypatch.setattr(bulk_export, "_write_private", write_then_purge)
    location = _kick_off(client)
    monkeypatch.setattr(bulk_export, "_write_private", real_write)
    assert purged and all(names == [] for names in purged)
    status = client.get(location, auth=auth("clinician"))
    assert status.status_code == 200
    for output in status.json()["output"]:
        assert client.get(output["url"], auth=auth("clinician")).status_code == 200


def test_a_job_whose_writer_died_is_removed_once_it_is_old(client: TestClient) -> None:
    folder = get_settings().var_dir / "bulk_export"
    fresh, stale = folder / f".{'a' * 32}.partial", folder / f".{'b' * 32}.partial"
    for where in (fresh, stale):
        where.mkdir(parents=True)
        (where / "Patient.ndjson").write_text("{}\n")
    hours_ago = (datetime.now() - bulk_export.PARTIAL_GRACE - timedelta(minutes=5)).timestamp()
    os.utime(stale, (hours_ago, hours_ago))
    assert purge_expired(folder) == [stale.name]
    assert fresh.is_dir() and not stale.exists()
