"""Clinics and user accounts: argon2-hashed passwords, a role per clinic, lock-out after repeated
failures, and the management commands an administrator needs."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.actor import ROLES, Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.errors import NotAuthenticated
from spinetrack.services.login_throttle import throttle
from spinetrack.storage.tables import Clinic, Membership, User
from spinetrack.storage.unit_of_work import UnitOfWork

MIN_PASSWORD = 10
ADMINS = frozenset({"admin"})
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account is unknown, so a wrong e-mail takes as long as a
    wrong password; made on first sign-in, not at import (hashing costs a third of a second)."""
    return _hasher.hash("spinetrack-timing-equaliser")


WRONG = "wrong e-mail or password"


@dataclass(frozen=True)
class UserSummary:
    id: int
    email: str
    full_name: str
    active: bool
    roles: dict[int, str]
    locked_until: datetime | None


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field, f"use at least {MIN_PASSWORD} characters")
    if password.isdigit() or password.isalpha():
        raise InvalidInput(field, "mix letters with digits or symbols")
    if len(set(password)) < 5:
        raise InvalidInput(field, "use more different characters")


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def create_clinic(*, sessions: sessionmaker[Session], actor: Actor, slug: str, name: str) -> int:
    with audited(sessions, actor, "clinic.create", clinic_id=None) as work:
        if work.uow.clinics.by_slug(slug) is not None:
            raise InvalidInput("slug", f"clinic {slug!r} already exists")
        clinic = work.uow.clinics.add(Clinic(slug=slug, name=name))
        work.clinic_id = clinic.id
        return clinic.id


def hash_password(password: str) -> str:
    """An argon2 hash of ``password`` (checked for strength first)."""
    check_password_strength(password)
    return str(_hasher.hash(password))


def create_user(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    email: str,
    full_name: str,
    password: str,
    clinic_id: int,
    role: str,
    password_hash: str | None = None,
) -> int:
    """Create an account with a role in a clinic. ``password_hash``, when given, is the
    `hash_password` of ``password`` made once for several accounts that share one published
    password (the demo clinic's eight: a third of a second of hashing each)."""
    with audited(sessions, actor, "user.create", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        if role not in ROLES:
            raise InvalidInput("role", "expected one of " + ", ".join(sorted(ROLES)))
        check_password_strength(password)
        email = email.strip().lower()
        if "@" not in email:
            raise InvalidInput("email", f"{email!r} is not an e-mail address")
        existing = work.uow.users.by_email(email)
        if existing is not None:
            if clinic_id in work.uow.users.memberships(existing.id):
                raise InvalidInput("email", f"{email} already has an account in this clinic")
            raise InvalidInput("email", f"{email} already has an account; add it to the clinic")
        user = work.uow.users.add(
            User(
                email=email,
                full_name=full_name,
                password_hash=password_hash or _hasher.hash(password),
            )
        )
        work.uow.users.add_membership(Membership(user_id=user.id, clinic_id=clinic_id, role=role))
        work.target = f"user:{user.id}"
        return user.id


def _failed(user: User | None, now: datetime) -> None:
    if user is None:
        return
    settings = get_settings()
    user.failed_logins += 1
    if user.failed_logins >= settings.login_failures_before_lockout:
        user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0


def _password_matches(user: User | None, password: str) -> bool:
    stored = user.password_hash if user and user.is_active else _dummy_hash()
    try:
        return bool(_hasher.verify(stored, password)) and user is not None and user.is_active
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    *, sessions: sessionmaker[Session], email: str, password: str, remote: str | None = None
) -> Actor:
    """Check a password sign-in. The attempt is audited with its address, and a failure still
    commits the account's failure count, so lock-out survives the rejected request."""
    email = email.strip().lower()[:254]
    failure: str | None = None
    with audited(sessions, Actor(name=email, remote=remote), "login", clinic_id=None) as work:
        user = work.uow.users.by_email(email)
        now = datetime.now(UTC)
        locked = user is not None and (_aware(user.locked_until) or now) > now
        if not throttle.allow(remote):
            failure = "too many sign-in attempts from this address; wait a few minutes"
        elif locked:
            failure = "too many failed attempts on this account; try again later"
        elif not _password_matches(user, password):
            _failed(user, now)
            failure = WRONG
        if failure or user is None:
            work.outcome, work.detail = "rejected", failure or WRONG
        else:
            user.failed_logins, user.locked_until = 0, None
            work.target = f"user:{user.id}"
            signed_in = Actor(
                name=user.email,
                user_id=user.id,
                roles=work.uow.users.memberships(user.id),
                remote=remote,
            )
    if failure:
        raise NotAuthenticated(failure)
    return signed_in


def actor_for(*, uow: UnitOfWork, user_id: int, remote: str | None) -> Actor:
    """The acting user behind a session or token, if still active."""
    user = uow.users.get(user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("this account is disabled")
    return Actor(
        name=user.email, user_id=user.id, roles=uow.users.memberships(user.id), remote=remote
    )


def list_users(
    *, sessions: sessionmaker[Session], actor: Actor, clinic_id: int
) -> list[UserSummary]:
    with audited(sessions, actor, "user.list", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        return [
            UserSummary(
                u.id,
                u.email,
                u.full_name,
                u.is_active,
                work.uow.users.memberships(u.id),
                _aware(u.locked_until),
            )
            for u in work.uow.users.members(clinic_id)
        ]


def _member(uow: UnitOfWork, actor: Actor, email: str) -> User:
    user = uow.users.by_email(email)
    if user is None:
        raise NotFound("user", email)
    clinics = uow.users.memberships(user.id)
    if not actor.system and not any(actor.roles.get(c) == "admin" for c in clinics):
        raise NotFound("user", email)
    return user


def disable_user(*, sessions: sessionmaker[Session], actor: Actor, email: str) -> None:
    """Disable an account: its sessions and tokens stop working at once."""
    with audited(sessions, actor, "user.disable", clinic_id=None) as work:
        user = _member(work.uow, actor, email)
        user.is_active = False
        work.target = f"user:{user.id}"


def reset_password(
    *, sessions: sessionmaker[Session], actor: Actor, email: str, new_password: str
) -> None:
    with audited(sessions, actor, "user.reset_password", clinic_id=None) as work:
        user = _member(work.uow, actor, email)
        check_password_strength(new_password)
        user.password_hash = _hasher.hash(new_password)
        user.failed_logins, user.locked_until = 0, None
        work.uow.access.revoke_sessions(user.id)
        work.target = f"user:{user.id}"


def change_password(
    *, sessions: sessionmaker[Session], actor: Actor, current: str, new_password: str
) -> None:
    """The signed-in user changes their own password; other sessions are signed out."""
    with audited(sessions, actor, "user.change_password", clinic_id=None) as work:
        user = work.uow.users.get(actor.user_id or 0)
        if user is None or not _password_matches(user, current):
            raise InvalidInput("current_password", "the current password is not right")
        check_password_strength(new_password, "new_password")
        if new_password == current:
            raise InvalidInput("new_password", "choose a password different from the current one")
        user.password_hash = _hasher.hash(new_password)
        work.uow.access.revoke_sessions(user.id)
        work.target = f"user:{user.id}"


def user_ids(*, sessions: sessionmaker[Session], emails: list[str]) -> list[int]:
    """Ids of the accounts with these e-mails, in the same order; an unknown e-mail is an error."""
    with UnitOfWork(sessions) as uow:
        ids = []
        for email in emails:
            user = uow.users.by_email(email)
            if user is None:
                raise InvalidInput("email", f"no account for {email}")
            ids.append(user.id)
        return ids
