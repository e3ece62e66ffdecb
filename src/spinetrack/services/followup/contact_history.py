"""Contact attempts with a patient about a follow-up: who tried, how, when, and what came of it.

Chasing works when the person phoning knows what was tried before, so every call, letter and
e-mail (the outbox records its own sends here too) lands in one history per patient.
"""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.tables import ContactAttempt
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Channel = Literal["phone", "email", "letter", "sms", "in_person"]
Outcome = Literal[
    "reached", "no_answer", "left_message", "sent", "failed", "declined", "paper_received"
]
CHANNELS: tuple[Channel, ...] = ("phone", "email", "letter", "sms", "in_person")
OUTCOMES: tuple[Outcome, ...] = (
    "reached",
    "no_answer",
    "left_message",
    "sent",
    "failed",
    "declined",
    "paper_received",
)


class NewContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    outcome: Outcome
    timepoint: str | None = Field(default=None, max_length=16)
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class ContactView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    at: datetime
    channel: str
    outcome: str
    timepoint: str | None
    note: str | None
    by: str
    message_id: int | None


def record_contact(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    contact: NewContact,
) -> ContactView:
    with audited(
        sessions, actor, "contact.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        row = work.uow.followup(clinic_id).add_contact(
            ContactAttempt(
                patient_id=patient_id,
                channel=contact.channel,
                outcome=contact.outcome,
                timepoint=contact.timepoint,
                note=contact.note or None,
                by=actor.name,
            )
        )
        work.target = f"contact:{row.id}"
        return ContactView.model_validate(row)


def contact_history(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> list[ContactView]:
    """Every contact attempt with the patient, newest first."""
    with audited(
        sessions, actor, "contact.list", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        rows = work.uow.followup(clinic_id).contacts([patient_id])
        return [ContactView.model_validate(row) for row in rows]
