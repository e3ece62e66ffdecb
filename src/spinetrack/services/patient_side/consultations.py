"""Consultation requests: a patient asks the clinic for an appointment from the public form, and
staff work through them in the clinic's inbox (urgent first), then contact, close or convert.

The red-flag screening is decided here, by the same pure rules the form shows, so a request sent
without JavaScript or by a script is marked urgent exactly like one sent from the page.
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from spinetrack.domain.consultations import Question, raised, screening, urgency_of
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import latest_today
from spinetrack.services.access.rate_limits import check_rate, consultation_limit
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.services.records.patient_search import Person, registered_as
from spinetrack.services.records.read_models import PatientFound
from spinetrack.storage.repositories.patient_side import ConsultationRepository
from spinetrack.storage.tables import ConsultationRequest, Patient
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I, so a reference read out over the phone is not misheard."""
INBOX_PAGE = 50
"""Requests without a warning sign shown per inbox page (urgent ones are never paged)."""
FOLD_WINDOW = timedelta(hours=1)
"""Requests from one address this close together are grouped in the inbox (a burst)."""
CONTACT_WINDOW = timedelta(days=1)
"""Requests with the same e-mail or phone this close together are grouped (one person)."""

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class NewConsultation(BaseModel):
    """What the public form sends. Every screening question for the region must be answered."""

    model_config = ConfigDict(extra="forbid")

    region: Literal["neck", "back", "both"]
    surgery_when: Short | None = None
    surgery_what: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None
    ) = None
    symptoms: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
    ]
    screening: dict[str, bool]
    given_name: Name
    family_name: Name
    birth_date: date | None = None
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()\-. ]{5,40}$")
    contact_preference: Literal["phone", "email"] = "phone"
    consent: bool

    @model_validator(mode="after")
    def _reachable_and_consenting(self) -> "NewConsultation":
        if not self.consent:
            raise ValueError("consent: we can only keep your request if you agree")
        if self.contact_preference == "email" and not self.email:
            raise ValueError("email: give an e-mail address, or choose to be phoned")
        if self.contact_preference == "phone" and not self.phone:
            raise ValueError("phone: give a phone number, or choose e-mail")
        if self.birth_date is not None and self.birth_date > latest_today():
            raise ValueError("birth_date: a date of birth cannot be in the future")
        return self


@dataclass(frozen=True)
class Received:
    id: int
    reference: str
    urgency: Literal["emergency", "same_day"] | None
    raised: list[Question]


@dataclass(frozen=True)
class PublicClinic:
    slug: str
    name: str


class StaffUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["contacted", "closed", "new"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


def public_clinics(*, sessions: UnitOfWorkFactory) -> list[PublicClinic]:
    """The clinics a patient can write to (names only, nothing else about them)."""
    with sessions(read_only=True) as uow:
        return [PublicClinic(c.slug, c.name) for c in uow.clinics.every()]


def check_screening(answers: NewConsultation) -> list[Question]:
    """The warning signs answered 'yes', most urgent first.

    Every question for the surgery's region must be answered; a 'yes' to any question counts,
    even one asked for the other region, because a warning sign is never ignored."""
    everything = screening().questions
    unknown = sorted(set(answers.screening) - {q.id for q in everything})
    if unknown:
        raise InvalidInput(f"screening.{unknown[0]}", "not a screening question")
    for question in screening().for_region(answers.region):
        if question.id not in answers.screening:
            raise InvalidInput(f"screening.{question.id}", "please answer yes or no")
    return raised(everything, {q for q, yes in answers.screening.items() if yes})


def _reference(repo: ConsultationRepository) -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"{code[:4]}-{code[4:]}"
        if not repo.reference_taken(reference):
            return reference


def submit_consultation(
    *,
    sessions: UnitOfWorkFactory,
    clinic_slug: str,
    request: NewConsultation,
    remote: str | None,
) -> Received:
    """Store a request in the clinic's inbox (one audited transaction) and say how urgent it is."""
    check_rate(sessions, consultation_limit(), remote)
    hits = check_screening(request)
    actor = Actor(name="consultation-form", remote=remote)
    with sessions(read_only=True) as uow:
        found = uow.clinics.by_slug(clinic_slug)
        clinic_id = found.id if found is not None else None
    if clinic_id is None:
        raise NotFound("clinic", clinic_slug)
    with audited(sessions, actor, "consultation.create", clinic_id=clinic_id) as work:
        repo = work.uow.consultations(clinic_id)
        fields = request.model_dump(exclude={"screening", "consent"})
        row = repo.add(
            ConsultationRequest(
                reference=_reference(repo),
                urgent=bool(hits),
                red_flags=[q.id for q in hits],
                consent_at=datetime.now(UTC),
                status="new",
                sender=(remote or "")[:64] or None,
                **fields,
            )
        )
        work.target = f"consultation:{row.id}"
        work.detail = "urgent" if hits else ""
        return Received(row.id, row.reference, urgency_of(hits), hits)


class ConsultationView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    received_at: datetime
    urgent: bool
    red_flags: list[str]
    region: str
    surgery_when: str | None
    surgery_what: str | None
    symptoms: str
    given_name: str
    family_name: str
    birth_date: date | None
    email: str | None
    phone: str | None
    contact_preference: str
    status: str
    patient_id: int | None
    sender: str | None = None
    handled_by: str | None
    handled_at: datetime | None
    staff_note: str | None


@dataclass(frozen=True)
class InboxRow:
    """A request as the inbox lists it, with the requests folded under it: the same contact
    details, or the same sending address within `FOLD_WINDOW` (a burst, or a person who wrote
    twice). Folded requests are still listed by reference; nothing is hidden, only grouped."""

    request: ConsultationView
    folded: list[ConsultationView]


@dataclass(frozen=True)
class InboxPage:
    urgent: list[InboxRow]
    """Every urgent request, oldest first, never paged."""
    others: list[InboxRow]
    """One page of the other requests, newest first."""
    page: int
    pages: int
    others_total: int


def _contact(row: ConsultationView) -> str | None:
    if row.email:
        return "email:" + row.email.strip().lower()
    digits = "".join(ch for ch in row.phone or "" if ch.isdigit())
    return "phone:" + digits if len(digits) >= 5 else None


def fold(rows: list[ConsultationView]) -> list[InboxRow]:
    """Group requests from the same person or the same burst under the first of them (in the
    order given): same contact details within a day, or the same address within an hour."""
    groups: list[InboxRow] = []
    by_contact: dict[str, tuple[InboxRow, datetime]] = {}
    by_sender: dict[str, tuple[InboxRow, datetime]] = {}
    for row in rows:
        contact, sender = _contact(row), row.sender
        group = None
        for key, known, window in (
            (contact, by_contact, CONTACT_WINDOW),
            (sender, by_sender, FOLD_WINDOW),
        ):
            seen = known.get(key) if key else None
            if seen and abs(row.received_at - seen[1]) <= window:
                group = seen[0]
                break
        if group is None:
            group = InboxRow(row, [])
            groups.append(group)
        else:
            group.folded.append(row)
        if contact:
            by_contact[contact] = (group, row.received_at)
        if sender:
            by_sender[sender] = (group, row.received_at)
    return groups


def inbox_page(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    open_only: bool = True,
    page: int = 1,
) -> InboxPage:
    """The clinic's inbox: every urgent request first (oldest first), then a page of the rest."""
    with audited(sessions, actor, "consultation.list", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        repo = work.uow.consultations(clinic_id)
        urgent = [ConsultationView.model_validate(r) for r in repo.urgent(open_only=open_only)]
        total = repo.count_others(open_only=open_only)
        pages = max(1, -(-total // INBOX_PAGE))
        page = min(max(1, page), pages)
        others = [
            ConsultationView.model_validate(r)
            for r in repo.others(
                open_only=open_only, offset=(page - 1) * INBOX_PAGE, limit=INBOX_PAGE
            )
        ]
        work.detail = f"returned={len(urgent) + len(others)}"
        work.saw(row.patient_id for row in [*urgent, *others] if row.patient_id is not None)
        return InboxPage(fold(urgent), fold(others), page, pages, total)


def inbox(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, open_only: bool = True
) -> list[ConsultationView]:
    """The first page of the inbox as one list (urgent first), folded requests left out."""
    found = inbox_page(sessions=sessions, actor=actor, clinic_id=clinic_id, open_only=open_only)
    return [row.request for row in found.urgent + found.others]


def open_consultation(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, request_id: int
) -> ConsultationView:
    with audited(sessions, actor, "consultation.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        row = work.uow.consultations(clinic_id).get(request_id)
        work.target = f"consultation:{row.id}"
        work.patient_id = row.patient_id
        return ConsultationView.model_validate(row)


def update_consultation(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    request_id: int,
    update: StaffUpdate,
) -> ConsultationView:
    with audited(sessions, actor, f"consultation.{update.status}", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        row = work.uow.consultations(clinic_id).get(request_id, lock=True)
        work.target = f"consultation:{row.id}"
        if row.status == "converted":
            raise InvalidInput("status", "this request already became a patient record")
        row.status = update.status
        row.staff_note = update.note or row.staff_note
        row.handled_by = actor.name
        row.handled_at = datetime.now(UTC)
        return ConsultationView.model_validate(row)


CONFIRM_NEW = "new_patient_confirmed"
"""The conversion form's box saying none of the patients offered is the requester."""


def _requester(row: ConsultationRequest) -> Person:
    return Person(row.given_name, row.family_name, row.birth_date, row.email)


def existing_records(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, request_id: int
) -> list[PatientFound]:
    """Registered patients who may be the requester (same name and birth date, or e-mail), to
    be offered before a second record is made for the same person."""
    with audited(sessions, actor, "consultation.matches", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        row = work.uow.consultations(clinic_id).get(request_id)
        work.target = f"consultation:{row.id}"
        found = registered_as(work.uow, clinic_id, _requester(row))
        work.saw(p.id for p in found)
        return found


def link_consultation(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    request_id: int,
    patient_id: int | None,
) -> int:
    """The requester is this registered patient: link the request to their record instead of
    making another. One transaction, like a conversion."""
    with audited(sessions, actor, "consultation.link", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        requests = work.uow.consultations(clinic_id)
        row = requests.get(request_id, lock=True)
        work.target = f"consultation:{row.id}"
        if patient_id is None:
            raise InvalidInput("patient_id", "choose one of the patients offered")
        patient = work.uow.patients(clinic_id).get(patient_id)
        if row.status == "converted" or not requests.claim_conversion(row.id):
            raise InvalidInput("status", "this request already became a patient record")
        row.status = "converted"
        row.patient_id = patient.id
        row.handled_by = actor.name
        row.handled_at = datetime.now(UTC)
        work.patient_id = patient.id
        return patient.id


def convert_consultation(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    request_id: int,
    patient: NewPatient,
    new_patient_confirmed: bool = False,
) -> int:
    """Register the requester as a patient and link the request to them; returns the patient id.

    A patient already registered under the same MRN is refused; one with the same name and birth
    date, or the same e-mail, is offered instead (`existing_records`), and a new record is made
    only once the form confirms that none of them is the requester.
    One transaction: either the patient exists and the request says so, or neither changed."""
    with audited(sessions, actor, "consultation.convert", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        requests = work.uow.consultations(clinic_id)
        row = requests.get(request_id, lock=True)
        work.target = f"consultation:{row.id}"
        if row.status == "converted" or not requests.claim_conversion(row.id):
            raise InvalidInput("status", "this request already became a patient record")
        repo = work.uow.patients(clinic_id)
        if repo.by_mrn(patient.mrn) is not None:
            raise InvalidInput("mrn", f"a patient with MRN {patient.mrn!r} is already registered")
        typed = Person(patient.given_name, patient.family_name, patient.birth_date, patient.email)
        known = {p.id: p for p in [*registered_as(work.uow, clinic_id, typed)]}
        known.update({p.id: p for p in registered_as(work.uow, clinic_id, _requester(row))})
        if known and not new_patient_confirmed:
            work.saw(known)
            names = "; ".join(
                f"{p.family_name}, {p.given_name} (MRN {p.mrn})" for p in known.values()
            )
            raise InvalidInput(
                CONFIRM_NEW,
                f"this may be a patient already registered: {names}. Link the request to that "
                "record, or tick the box if the requester is someone else",
            )
        created = repo.add(Patient(**patient.model_dump()))
        row.status = "converted"
        row.patient_id = created.id
        row.handled_by = actor.name
        row.handled_at = datetime.now(UTC)
        work.patient_id = created.id
        return created.id
