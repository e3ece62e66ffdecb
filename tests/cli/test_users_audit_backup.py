"""Administration from the command line: accounts, the audit check, backup and restore."""

import gzip
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.conftest import row_counts
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.operations.database import open_database

runner = CliRunner()


@pytest.fixture
def loaded(cli_database: str) -> str:
    result = runner.invoke(app, ["demo", "--patients", "15", "--seed", "4"])
    assert result.exit_code == 0, result.output
    return cli_database


def test_users_are_created_listed_reset_and_disabled(loaded: str) -> None:
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "New.Nurse@demo.example",
            "--name",
            "New Nurse",
            "--clinic",
            "demo",
            "--role",
            "staff",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "initial password (shown once):" in created.stdout
    listing = runner.invoke(app, ["users", "list", "--clinic", "demo"])
    assert "new.nurse@demo.example" in listing.stdout and "staff" in listing.stdout
    assert runner.invoke(app, ["users", "reset-password", "new.nurse@demo.example"]).exit_code == 0
    assert runner.invoke(app, ["users", "disable", "new.nurse@demo.example"]).exit_code == 0
    assert "disabled" in runner.invoke(app, ["users", "list", "--clinic", "demo"]).stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "users",
                "create",
                "x@y.example",
                "--name",
                "X",
                "--clinic",
                "nowhere",
                "--role",
                "staff",
            ],
            "no clinic",
        ),
        (
            ["users", "create", "x@y.example", "--name", "X", "--clinic", "demo", "--role", "boss"],
            "role",
        ),
        (
            [
                "users",
                "create",
                "x@y.example",
                "--name",
                "X",
                "--clinic",
                "demo",
                "--role",
                "staff",
                "--password",
                "short",
            ],
            "password",
        ),
        (["users", "disable", "nobody@nowhere.example"], "not found"),
    ],
)
def test_bad_account_commands_exit_2_with_the_reason(
    loaded: str, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_audit_verify_passes_then_names_a_tampered_entry(loaded: str) -> None:
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.stdout
    database = open_database(loaded)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET detail = 'nothing to see' WHERE seq = 3"))
    database.close()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 3" in broken.stderr


def test_audit_show_lists_who_touched_a_patient(loaded: str) -> None:
    result = runner.invoke(app, ["audit", "show", "--patient", "1"])
    assert result.exit_code == 0
    assert "entries for patient 1" in result.stdout


def test_a_backup_restores_into_an_empty_database_with_an_intact_trail(
    loaded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "clinic.jsonl.gz"
    made = runner.invoke(app, ["backup", str(file)])
    assert made.exit_code == 0, made.output
    original = row_counts(open_database(loaded))
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", target)
    get_settings.cache_clear()
    restored = runner.invoke(app, ["restore", str(file)])
    assert restored.exit_code == 0, restored.output
    assert row_counts(open_database(target)) == original
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    again = runner.invoke(app, ["restore", str(file)])
    assert again.exit_code == 2 and "empty database" in again.stderr


def test_a_changed_backup_is_refused(
    loaded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "clinic.jsonl.gz"
    runner.invoke(app, ["backup", str(file)])
    with gzip.open(file, "rt") as handle:
        lines = handle.read().splitlines()
    lines[5] = lines[5].replace('"', "'", 2)
    with gzip.open(file, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    get_settings.cache_clear()
    result = runner.invoke(app, ["restore", str(file)])
    assert result.exit_code == 2
    assert "checksum" in result.stderr
    plain = tmp_path / "not-a-backup.gz"
    plain.write_bytes(b"hello")
    assert "not a spinetrack backup" in runner.invoke(app, ["restore", str(plain)]).stderr
