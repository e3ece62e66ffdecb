"""FHIR Bulk Data export ($export, system and Patient level) of one clinic's registry.

The protocol is the Bulk Data IG's asynchronous pattern (kick-off, status, download, delete), but
the work is done at kick-off: a clinic's registry is written as one NDJSON file per resource type
in a job folder (0700, files 0600) with a manifest naming the clinic, who asked, when and what.
The status request then finds the job complete. Every job and every download belongs to the clinic
that asked: another clinic's job is 'not found'. Kick-off and each download are audited; the
kick-off names the patients exported.

A job expires a configured time after its kick-off (`bulk_export_hours`, the manifest's
`expires`): from then on its status and files are 'not found', as after a DELETE (the IG's answer
for a job that is gone), and its folder is removed when next touched, at every kick-off, or by
`spinetrack fhir purge-exports`.

A job is written under a hidden name and renamed to its id once its manifest is in: a kick-off
that purges while another request is still writing its job (two analysts at once, or two server
processes on one var directory) never sees that job half made and removes it from under its
writer; the hidden folder of a kick-off that died mid-write is removed once it is older than
`PARTIAL_GRACE`."""

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from fhir.resources.R4B.resource import Resource

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.interop.fhir.bundle_out import registry_resources
from spinetrack.services.access.actor import CLINICAL_ROLES, Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.registry_records import clinic_rows, registry_of
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Level = Literal["system", "patient"]
PATIENT_TYPES = (
    "Patient",
    "Procedure",
    "Condition",
    "QuestionnaireResponse",
    "Observation",
    "RiskAssessment",
)
"""Types of the Patient compartment we hold; a system export adds our Questionnaires and the
Practitioners (surgeons, who entered answers) the records name."""
SYSTEM_TYPES = (*PATIENT_TYPES, "Questionnaire", "Practitioner")
MANIFEST = "manifest.json"
FOLDER = "bulk_export"
"""The jobs' folder under the var directory."""
DEFAULT_KEEP = timedelta(hours=24)
"""How long a job made before expiry was recorded in its manifest is kept."""
PARTIAL_GRACE = timedelta(hours=1)
"""How long a job still being written may take before a purge treats it as abandoned: far longer
than writing any clinic's registry takes."""
_JOB = re.compile(r"^[0-9a-f]{32}$")
_PARTIAL = re.compile(r"^\.[0-9a-f]{32}\.partial$")
_FILE = re.compile(r"^[A-Za-z]+\.ndjson$")


@dataclass(frozen=True)
class ExportRequest:
    level: Level
    request_url: str
    """The kick-off URL as the client sent it (the manifest repeats it)."""
    types: tuple[str, ...] | None = None
    """`_type`: only these resource types; None for every type of the level."""


def check_types(level: Level, types: tuple[str, ...] | None) -> tuple[str, ...]:
    allowed = SYSTEM_TYPES if level == "system" else PATIENT_TYPES
    unknown = [t for t in types or () if t not in allowed]
    if unknown:
        raise InvalidInput(
            "_type", f"{', '.join(unknown)} not exported here; one of {', '.join(allowed)}"
        )
    return types or allowed


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _ndjson(resources: list[Resource]) -> str:
    return "".join(resource.model_dump_json() + "\n" for resource in resources)


def start_export(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    request: ExportRequest,
    folder: Path,
    today: date | None = None,
    keep: timedelta = DEFAULT_KEEP,
) -> str:
    """Export the clinic's records as NDJSON under `folder`, kept for `keep`; returns the job's
    id. Expired jobs of every clinic are removed first."""
    types = check_types(request.level, request.types)
    with audited(sessions, actor, "fhir.bulk_export", clinic_id=clinic_id) as work:
        actor.require(clinic_id, CLINICAL_ROLES)
        moment = datetime.now(UTC).replace(microsecond=0)
        purge_expired(folder, moment)
        rows = clinic_rows(work.uow, clinic_id)
        work.saw(patient.id for patient in rows.patients)
        registry = registry_of(work.uow, clinic_id, rows)
        resources = registry_resources(registry, today=today or date.today())
        job = uuid.uuid4().hex
        where = folder / f".{job}.partial"
        where.mkdir(mode=0o700, parents=True)
        try:
            output = []
            for kind in types:
                chosen = [r for r in resources if r.get_resource_type() == kind]
                if not chosen:
                    continue
                _write_private(where / f"{kind}.ndjson", _ndjson(chosen))
                output.append({"type": kind, "file": f"{kind}.ndjson", "count": len(chosen)})
            manifest = {
                "clinic_id": clinic_id,
                "transactionTime": moment.isoformat(),
                "expires": (moment + keep).isoformat(),
                "request": request.request_url,
                "level": request.level,
                "output": output,
            }
            _write_private(where / MANIFEST, json.dumps(manifest))
            where.rename(folder / job)
        except BaseException:
            shutil.rmtree(where, ignore_errors=True)
            raise
        work.detail = f"{request.level} export {job}: " + ", ".join(
            f"{o['count']} {o['type']}" for o in output
        )
        return job


