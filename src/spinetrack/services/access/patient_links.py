"""Patient links: a signed, expiring, single-purpose secret that lets one patient answer the
questionnaires chosen for them, and nothing else. The link carries no internal id; it is revocable
and stops working once the questionnaires are submitted.

Answers given one screen at a time are kept on the link as a draft, so a patient who leaves and
comes back with the same link finds them again; the draft is cleared when the answers are stored."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.instruments import get_instrument
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import today_in
from spinetrack.services.access.credentials import digest, new_secret, same, signature
from spinetrack.services.access.rate_limits import check_rate, link_limit
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.record_response import Answer, NewResponse, checked_row
from spinetrack.services.triage.status_change import refresh_and_assess
from spinetrack.storage.tables import PatientLink, PromResponse
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

PURPOSE = "questionnaires"


class NewLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instruments: list[str] = Field(min_length=1, max_length=8)
    valid_days: int = Field(default=14, ge=1, le=60)


class LinkAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responses: list[dict[str, Answer]] = Field(min_length=1, max_length=8)
    """One answer set per instrument of the link, in the link's order."""


@dataclass(frozen=True)
class IssuedLink:
    id: int
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkForm:
    """What the patient's questionnaire pages need: the questionnaires, the answers saved so far,
    the clinic's name (so the patient knows who asks) and the expiry. Nothing about the patient."""

    instruments: list[str]
    expires_at: datetime
    clinic_name: str
    draft: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class LinkSummary:
    """A link as staff see it on the patient's follow-up page."""

    id: int
    instruments: list[str]
    timepoint: str | None
    created_at: datetime
    expires_at: datetime
    state: Literal["open", "answered", "expired", "withdrawn"]
    started: bool


@dataclass(frozen=True)
class LinkView:
    """What the patient's device may know: which questionnaires, until when. No identity."""

    instruments: list[str]
    expires_at: datetime


def _signed(secret: str) -> str:
    return f"{secret}.{signature(get_settings().resolved_secret_key(), PURPOSE + secret)}"


def _seeded_secret(seed: str) -> str:
    return signature(get_settings().resolved_secret_key(), "outbox-link:" + seed, length=43)


def token_for_seed(seed: str) -> str:
    """The link token of a link issued with `seed` (only with the server's key)."""
    return _signed(_seeded_secret(seed))


def _verified(token: str) -> str:
    secret, _, tag = token.rpartition(".")
    if not secret or not same(
        tag, signature(get_settings().resolved_secret_key(), PURPOSE + secret)
    ):
        raise NotFound("link", "(invalid)")
    return secret


def seeded_link_row(
    *,
    clinic_id: int,
    patient_id: int,
    instruments: list[str],
    valid_days: int,
    created_by: str,
    timepoint: str | None,
    seed: str,
) -> PatientLink:
    """A link row whose secret derives from `seed` and the server key, for a caller that adds it
    in its own transaction (the outbox); `token_for_seed(seed)` rebuilds the link at send time,
    so the secret itself is never stored."""
    return PatientLink(
        token_hash=digest(_seeded_secret(seed)),
        clinic_id=clinic_id,
        patient_id=patient_id,
        purpose=PURPOSE,
        instruments=list(instruments),
        created_by=created_by,
        expires_at=datetime.now(UTC) + timedelta(days=valid_days),
        timepoint=timepoint,
    )


def issue_link(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int,
    link: NewLink,
    timepoint: str | None = None,
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
            timepoint=timepoint,
        )
        work.uow.access.add(row)
        work.target = f"link:{row.id}"
        return IssuedLink(row.id, _signed(secret), expires)


def revoke_link(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int, link_id: int
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
    if row.expires_at <= now:
        raise NotFound("link", "(expired)")
    return row


def _audit_refusal(
    sessions: UnitOfWorkFactory, action: str, remote: str | None, refusal: NotFound
) -> None:
    """A forged, used, withdrawn or expired token leaves a `rejected` audit entry, so that someone
    guessing links shows up in the trail; the entry names no clinic or patient."""
    try:
        with audited(
            sessions, Actor(name="patient-link:refused", remote=remote), action, clinic_id=None
        ):
            raise refusal
    except NotFound:
        pass


@contextmanager
def _probe(
    sessions: UnitOfWorkFactory, token: str, action: str, remote: str | None
) -> Iterator[tuple[UnitOfWork, PatientLink]]:
    """Read the live link behind a token, or audit the refusal and raise NotFound.

    Every use of a link passes here, so here each address's requests are counted and limited."""
    check_rate(sessions, link_limit(), remote)
    with sessions(read_only=True) as uow:
        try:
            row = _live(uow, token)
        except NotFound as exc:
            refusal = exc
        else:
            yield uow, row
            return
    _audit_refusal(sessions, action, remote, refusal)
    raise refusal


def open_link(*, sessions: UnitOfWorkFactory, token: str, remote: str | None) -> LinkView:
    with _probe(sessions, token, "link.open", remote) as (_, row):
        view = LinkView(list(row.instruments), row.expires_at)
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
    *, sessions: UnitOfWorkFactory, token: str, answers: LinkAnswers, remote: str | None
) -> int:
    """Store the patient's answers (one transaction), close the link; returns how many were stored."""
    with _probe(sessions, token, "link.answer", remote) as (_, row):
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
        _live(work.uow, token, lock=True)
        now = datetime.now(UTC)
        if not work.uow.access.close_link(link_id, now):
            raise NotFound("link", "(already used)")
        repo = work.uow.patients(clinic_id)
        locked = repo.lock(patient_id)  # as a staff submission does: one recompute at a time
        for i, (instrument, given) in enumerate(zip(instruments, answers.responses, strict=True)):
            if not any(value is not None for value in given.values()):
                raise InvalidInput(
                    f"responses.{i}", "no question of this questionnaire is answered"
                )
            response = NewResponse(
                instrument=instrument, completed_at=now, answers=given, source="patient_link"
            )
            try:
                fields = checked_row(response)
            except InvalidInput as exc:
                raise InvalidInput(f"responses.{i}.{exc.field}", exc.reason) from exc
            repo.add_row(PromResponse(patient_id=patient_id, **fields))
        # The stored status is read after the lock (`refresh_and_assess`), never with it.
        refresh_and_assess(repo, patient_id, today_in(locked.zone), after_response=True)
        work.target = f"link:{link_id}"
        return len(instruments)


