"""Backup and restore of the whole database, portable between SQLite and PostgreSQL.

A backup is gzip-compressed JSON lines: a manifest, one line per row (tables in foreign-key order,
read in one transaction so the copy is consistent), and a last line with the SHA-256 of everything
before it and an HMAC-SHA256 of the same under the audit key (which is kept outside the database
and is needed anyway to check the restored audit trail). Anyone can recompute a checksum after
editing a backup, say to plant an API token; no one without the key can recompute the HMAC.
Restore refuses a file whose checksum or HMAC fails, and only writes into an empty database. The
file is created readable by its owner only: it holds every patient's record.
"""

import gzip
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from spinetrack import __version__
from spinetrack.config import get_settings
from spinetrack.domain.errors import SpinetrackError
from spinetrack.services.audit.audit_log import sealer
from spinetrack.services.operations.database import Database
from spinetrack.storage import table_copy
from spinetrack.storage.audit_chain import write_checkpoint
from spinetrack.storage.migrate import current_revision

FORMAT = "spinetrack-backup"
Progress = Callable[[int], None]


class BackupRejected(SpinetrackError):
    pass


def _mac(key: bytes) -> "hmac.HMAC":
    """The backups' own key, derived from the audit key (the chain derives another)."""
    return hmac.new(
        hmac.new(key, b"spinetrack backup", hashlib.sha256).digest(), digestmod=hashlib.sha256
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _lines(rows: Iterator[tuple[str, Mapping[Any, Any]]], revision: str) -> Iterator[str]:
    manifest = {
        "format": FORMAT,
        "version": 1,
        "spinetrack": __version__,
        "revision": revision,
        "created_at": datetime.now(UTC).isoformat(),
        "tables": table_copy.table_names(),
    }
    yield json.dumps(manifest)
    for table_name, row in rows:
        yield json.dumps({"t": table_name, "r": {k: _plain(v) for k, v in row.items()}})


def backup(database: Database, path: Path, progress: Progress | None = None) -> int:
    """Write a consistent copy of every table to `path`; returns the number of rows."""
    revision = current_revision(database.engine) or ""
    sealer(database.sessions).seal_now()  # the copy carries a chain with nothing left to seal
    digest, mac, rows = hashlib.sha256(), _mac(get_settings().resolved_audit_key()), -1
    with (
        table_copy.snapshot(database.engine) as snapshot,
        os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw,
        gzip.open(raw, "wt", encoding="utf-8") as out,
    ):
        for line in _lines(snapshot, revision):
            digest.update(line.encode("utf-8") + b"\n")
            mac.update(line.encode("utf-8") + b"\n")
            out.write(line + "\n")
            rows += 1
            if progress and rows % 10_000 == 0:
                progress(10_000)
        out.write(json.dumps({"sha256": digest.hexdigest(), "hmac_sha256": mac.hexdigest()}) + "\n")
    return rows


def _read(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupRejected(f"{path} is not a spinetrack backup ({exc})") from exc
    if len(lines) < 2:
        raise BackupRejected(f"{path} is empty or cut short")
    body, last = lines[:-1], lines[-1]
    content = "".join(line + "\n" for line in body).encode("utf-8")
    digest = hashlib.sha256(content).hexdigest()
    try:
        seal = json.loads(last)
        expected, keyed = seal.get("sha256"), seal.get("hmac_sha256")
        manifest = json.loads(body[0])
    except (json.JSONDecodeError, AttributeError) as exc:
        raise BackupRejected(f"{path} is damaged: its last line is not a checksum") from exc
    if expected != digest:
        raise BackupRejected(f"{path} fails its checksum: the file was changed or damaged")
    mac = _mac(get_settings().resolved_audit_key())
    mac.update(content)
    if not isinstance(keyed, str) or not hmac.compare_digest(keyed, mac.hexdigest()):
        raise BackupRejected(
            f"{path} fails its keyed checksum: it was changed after it was written, or written "
            "with another audit key (set SPINETRACK_AUDIT_KEY to the key of the installation "
            "that made it)"
        )
    if manifest.get("format") != FORMAT:
        raise BackupRejected(f"{path} is not a spinetrack backup")
    return manifest, body[1:]


def restore(database: Database, path: Path, progress: Progress | None = None) -> int:
    """Load a backup into an empty database at the backup's schema; returns the rows restored."""
    manifest, lines = _read(path)
    database.upgrade()
    if current_revision(database.engine) != manifest.get("revision"):
        raise BackupRejected(
            f"the backup is at schema {manifest.get('revision')}, this spinetrack at "
            f"{current_revision(database.engine)}: restore with the matching version"
        )
    batch: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        record = json.loads(line)
        batch.setdefault(record["t"], []).append(table_copy.typed(record["t"], record["r"]))
    table_copy.load(database.engine, batch, progress)
    _restart_checkpoints(database)
    return len(lines)


def _restart_checkpoints(database: Database) -> None:
    """The restored chain is the new truth for this database: a restore line tells `audit verify`
    to ignore older checkpoints (entries after the backup are gone, knowingly); then seal."""
    head = table_copy.chain_head(database.engine)
    write_checkpoint(
        get_settings().resolved_audit_checkpoint(),
        database.engine,
        head[0] if head else 0,
        head[1] if head else "",
        event="restore",
    )
    sealer(database.sessions).seal_now()
