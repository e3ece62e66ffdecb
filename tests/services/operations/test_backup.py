"""A backup is keyed and private: an edited backup whose checksum was recomputed is refused
(issue 22, point 17), and backups, exports and the SQLite file are created 0600 (point 16)."""

import gzip
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.operations.backup import BackupRejected, backup, restore
from spinetrack.services.operations.database import Database, open_database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.registry_io.export_registry import export_registry


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual umask (022) would make new files 0644: the code itself must ask for 0600."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _backed_up(world: World, tmp_path: Path) -> Path:
    register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    )
    file = tmp_path / "clinic.jsonl.gz"
    backup(world.database, file)
    return file


def _rewrite(file: Path, change: Callable[[list[str]], None]) -> None:
    """Edit the rows and recompute the plain checksum, as anyone holding the file can."""
    with gzip.open(file, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    body = lines[:-1]
    change(body)
    digest = hashlib.sha256("".join(line + "\n" for line in body).encode()).hexdigest()
    seal = {**json.loads(lines[-1]), "sha256": digest}
    with gzip.open(file, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([*body, json.dumps(seal)]) + "\n")


def _sqlite_target(tmp_path: Path) -> Database:
    database = open_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    database.upgrade()
    return database


def test_a_backup_with_a_recomputed_checksum_is_refused(world: World, tmp_path: Path) -> None:
    file = _backed_up(world, tmp_path)

    def rename_a_patient(body: list[str]) -> None:
        for i, line in enumerate(body):
            record = json.loads(line)
            if record.get("t") == "patients":
                record["r"]["family_name"] = "Changed"
                body[i] = json.dumps(record)

    _rewrite(file, rename_a_patient)
    target = _sqlite_target(tmp_path)
    try:
        with pytest.raises(BackupRejected, match="keyed checksum"):
            restore(target, file)
    finally:
        target.close()


def test_a_backup_restores_only_with_the_key_that_wrote_it(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _backed_up(world, tmp_path)
    monkeypatch.setenv("SPINETRACK_AUDIT_KEY", "another-installation-key-0123456789")
    get_settings.cache_clear()
    target = _sqlite_target(tmp_path)
    try:
        with pytest.raises(BackupRejected, match="another audit key"):
            restore(target, file)
    finally:
        target.close()


def test_an_untouched_backup_restores_with_a_trail_that_verifies(
    world: World, tmp_path: Path
) -> None:
    file = _backed_up(world, tmp_path)
    target = _sqlite_target(tmp_path)
    try:
        restore(target, file)
        report = verify_chain(sessions=target.sessions)
        assert report.intact and report.checked > 5
    finally:
        target.close()


def test_the_backup_file_is_readable_by_its_owner_only(world: World, tmp_path: Path) -> None:
    assert _mode(_backed_up(world, tmp_path)) == 0o600


def test_exported_files_are_readable_by_their_owner_only(world: World, tmp_path: Path) -> None:
    register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    )
    tables = export_registry(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        fmt="csv",
        out=tmp_path / "export",
    )
    bundle = export_registry(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        fmt="fhir",
        out=tmp_path / "bundle.json",
    )
    assert tables and {_mode(path) for path in [*tables, *bundle]} == {0o600}
    assert _mode(tmp_path / "export") == 0o700


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """The WAL and shared-memory files SQLite makes beside it take the file's permissions."""
    database = open_database(f"sqlite:///{tmp_path / 'var' / 'spinetrack.sqlite3'}")
    try:
        database.upgrade()
        modes = {path.name: _mode(path) for path in (tmp_path / "var").iterdir()}
    finally:
        database.close()
    assert "spinetrack.sqlite3" in modes and "spinetrack.sqlite3-wal" in modes
    assert set(modes.values()) == {0o600}
