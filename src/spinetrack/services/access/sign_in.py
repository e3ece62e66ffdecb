"""Browser sessions and API tokens: how a signed-in person or program is recognised per request.

Sessions expire after `session_hours` and carry their own CSRF token; API tokens last until
revoked. Disabling an account stops both at once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.accounts import actor_for
from spinetrack.services.access.actor import CLINICAL_ROLES, Actor
from spinetrack.services.access.credentials import digest, new_secret
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.tables import ApiToken, WebSession
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

TOKEN_PREFIX = "st_"
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class TokenSummary:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def start_session(*, sessions: UnitOfWorkFactory, actor: Actor) -> tuple[str, str]:
    """A new session for a signed-in actor: returns (cookie value, CSRF token)."""
    token, csrf = new_secret(""), new_secret("")
    with audited(sessions, actor, "session.start", clinic_id=None) as work:
        expires = datetime.now(UTC) + timedelta(hours=get_settings().session_hours)
        work.uow.access.add(
            WebSession(
                token_hash=digest(token),
                user_id=actor.user_id,
                csrf_token=csrf,
                remote=actor.remote,
                expires_at=expires,
            )
        )
    return token, csrf


def session_actor(
    *, sessions: UnitOfWorkFactory, token: str, remote: str | None
) -> tuple[Actor, str]:
    """The actor and CSRF token of a live session, or NotAuthenticated."""
    with sessions(read_only=True) as uow:
        row = uow.access.session_by_digest(digest(token))
        now = datetime.now(UTC)
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise NotAuthenticated("your session has ended; please sign in")
        return actor_for(uow=uow, user_id=row.user_id, remote=remote), row.csrf_token


def end_session(*, sessions: UnitOfWorkFactory, token: str, actor: Actor) -> None:
    with audited(sessions, actor, "session.end", clinic_id=None) as work:
        row = work.uow.access.session_by_digest(digest(token))
        if row is not None and row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)


def create_token(
    *, sessions: UnitOfWorkFactory, actor: Actor, name: str, user_id: int | None = None
) -> tuple[int, str]:
    """A new API token for the actor (or, for the system, any user): (id, token shown once)."""
    owner = user_id if actor.system else actor.user_id
    if owner is None:
        raise InvalidInput("user", "a token belongs to a user account")
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("name", "give the token a name of 1 to 100 characters")
    secret = new_secret(TOKEN_PREFIX)
    with audited(sessions, actor, "token.create", clinic_id=None) as work:
        if work.uow.users.get(owner) is None:
            raise NotFound("user", owner)
        row = ApiToken(token_hash=digest(secret), user_id=owner, name=name)
        work.uow.access.add(row)
        work.target = f"token:{row.id}"
        return row.id, secret


def revoke_token(*, sessions: UnitOfWorkFactory, actor: Actor, token_id: int) -> None:
    with audited(sessions, actor, "token.revoke", clinic_id=None) as work:
        row = work.uow.access.token(token_id)
        if row is None or (not actor.system and row.user_id != actor.user_id):
            raise NotFound("token", token_id)
        row.revoked_at = row.revoked_at or datetime.now(UTC)
        work.target = f"token:{row.id}"


def list_tokens(*, sessions: UnitOfWorkFactory, actor: Actor) -> list[TokenSummary]:
    with sessions(read_only=True) as uow:
        return [
            TokenSummary(t.id, t.name, t.created_at, t.last_used_at, t.revoked_at is not None)
            for t in uow.access.tokens_of(actor.user_id or 0)
        ]


def token_actor(*, sessions: UnitOfWorkFactory, token: str, remote: str | None) -> Actor:
    """The actor behind an API token, or NotAuthenticated (unknown, revoked, or account disabled)."""
    with sessions(autocommit=True) as uow:
        actor, due = token_actor_in(uow, token, remote)
        if due is not None:
            uow.access.touch_token(due, datetime.now(UTC))
        return actor


def token_actor_in(
    uow: UnitOfWork,
    token: str,
    remote: str | None,
    *,
    writing: tuple[int | None, int] | None = None,
) -> tuple[Actor, int | None]:
    """`token_actor` on a unit of work the caller opened, so signing in costs no unit of work of
    its own: the actor, and the token's id when its last use is due to be recorded (`touch`,
    which the caller runs outside its own transaction), else None.

    `writing`: (clinic or None for the holder's only clinic, patient) the caller goes on to lock
    and write with a clinical role; the database may then take that lock in the sign-in's own
    statement (`AccessRepository.token_holder_locking`), and the caller's `lock` costs nothing."""
    if not token.startswith(TOKEN_PREFIX):
        raise NotAuthenticated("unknown or revoked API token")
    if writing is None:
        holder = uow.access.token_holder(digest(token))
    else:
        clinic_id, patient_id = writing
        holder = uow.access.token_holder_locking(
            digest(token), clinic_id=clinic_id, patient_id=patient_id, roles=CLINICAL_ROLES
        )
    if holder is None or holder.revoked_at is not None:
        raise NotAuthenticated("unknown or revoked API token")
    if not holder.active:
        raise NotAuthenticated("this account is disabled")
    now = datetime.now(UTC)
    due = holder.last_used_at is None or now - holder.last_used_at > TOUCH_EVERY
    actor = Actor(name=holder.email, user_id=holder.user_id, roles=holder.roles, remote=remote)
    return actor, holder.token_id if due else None


def touch(*, sessions: UnitOfWorkFactory, token_id: int) -> None:
    """Record that a token was used now (at most every `TOUCH_EVERY`), in a statement of its own:
    inside a clinic's write it would hold the token's row, which the same token's requests in
    another clinic may also want to touch, until that write commits."""
    with sessions(autocommit=True) as uow:
        uow.access.touch_token(token_id, datetime.now(UTC))
