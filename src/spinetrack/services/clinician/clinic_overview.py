"""Counts that describe a clinic at a glance (patients, statuses), for the CLI and the home page."""

from dataclasses import dataclass

from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ClinicOverview:
    clinic_id: int
    slug: str
    name: str
    patients: int
    statuses: dict[str, int]


def find_clinic(*, sessions: UnitOfWorkFactory, slug: str) -> int | None:
    with sessions(read_only=True) as uow:
        clinic = uow.clinics.by_slug(slug)
        return clinic.id if clinic else None


def clinic_overview(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> ClinicOverview:
    with audited(sessions, actor, "clinic.overview", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin", "clinician", "staff", "analyst"}))
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        repo = work.uow.patients(clinic_id)
        return ClinicOverview(
            clinic_id=clinic_id,
            slug=clinic.slug,
            name=clinic.name,
            patients=repo.count(),
            statuses=repo.status_counts(),
        )
