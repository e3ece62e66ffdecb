"""The clinician's worklist: who needs attention today, most urgent first.

Sections, in the order a surgeon works through them: red flags (the latest assessment raised one and
no plan is confirmed), failing and relapsed patients (worst change first), patients losing ground
(the latest score slipped from their best by the MCID), follow-ups due this week or overdue, and new
consultation requests. Each section is counted and paged on its own, filtered by surgeon, region,
procedure and status. Opening the list also moves on any stored "next follow-up" whose window has
closed since it was computed (the chase would be pointless), so the due section stays truthful
without a nightly job.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outcomes.followup import FollowUpState, due_soon_days, followup_state
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import refresh_outcome
from spinetrack.storage.repositories.worklist import (
    SECTIONS,
    Section,
    Window,
    WorklistFilters,
    WorklistRow,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

PAGE_SIZE = 20
CONSULTATIONS_SHOWN = 5
STALE_BATCH = 2000
"""At most this many closed follow-up windows are moved on per opening (the rest next time)."""
STATUSES = ("failing", "relapsed", "succeeding", "too_early", "no_baseline")

__all__ = ["SECTIONS", "Section", "Worklist", "WorklistFilters", "open_worklist"]


@dataclass(frozen=True, slots=True)
class WorklistItem:
    patient_id: int
    name: str
    mrn: str
    status: str
    red_flag: bool
    region: str | None
    procedure: str | None
    surgeon: str | None
    surgery_date: date | None
    next_timepoint: str | None
    next_due_on: date | None
    followup: FollowUpState | None
    losing_ground: bool = False
    change: float | None = None
    """The disability score's change from baseline (points better; negative when worse)."""


@dataclass(frozen=True, slots=True)
class SectionPage:
    section: Section
    total: int
    page: int
    pages: int
    items: list[WorklistItem]


@dataclass(frozen=True, slots=True)
class ConsultationItem:
    id: int
    reference: str
    name: str
    received_at: datetime
    urgent: bool
    region: str


@dataclass(frozen=True, slots=True)
class Worklist:
    today: date
    date_format: str
    filters: WorklistFilters
    sections: list[SectionPage]
    consultations_total: int
    consultations: list[ConsultationItem]
    surgeons: list[tuple[int, str]]
    regions: list[str]
    procedures: list[str]
    statuses: tuple[str, ...]
    advanced: int
    """How many stale follow-ups this opening moved on."""


def check_filters(filters: WorklistFilters) -> None:
    """Refuse values no patient can have, naming the filter (the page shows it beside the field)."""
    words = vocabulary()
    if filters.region and filters.region not in words.regions:
        raise InvalidInput("region", f"unknown region {filters.region!r}")
    if filters.procedure and filters.procedure not in words.procedures:
        raise InvalidInput("procedure", f"unknown procedure {filters.procedure!r}")
    if filters.status and filters.status not in STATUSES:
        raise InvalidInput("status", f"unknown status {filters.status!r}")


def _item(row: WorklistRow, today: date) -> WorklistItem:
    o = row.outcome
    state = None
    if o.next_due_on is not None and o.next_window_closes_on is not None:
        state = followup_state(o.next_due_on, o.next_window_closes_on, today)
    return WorklistItem(
        patient_id=o.patient_id,
        name=f"{row.patient.family_name}, {row.patient.given_name}",
        mrn=row.patient.mrn,
        status=o.status,
        red_flag=o.red_flag,
        region=o.region,
        procedure=o.procedure,
        surgeon=row.surgeon,
        surgery_date=o.surgery_date,
        next_timepoint=o.next_timepoint,
        next_due_on=o.next_due_on,
        followup=state,
        losing_ground=bool(o.losing_ground),
        change=o.disability_improvement,
    )


def open_worklist(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: WorklistFilters,
    pages: Mapping[str, int],
    today: date | None = None,
) -> Worklist:
    """The worklist for one clinic; `pages` gives the 1-based page shown of each section."""
    with audited(sessions, actor, "worklist.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        today = today or clinic_today(work.uow, clinic_id)
        check_filters(filters)
        clinic = work.uow.clinics.get(clinic_id)
        repo = work.uow.worklist(clinic_id)
        patients = work.uow.patients(clinic_id)
        stale = repo.stale_followups(today, STALE_BATCH)
        for patient_id in stale:
            refresh_outcome(patients, patient_id, today)
        window = Window(today, today + timedelta(days=due_soon_days()))
        sections = []
        for section in SECTIONS:
            total = repo.count(section, filters, window)
            last = max(1, -(-total // PAGE_SIZE))
            page = min(max(1, pages.get(section, 1)), last)
            rows = repo.page(
                section, filters, window, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
            )
            sections.append(
                SectionPage(section, total, page, last, [_item(r, today) for r in rows])
            )
        waiting, newest = repo.new_consultations(CONSULTATIONS_SHOWN)
        work.detail = f"sections={[s.total for s in sections]} advanced={len(stale)}"
        work.saw(item.patient_id for s in sections for item in s.items)
        work.saw(c.patient_id for c in newest if c.patient_id is not None)
        words = vocabulary()
        return Worklist(
            today=today,
            date_format=clinic.date_format if clinic else "%Y-%m-%d",
            filters=filters,
            sections=sections,
            consultations_total=waiting,
            consultations=[
                ConsultationItem(
                    c.id,
                    c.reference,
                    f"{c.family_name}, {c.given_name}",
                    c.received_at,
                    c.urgent,
                    c.region,
                )
                for c in newest
            ],
            surgeons=repo.surgeons(),
            regions=list(words.regions),
            procedures=list(words.procedures),
            statuses=STATUSES,
            advanced=len(stale),
        )


def clinic_surgeons(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int
) -> list[tuple[int, str]]:
    """The clinic's clinicians and admins (id, name): who may be recorded as the surgeon."""
    with audited(sessions, actor, "clinic.surgeons", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        return work.uow.worklist(clinic_id).surgeons()