def expires_at(manifest: dict[str, Any]) -> datetime:
    """When a job stops being served."""
    if "expires" in manifest:
        return datetime.fromisoformat(manifest["expires"])
    return datetime.fromisoformat(manifest["transactionTime"]) + DEFAULT_KEEP


def purge_expired(folder: Path, now: datetime | None = None) -> list[str]:
    """Remove every job expired at `now` (default: the present), any job folder that is not a
    complete job, and any job still being written for longer than `PARTIAL_GRACE` (its writer
    died); returns the names removed."""
    now = now or datetime.now(UTC)
    removed: list[str] = []
    if not folder.is_dir():
        return removed
    for where in sorted(folder.iterdir()):
        if where.is_dir() and _PARTIAL.match(where.name):
            try:
                started = datetime.fromtimestamp(where.stat().st_mtime, UTC)
            except OSError:
                continue
            if now - started > PARTIAL_GRACE:
                shutil.rmtree(where, ignore_errors=True)
                removed.append(where.name)
            continue
        if not where.is_dir() or not _JOB.match(where.name):
            continue
        try:
            manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
            gone = expires_at(manifest) <= now
        except (OSError, ValueError, KeyError):
            gone = True
        if gone:
            shutil.rmtree(where, ignore_errors=True)
            removed.append(where.name)
    return removed


def _manifest(folder: Path, job: str) -> dict[str, Any]:
    """A live job's manifest; a missing, deleted or expired job is not found (an expired one is
    removed on the spot)."""
    if not _JOB.match(job) or not (folder / job / MANIFEST).is_file():
        raise NotFound("export", job)
    found: dict[str, Any] = json.loads((folder / job / MANIFEST).read_text(encoding="utf-8"))
    if expires_at(found) <= datetime.now(UTC):
        shutil.rmtree(folder / job, ignore_errors=True)
        raise NotFound("export", job)
    return found


def export_status(*, actor: Actor, folder: Path, job: str) -> dict[str, Any]:
    """The job's manifest, to someone of the clinic it belongs to (else not found)."""
    manifest = _manifest(folder, job)
    actor.require(int(manifest["clinic_id"]), CLINICAL_ROLES)
    return manifest


def export_file(
    *, sessions: UnitOfWorkFactory, actor: Actor, folder: Path, job: str, name: str
) -> Path:
    """One NDJSON file of a job, audited as a download of the clinic's records."""
    manifest = _manifest(folder, job)
    clinic_id = int(manifest["clinic_id"])
    with audited(sessions, actor, "fhir.bulk_export.download", clinic_id=clinic_id) as work:
        actor.require(clinic_id, CLINICAL_ROLES)
        listed = {o["file"] for o in manifest["output"]}
        if not _FILE.match(name) or name not in listed:
            raise NotFound("export file", name)
        work.detail = f"{job}/{name}"
        return folder / job / name


def delete_export(*, sessions: UnitOfWorkFactory, actor: Actor, folder: Path, job: str) -> None:
    """Remove a job and its files (the client is done, or cancels)."""
    manifest = _manifest(folder, job)
    clinic_id = int(manifest["clinic_id"])
    with audited(sessions, actor, "fhir.bulk_export.delete", clinic_id=clinic_id) as work:
        actor.require(clinic_id, CLINICAL_ROLES)
        shutil.rmtree(folder / job)
        work.detail = job