def _link_actor(link_id: int, remote: str | None) -> Actor:
    return Actor(name=f"patient-link:{link_id}", remote=remote)


def open_form(*, sessions: UnitOfWorkFactory, token: str, remote: str | None) -> LinkForm:
    """The questionnaire pages of a live link (audited as an opening); NotFound otherwise."""
    with _probe(sessions, token, "link.open", remote) as (uow, row):
        clinic = uow.clinics.get(row.clinic_id)
        form = LinkForm(
            instruments=list(row.instruments),
            expires_at=row.expires_at,
            clinic_name=clinic.name if clinic else "",
            draft=_draft_of(row),
        )
        link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
    with audited(
        sessions,
        _link_actor(link_id, remote),
        "link.open",
        clinic_id=clinic_id,
        patient_id=patient_id,
    ):
        pass
    return form


def _draft_of(row: PatientLink) -> dict[str, dict[str, int]]:
    saved: dict[str, Any] = row.draft or {}
    return {
        instrument: {item: int(value) for item, value in (saved.get(instrument) or {}).items()}
        for instrument in row.instruments
    }


def save_answer(
    *,
    sessions: UnitOfWorkFactory,
    token: str,
    instrument: str,
    item: str,
    value: int | None,
    remote: str | None,
) -> None:
    """Keep one answer (or clear it, with None) in the link's draft; checked against the item."""
    with _probe(sessions, token, "link.draft", remote) as (_, row):
        link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
    with audited(
        sessions,
        _link_actor(link_id, remote),
        "link.draft",
        clinic_id=clinic_id,
        patient_id=patient_id,
    ) as work:
        link = _live(work.uow, token, lock=True)
        if instrument not in link.instruments:
            raise InvalidInput("instrument", "not a questionnaire of this link")
        definition = get_instrument(instrument)
        try:
            question = definition.item(item)
        except KeyError:
            raise InvalidInput("item", f"not a question of {definition.id}") from None
        if value is not None and not question.min <= value <= question.max:
            raise InvalidInput("value", f"choose one of the answers {question.min}-{question.max}")
        draft = _draft_of(link)
        if value is None:
            draft[instrument].pop(item, None)
        else:
            draft[instrument][item] = value
        link.draft = draft
        link.draft_saved_at = datetime.now(UTC)
        work.target = f"link:{link_id}"
        work.detail = f"{instrument}.{item}"


def submit_draft(*, sessions: UnitOfWorkFactory, token: str, remote: str | None) -> int:
    """Store the saved answers as responses (one per questionnaire) and close the link."""
    with _probe(sessions, token, "link.answer", remote) as (_, row):
        draft = _draft_of(row)
        instruments = list(row.instruments)
    given: list[dict[str, int | float | None]] = [dict(draft[i]) for i in instruments]
    return answer_link(
        sessions=sessions, token=token, answers=LinkAnswers(responses=given), remote=remote
    )


def link_answered(*, sessions: UnitOfWorkFactory, token: str) -> bool:
    """Whether a genuine link has been answered (for the thank-you page after a submission).

    A forged or unknown token answers False, exactly like a link that is merely open or gone."""
    try:
        secret = _verified(token)
    except NotFound:
        return False
    with sessions(read_only=True) as uow:
        row = uow.access.link_by_digest(digest(secret))
        return row is not None and row.used_at is not None and row.revoked_at is None


def _state(row: PatientLink, now: datetime) -> Literal["open", "answered", "expired", "withdrawn"]:
    if row.used_at:
        return "answered"
    if row.revoked_at:
        return "withdrawn"
    return "expired" if row.expires_at <= now else "open"


def summarize_link(row: PatientLink, now: datetime) -> LinkSummary:
    return LinkSummary(
        id=row.id,
        instruments=list(row.instruments),
        timepoint=row.timepoint,
        created_at=row.created_at,
        expires_at=row.expires_at,
        state=_state(row, now),
        started=bool(row.draft and any(row.draft.values())),
    )


def list_links(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> list[LinkSummary]:
    """The links issued to a patient, newest first, with what became of each."""
    with audited(sessions, actor, "link.list", clinic_id=clinic_id, patient_id=patient_id) as work:
        actor.require(clinic_id)
        work.uow.patients(clinic_id).get(patient_id)
        now = datetime.now(UTC)
        rows = work.uow.access.links_of(clinic_id, patient_id)
        return [summarize_link(row, now) for row in reversed(rows)]


def answered_link(uow: UnitOfWork, token: str) -> PatientLink:
    """The link behind a token once its questionnaires are sent, while it has not expired or been
    withdrawn: the patient's own results are shown on it for as long as the link would have lived.
    NotFound for anything else, exactly like an unusable questionnaire link."""
    row = uow.access.link_by_digest(digest(_verified(token)))
    if row is None or row.purpose != PURPOSE or row.revoked_at or not row.used_at:
        raise NotFound("link", "(not answered)")
    if row.expires_at <= datetime.now(UTC):
        raise NotFound("link", "(expired)")
    return row
