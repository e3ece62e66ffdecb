"""Export a clinic's registry for analysts or another system: CSV or Parquet tables, or one FHIR
Bundle; de-identified on request. Identified exports need a clinical role; an analyst may export
de-identified data only. Every export is audited with its format and what it held."""

import os
from datetime import date
from pathlib import Path
from typing import Literal

from spinetrack.interop.deidentify import deidentify
from spinetrack.interop.fhir.bundle_out import collection, registry_resources
from spinetrack.interop.records import Registry
from spinetrack.interop.tabular import write_tables
from spinetrack.services.access.actor import CLINICAL_ROLES, ROLES, Actor
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.registry_records import clinic_rows, registry_of
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

ExportFormat = Literal["csv", "parquet", "fhir"]


def read_clinic_registry(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    deidentified: bool = False,
    secret_key: str | None = None,
    purpose: str = "",
) -> Registry:
    """The clinic's records, de-identified when asked (with the clinic secret from `secret_key`)."""
    with audited(sessions, actor, "registry.export", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ROLES if deidentified else CLINICAL_ROLES)
        rows = clinic_rows(work.uow, clinic_id)
        work.saw(patient.id for patient in rows.patients)
        registry = registry_of(work.uow, clinic_id, rows)
        if deidentified:
            registry = deidentify(registry, secret_key=secret_key, clinic_id=clinic_id)
        work.detail = (
            f"{purpose}{' de-identified' if deidentified else ''}: {len(registry.patients)} patients, "
            f"{len(registry.surgeries)} surgeries, {len(registry.responses)} responses"
        )
        return registry


def write_export(registry: Registry, *, fmt: ExportFormat, out: Path, today: date) -> list[Path]:
    """Write the export: a directory of tables for csv and parquet, one Bundle file for fhir.

    Files and a new directory are readable by their owner only (0600, 0700): they hold patients'
    records (a de-identified export too, until someone has checked it)."""
    if fmt == "fhir":
        out.parent.mkdir(parents=True, exist_ok=True)
        bundle = collection(registry_resources(registry, today=today))
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(bundle.model_dump_json(indent=1) + "\n")
        return [out]
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = write_tables(registry, out, fmt)
    for path in written:
        path.chmod(0o600)
    return written


def export_registry(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    fmt: ExportFormat,
    out: Path,
    deidentified: bool = False,
    secret_key: str | None = None,
    today: date | None = None,
) -> list[Path]:
    registry = read_clinic_registry(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        deidentified=deidentified,
        secret_key=secret_key,
        purpose=f"{fmt} to {out.name}",
    )
    return write_export(registry, fmt=fmt, out=out, today=today or today_for(sessions, clinic_id))
