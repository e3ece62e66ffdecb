"""The dashboard's prepared aggregates as bytes to keep in the database, and back.

A clinic's prepared registry (a few columns per operated patient, one row per counted follow-up)
and its disclosure cube are what every dashboard, report and table download is computed from.
Computing them reads every surgery and response of the clinic; keeping them in the database
(`analytics_prepared`, one row per clinic) lets a new server process, or another worker, start
from them instead.

Why it stays correct:
- the row is stamped with the clinic's data version (bumped in the transaction of every write of
  its data), the disclosure threshold, the day the registry was read on (time to revision is
  censored at it) and a digest of the code and rules the figures come from (`rules_digest`); a
  row whose stamp differs in any of these is ignored and recomputed, never shown;
- the payload holds only Arrow IPC tables, NumPy arrays and JSON (no pickle), and is signed with a
  key derived from the audit key, which is never stored in the database: someone who can write to
  the database can delete the row or make it unreadable, and then the registry is read afresh,
  but cannot make the dashboard show figures of their own.
"""

import hashlib
import hmac
import io
import json
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

import spinetrack
from spinetrack.analytics.cohort import PreparedRegistry
from spinetrack.analytics.disclosure import DIMENSIONS, DisclosureCube
from spinetrack.storage.repositories.analytics import StoredPrepared

FORMAT = 1
"""Bumped whenever the layout of the payload changes."""
_TAG = 32
_PACKAGE = Path(spinetrack.__file__).resolve().parent
_RULE_SOURCES = ("analytics", "domain", "knowledge", "services/reporting/analytics_store.py")


@cache
def rules_digest() -> str:
    """What the figures depend on beside the data: the package version and the text of the
    analysis code, the domain rules and the knowledge files (thresholds, MCIDs, schedules). A
    deployment that changes any of them prepares the registry afresh."""
    digest = hashlib.sha256(f"{FORMAT}:{spinetrack.__version__}".encode())
    for source in _RULE_SOURCES:
        root = _PACKAGE / source
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".json", ".csv"}:
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _signing_key(audit_key: bytes) -> bytes:
    return hmac.new(audit_key, b"spinetrack analytics prepared", hashlib.sha256).digest()


def _ipc(frame: pl.DataFrame) -> npt.NDArray[np.uint8]:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return np.frombuffer(buffer.getvalue(), dtype=np.uint8)


def encode(
    registry: PreparedRegistry, cube: DisclosureCube, *, data_version: int, audit_key: bytes
) -> StoredPrepared:
    """The prepared registry and its cube as a signed payload stamped with what they came from."""
    meta = {
        "format": FORMAT,
        "read_on": registry.read_on.isoformat(),
        "threshold": cube.threshold,
        "measures": cube.measures,
        "values": {d: list(cube.values[d].items()) for d in DIMENSIONS},
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
        patients=_ipc(registry.patients),
        followups=_ipc(registry.followups),
        counts=cube.counts,
        hidden=cube.hidden,
    )
    body = buffer.getvalue()
    tag = hmac.new(_signing_key(audit_key), body, hashlib.sha256).digest()
    return StoredPrepared(
        data_version=data_version,
        threshold=cube.threshold,
        read_on=registry.read_on,
        rules=rules_digest(),
        payload=tag + body,
    )


def decode(
    stored: StoredPrepared,
    *,
    data_version: int,
    threshold: int,
    read_on: date,
    audit_key: bytes,
) -> tuple[PreparedRegistry, DisclosureCube] | None:
    """The kept registry and cube when the row was computed from exactly this data version,
    threshold, day and rules and its signature holds; else None (the caller prepares afresh)."""
    stamp = (stored.data_version, stored.threshold, stored.read_on, stored.rules)
    if stamp != (data_version, threshold, read_on, rules_digest()):
        return None
    tag, body = stored.payload[:_TAG], stored.payload[_TAG:]
    expected = hmac.new(_signing_key(audit_key), body, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        return None
    with np.load(io.BytesIO(body), allow_pickle=False) as arrays:
        meta = json.loads(arrays["meta"].tobytes())
        if meta.get("format") != FORMAT:
            return None
        patients = pl.read_ipc(io.BytesIO(arrays["patients"].tobytes()))
        followups = pl.read_ipc(io.BytesIO(arrays["followups"].tobytes()))
        counts, hidden = arrays["counts"], arrays["hidden"]
    registry = PreparedRegistry(patients, followups, date.fromisoformat(meta["read_on"]))
    cube = DisclosureCube(
        threshold=int(meta["threshold"]),
        measures={name: int(index) for name, index in meta["measures"].items()},
        values={d: {value: int(index) for value, index in meta["values"][d]} for d in DIMENSIONS},
        counts=counts,
        hidden=hidden,
    )
    return registry, cube
