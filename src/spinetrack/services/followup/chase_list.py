"""The chase list: patients whose next follow-up questionnaire is due or overdue, with the last
contact attempt, so staff phone the right people first.

Which time point is next, and when it is due, is kept on each patient's outcome row (recomputed
with every response and surgery); whether it is due or overdue today is the domain's rule.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from spinetrack.domain.followup.reminders import timing
from spinetrack.domain.outcomes.followup import FollowUpState, due_soon_days, followup_state
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.patient_links import LinkSummary, summarize_link
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.followup.contact_history import ContactView
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ChaseRow:
    patient_id: int
    mrn: str
    name: str
    timepoint: str
    due_on: date
    closes_on: date | None
    state: FollowUpState
    days_late: int
    has_email: bool
    phone: str | None
    contacts: int
    last_contact_at: datetime | None
    last_contact: str | None
    """'channel: outcome' of the latest attempt."""


def chase_list(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, today: date
) -> list[ChaseRow]:
    """Overdue first (the longest late at the top), then due; upcoming ones are left out."""
    with audited(sessions, actor, "followup.chase_list", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.followup(clinic_id)
        due = repo.due(until=today + timedelta(days=due_soon_days()), today=today)
        contacts = repo.contacts([patient.id for _, patient in due])
        rows = []
        for outcome, patient in due:
            assert outcome.next_due_on is not None and outcome.next_timepoint is not None
            closes = outcome.next_window_closes_on
            state = followup_state(outcome.next_due_on, closes or date.max, today)
            if state == "upcoming":
                continue
            history = [c for c in contacts if c.patient_id == patient.id]
            rows.append(
                ChaseRow(
                    patient_id=patient.id,
                    mrn=patient.mrn,
                    name=f"{patient.family_name}, {patient.given_name}",
                    timepoint=outcome.next_timepoint,
                    due_on=outcome.next_due_on,
                    closes_on=closes,
                    state=state,
                    days_late=(today - outcome.next_due_on).days,
                    has_email=bool(patient.email),
                    phone=patient.phone,
                    contacts=len(history),
                    last_contact_at=history[0].at if history else None,
                    last_contact=f"{history[0].channel}: {history[0].outcome}" if history else None,
                )
            )
        rows.sort(key=lambda r: (r.state != "overdue", -r.days_late, r.patient_id))
        work.detail = f"returned={len(rows)}"
        work.saw(row.patient_id for row in rows)
        return rows


@dataclass(frozen=True)
class MessageRow:
    id: int
    kind: str
    timepoint: str | None
    created_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class ChaseDetail:
    """One patient's follow-up page: what is owed, and every contact, link and e-mail so far."""

    patient_id: int
    mrn: str
    name: str
    email: str | None
    phone: str | None
    region: str | None
    timepoint: str | None
    due_on: date | None
    closes_on: date | None
    state: FollowUpState | None
    questionnaires: list[str]
    """The questionnaires a new link or paper form for this patient would ask for."""
    contacts: list[ContactView]
    links: list[LinkSummary]
    messages: list[MessageRow]


def chase_detail(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int, today: date
) -> ChaseDetail:
    with audited(
        sessions, actor, "followup.read", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        patient = work.uow.patients(clinic_id).get(patient_id)
        outcome = work.uow.patients(clinic_id).outcome(patient_id)
        repo = work.uow.followup(clinic_id)
        now = datetime.now(UTC)
        due_on = outcome.next_due_on if outcome else None
        closes = outcome.next_window_closes_on if outcome else None
        region = outcome.region if outcome else None
        return ChaseDetail(
            patient_id=patient.id,
            mrn=patient.mrn,
            name=f"{patient.family_name}, {patient.given_name}",
            email=patient.email,
            phone=patient.phone,
            region=region,
            timepoint=outcome.next_timepoint if outcome else None,
            due_on=due_on,
            closes_on=closes,
            state=followup_state(due_on, closes or date.max, today) if due_on else None,
            questionnaires=timing().questionnaires.for_region(region),
            contacts=[ContactView.model_validate(c) for c in repo.contacts([patient_id])],
            links=[
                summarize_link(row, now)
                for row in reversed(work.uow.access.links_of(clinic_id, patient_id))
            ],
            messages=[
                MessageRow(
                    m.id,
                    m.kind,
                    m.timepoint,
                    m.created_at,
                    m.sent_at,
                    m.failed_at,
                    m.attempts,
                    m.last_error,
                )
                for m in repo.messages_of_patient(patient_id)
            ],
        )
