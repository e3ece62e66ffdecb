"""Patient links: a signed, expiring, single-purpose secret that lets one patient answer the
questionnaires chosen for them, and nothing else. The link carries no internal id; it is revocable
and stops working once the questionnaires are submitted."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.instruments import get_instrument
from spinetrack.services.actor import Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.credentials import digest, new_secret, same, signature
from spinetrack.services.patient_status import refresh_outcome
from spinetrack.services.record_response import NewResponse, checked_row
from spinetrack.storage.tables import PatientLink, PromResponse
from spinetrack.storage.unit_of_work import UnitOfWork

PURPOSE = "questionnaires"
GONE = "this link is not valid: it may have expired, been used or been withdrawn"


class NewLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instruments: list[str] = Field(min_length=1, max_length=8)
    valid_days: int = Field(default=14, ge=1, le=60)


class LinkAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responses: list[dict[str, int | float | None]] = Field(min_length=1, max_length=8)
    """One answer set per instrument of the link, in the link's order."""


@dataclass(frozen=True)
class IssuedLink:
    id: int
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkView:
    """What the patient's device may know: which questionnaires, until when. No identity."""

    instruments: list[str]
    expires_at: datetime


def _signed(secret: str) -> str:
    return f"{secret}.{signature(get_settings().resolved_secret_key(), PURPOSE + secret)}"


def _verified(token: str) -> str:
    secret, _, tag = token.rpartition(".")
    if not secret or not same(
        tag, signature(get_settings().resolved_secret_key(), PURPOSE + secret)
    ):
        raise NotFound("link", "(invalid)")
    return secret


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def issue_link(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, patient_id: int, link: NewLink
) -> IssuedLink:
    for i, instrument in enumerate(link.instruments):
        try:
            get_instrument(instrument)
        except InvalidInput as exc:
            raise InvalidInput(f"instruments.{i}", exc.reason) from exc
    secret = new_secret("")
    with audited(
        sessions, actor, "link.create", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        expires = datetime.now(UTC) + timedelta(days=link.valid_days)
        row = PatientLink(
            token_hash=digest(secret),
            clinic_id=clinic_id,
            patient_id=patient_id,
            purpose=PURPOSE,
            instruments=list(link.instruments),
            created_by=actor.name,
            expires_at=expires,
        )
        work.uow.access.add(row)
        work.target = f"link:{row.id}"
        return IssuedLink(row.id, _signed(secret), expires)


def revoke_link(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int, patient_id: int, link_id: int
) -> None:
    with audited(
        sessions, actor, "link.revoke", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        row = {r.id: r for r in work.uow.access.links_of(clinic_id, patient_id)}.get(link_id)
        if row is None:
            raise NotFound("link", link_id)
        row.revoked_at = row.revoked_at or datetime.now(UTC)
        work.target = f"link:{row.id}"


def _live(uow: UnitOfWork, token: str, *, lock: bool = False) -> PatientLink:
    row = uow.access.link_by_digest(digest(_verified(token)), lock=lock)
    now = datetime.now(UTC)
    if row is None or row.purpose != PURPOSE or row.revoked_at or row.used_at:
        raise NotFound("link", "(not valid)")
    if _aware(row.expires_at) <= now:
        raise NotFound("link", "(expired)")
    return row


def open_link(*, sessions: sessionmaker[Session], token: str, remote: str | None) -> LinkView:
    with UnitOfWork(sessions) as uow:
        row = _live(uow, token)
        view = LinkView(list(row.instruments), _aware(row.expires_at))
        link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
    with audited(
        sessions,
        Actor(name=f"patient-link:{link_id}", remote=remote),
        "link.open",
        clinic_id=clinic_id,
        patient_id=patient_id,
    ):
        pass
    return view


def answer_link(
    *, sessions: sessionmaker[Session], token: str, answers: LinkAnswers, remote: str | None
) -> int:
    """Store the patient's answers (one transaction), close the link; returns how many were stored."""
    with UnitOfWork(sessions) as probe:
        row = _live(probe, token)
        link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
        instruments = list(row.instruments)
    if len(answers.responses) != len(instruments):
        raise InvalidInput(
            "responses", f"expected {len(instruments)} answer sets, one per questionnaire"
        )
    actor = Actor(name=f"patient-link:{link_id}", remote=remote)
    with audited(
        sessions, actor, "link.answer", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        link = _live(work.uow, token, lock=True)
        repo = work.uow.patients(clinic_id)
        now = datetime.now(UTC)
        for i, (instrument, given) in enumerate(zip(instruments, answers.responses, strict=True)):
            response = NewResponse(
                instrument=instrument, completed_at=now, answers=given, source="patient_link"
            )
            try:
                fields = checked_row(response)
            except InvalidInput as exc:
                raise InvalidInput(f"responses.{i}.{exc.field}", exc.reason) from exc
            repo.add_row(PromResponse(patient_id=patient_id, **fields))
        link.used_at = now
        refresh_outcome(repo, patient_id)
        work.target = f"link:{link_id}"
        return len(instruments)
