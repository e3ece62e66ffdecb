"""`spinetrack export --deidentify` refuses without a key (never inventing one), and `spinetrack
import fhir` with `spinetrack fhir add-mrn-system` imports a hospital's Bundle, listing the skipped
resources and writing the whole report; `spinetrack fhir map-observation`, `mappings`,
`set-npi` and `purge-exports` set, list and check what they are given."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.support.outside_bundles import HOSPITAL_MRN_SYSTEM, hospital_bundle
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.access.accounts import create_clinic, create_user
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database

runner = CliRunner()


def _clinic(url: str) -> None:
    database = open_database(url)
    database.upgrade()
    create_clinic(sessions=database.sessions, actor=system_actor("test"), slug="west", name="W")
    database.close()


def test_deidentify_refuses_without_a_key_and_creates_none(
    cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clinic(cli_database)
    var = tmp_path / "var"
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(var))
    monkeypatch.delenv("SPINETRACK_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    out = tmp_path / "export.json"
    args = ["export", "--format", "fhir", "--clinic", "west", "--out", str(out), "--deidentify"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "SPINETRACK_SECRET_KEY" in refused.output
    assert not out.exists() and not (var / "secret_key").exists()
    monkeypatch.setenv("SPINETRACK_SECRET_KEY", "a key for this test")
    get_settings.cache_clear()
    assert runner.invoke(app, args).exit_code == 0 and out.exists()


def test_import_fhir_with_a_configured_mrn_system_reports_what_it_skipped(
    cli_database: str, tmp_path: Path
) -> None:
    _clinic(cli_database)
    bundle = tmp_path / "hospital.json"
    bundle.write_bytes(hospital_bundle(extra=[{"resourceType": "Foo"}]))
    refused = runner.invoke(app, ["import", "fhir", str(bundle), "--clinic", "west"])
    assert refused.exit_code == 2 and "MRN systems" in refused.output
    added = runner.invoke(app, ["fhir", "add-mrn-system", HOSPITAL_MRN_SYSTEM, "--clinic", "west"])
    assert added.exit_code == 0
    listed = runner.invoke(app, ["fhir", "mrn-systems", "--clinic", "west"])
    assert HOSPITAL_MRN_SYSTEM in listed.output
    report = tmp_path / "report.json"
    args = ["import", "fhir", str(bundle), "--clinic", "west", "--report", str(report)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "responses: 2 new" in done.output and "skipped Foo" in done.output
    written = json.loads(report.read_text())
    assert written["created"]["surgeries"] == 1
    assert {n["resource"].split(" ")[0] for n in written["skipped"]} >= {"Foo", "Location"}


def test_observation_mappings_and_npis_are_set_listed_and_checked(cli_database: str) -> None:
    _clinic(cli_database)
    database = open_database(cli_database)
    with database.sessions() as uow:
        found = uow.clinics.by_slug("west")
        assert found is not None
        clinic_id = found.id
    create_user(
        sessions=database.sessions,
        actor=system_actor("test"),
        email="surgeon@west.example",
        full_name="A Surgeon",
        password="a long enough password 1",
        clinic_id=clinic_id,
        role="clinician",
    )
    database.close()
    local = "urn:oid:1.2.3.4|PAIN-LEG"
    mapped = runner.invoke(
        app, ["fhir", "map-observation", local, "--clinic", "west", "--to", "nrs_leg"]
    )
    assert mapped.exit_code == 0, mapped.output
    wrong = runner.invoke(
        app, ["fhir", "map-observation", local, "--clinic", "west", "--to", "weight"]
    )
    assert wrong.exit_code == 2 and "expected one of" in wrong.output
    no_bar = runner.invoke(
        app, ["fhir", "map-observation", "PAIN", "--clinic", "west", "--to", "bmi"]
    )
    assert no_bar.exit_code != 0 and "SYSTEM|CODE" in no_bar.output
    listed = runner.invoke(app, ["fhir", "mappings", "--clinic", "west"])
    assert "observation urn:oid:1.2.3.4|PAIN-LEG -> nrs_leg" in listed.output
    assert (
        runner.invoke(app, ["fhir", "unmap-observation", local, "--clinic", "west"]).exit_code == 0
    )
    assert "PAIN-LEG" not in runner.invoke(app, ["fhir", "mappings", "--clinic", "west"]).output
    npi = ["fhir", "set-npi", "surgeon@west.example"]
    assert runner.invoke(app, [*npi, "1234567890", "--clinic", "west"]).exit_code == 2
    assert runner.invoke(app, [*npi, "1234567893", "--clinic", "west"]).exit_code == 0


def test_purge_exports_removes_expired_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    folder = tmp_path / "bulk_export"
    for job, hours in (("a" * 32, -1), ("b" * 32, 5)):
        (folder / job).mkdir(parents=True)
        expires = datetime.now(UTC) + timedelta(hours=hours)
        manifest = {"transactionTime": "2026-01-01T00:00:00+00:00", "expires": expires.isoformat()}
        (folder / job / "manifest.json").write_text(json.dumps(manifest))
    done = runner.invoke(app, ["fhir", "purge-exports"])
    assert done.exit_code == 0 and "removed 1 expired" in done.output
    assert sorted(p.name for p in folder.iterdir()) == ["b" * 32]
