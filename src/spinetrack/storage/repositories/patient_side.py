"""Consultation requests, contact attempts and outbox messages, always within one clinic.

Like the patient repository, the clinic is a constructor argument and every query filters by it,
so a request or a contact of another clinic can never be read by mistake. The outbox sender works
across clinics and says so in its method names.
"""

from datetime import date

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from spinetrack.domain.errors import NotFound
from spinetrack.storage.tables import (
    ConsultationRequest,
    ContactAttempt,
    OutboxMessage,
    Patient,
    PatientLink,
    PatientOutcome,
)

OPEN_STATUSES = ("new", "contacted")


class ConsultationRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def add(self, row: ConsultationRequest) -> ConsultationRequest:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()
        return row

    def reference_taken(self, reference: str) -> bool:
        query = select(ConsultationRequest.id).where(ConsultationRequest.reference == reference)
        return self._session.scalar(query) is not None

    def get(self, request_id: int, *, lock: bool = False) -> ConsultationRequest:
        query = select(ConsultationRequest).where(
            ConsultationRequest.id == request_id, ConsultationRequest.clinic_id == self.clinic_id
        )
        row = self._session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound("consultation request", request_id)
        return row

    def claim_conversion(self, request_id: int) -> bool:
        """Mark a request converted unless it already is: whether this call did (a conditional
        update, so two staff registering the same requester at once make one patient)."""
        claimed = self._session.execute(
            update(ConsultationRequest)
            .where(
                ConsultationRequest.id == request_id,
                ConsultationRequest.clinic_id == self.clinic_id,
                ConsultationRequest.status != "converted",
            )
            .values(status="converted")
            .returning(ConsultationRequest.id)
            .execution_options(synchronize_session=False)
        )
        return claimed.scalar_one_or_none() is not None

    def _listed(self, *, open_only: bool, urgent: bool) -> Select[tuple[ConsultationRequest]]:
        query = select(ConsultationRequest).where(
            ConsultationRequest.clinic_id == self.clinic_id,
            ConsultationRequest.urgent.is_(urgent),
        )
        if open_only:
            query = query.where(ConsultationRequest.status.in_(OPEN_STATUSES))
        return query

    def urgent(self, *, open_only: bool) -> list[ConsultationRequest]:
        """Every urgent request, oldest first: the one waiting longest is called first, and no
        number of newer requests can push one out of sight."""
        query = self._listed(open_only=open_only, urgent=True).order_by(
            ConsultationRequest.received_at, ConsultationRequest.id
        )
        return list(self._session.scalars(query))

    def others(self, *, open_only: bool, offset: int, limit: int) -> list[ConsultationRequest]:
        """One page of the requests without a warning sign, newest first."""
        query = self._listed(open_only=open_only, urgent=False).order_by(
            ConsultationRequest.received_at.desc(), ConsultationRequest.id.desc()
        )
        return list(self._session.scalars(query.offset(offset).limit(limit)))

    def count_others(self, *, open_only: bool) -> int:
        query = self._listed(open_only=open_only, urgent=False).with_only_columns(func.count())
        return int(self._session.scalar(query) or 0)


class FollowupRepository:
    """Contact attempts, outbox messages and the follow-ups that are due, in one clinic."""

    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def add_contact(self, row: ContactAttempt) -> ContactAttempt:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()
        return row

    def add_message(self, row: OutboxMessage) -> OutboxMessage:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()
        return row

    def contacts(self, patient_ids: list[int]) -> list[ContactAttempt]:
        """Contact attempts with these patients, newest first."""
        if not patient_ids:
            return []
        query = (
            select(ContactAttempt)
            .where(
                ContactAttempt.clinic_id == self.clinic_id,
                ContactAttempt.patient_id.in_(patient_ids),
            )
            .order_by(ContactAttempt.at.desc(), ContactAttempt.id.desc())
        )
        return list(self._session.scalars(query))

    def due(self, until: date, today: date) -> list[tuple[PatientOutcome, Patient]]:
        """Patients whose next follow-up is due by `until` and whose window is still open."""
        query: Select[tuple[PatientOutcome, Patient]] = (
            select(PatientOutcome, Patient)
            .join(Patient, Patient.id == PatientOutcome.patient_id)
            .where(
                PatientOutcome.clinic_id == self.clinic_id,
                Patient.clinic_id == self.clinic_id,
                PatientOutcome.next_due_on.is_not(None),
                PatientOutcome.next_due_on <= until,
                or_(
                    PatientOutcome.next_window_closes_on.is_(None),
                    PatientOutcome.next_window_closes_on >= today,
                ),
            )
            .order_by(PatientOutcome.next_due_on, Patient.id)
        )
        return [(outcome, patient) for outcome, patient in self._session.execute(query).all()]

    def messages_of_patient(self, patient_id: int) -> list[OutboxMessage]:
        """Every e-mail queued for the patient, newest first."""
        query = select(OutboxMessage).where(
            OutboxMessage.clinic_id == self.clinic_id, OutboxMessage.patient_id == patient_id
        )
        return list(self._session.scalars(query.order_by(OutboxMessage.id.desc())))

    def messages_for(self, patient_id: int, timepoint: str | None) -> list[OutboxMessage]:
        query = select(OutboxMessage).where(
            OutboxMessage.clinic_id == self.clinic_id,
            OutboxMessage.patient_id == patient_id,
            OutboxMessage.timepoint == timepoint
            if timepoint is not None
            else OutboxMessage.timepoint.is_(None),
        )
        return list(self._session.scalars(query.order_by(OutboxMessage.id)))


class OutboxRepository:
    """The sender's view of the outbox: it works across clinics, and each message then goes
    through an audited unit of work scoped to its own clinic."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, message_id: int, *, lock: bool = False) -> OutboxMessage | None:
        return self._session.get(OutboxMessage, message_id, with_for_update=lock)

    def pending(self, *, limit: int) -> list[OutboxMessage]:
        """Messages of every clinic neither sent nor given up, oldest first (the sender's queue)."""
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(self._session.scalars(query))

    def sent_invitations_with_open_links(self) -> list[tuple[OutboxMessage, PatientLink]]:
        """Sent invitations whose link is neither answered nor withdrawn (reminder candidates)."""
        query = (
            select(OutboxMessage, PatientLink)
            .join(PatientLink, PatientLink.id == OutboxMessage.link_id)
            .where(
                OutboxMessage.kind == "invitation",
                OutboxMessage.sent_at.is_not(None),
                PatientLink.used_at.is_(None),
                PatientLink.revoked_at.is_(None),
            )
            .order_by(OutboxMessage.id)
        )
        return [(message, link) for message, link in self._session.execute(query).all()]

    def of_link(self, link_id: int) -> list[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.link_id == link_id)
        return list(self._session.scalars(query.order_by(OutboxMessage.id)))

    def clinics_with_due_followups(self) -> list[int]:
        query = (
            select(PatientOutcome.clinic_id)
            .where(PatientOutcome.next_due_on.is_not(None))
            .distinct()
            .order_by(PatientOutcome.clinic_id)
        )
        return list(self._session.scalars(query))
