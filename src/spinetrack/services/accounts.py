"""Clinics, users and sign-in: argon2-hashed passwords and a role per clinic."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.actor import ROLES, Actor
from spinetrack.services.audit_log import audited
from spinetrack.services.errors import NotAuthenticated
from spinetrack.storage.tables import Clinic, Membership, User
from spinetrack.storage.unit_of_work import UnitOfWork

MIN_PASSWORD = 10
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("spinetrack-timing-equaliser")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"use at least {MIN_PASSWORD} characters")
    if password.isdigit() or password.isalpha():
        raise InvalidInput("password", "mix letters with digits or symbols")


def create_clinic(*, sessions: sessionmaker[Session], actor: Actor, slug: str, name: str) -> int:
    with audited(sessions, actor, "clinic.create", clinic_id=None) as work:
        if work.uow.clinics.by_slug(slug) is not None:
            raise InvalidInput("slug", f"clinic {slug!r} already exists")
        clinic = work.uow.clinics.add(Clinic(slug=slug, name=name))
        work.clinic_id = clinic.id
        return clinic.id


def create_user(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    email: str,
    full_name: str,
    password: str,
    clinic_id: int,
    role: str,
) -> int:
    with audited(sessions, actor, "user.create", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin"}))
        if role not in ROLES:
            raise InvalidInput("role", "expected one of " + ", ".join(sorted(ROLES)))
        check_password_strength(password)
        email = email.strip().lower()
        if work.uow.users.by_email(email) is not None:
            raise InvalidInput("email", f"{email} already has an account")
        user = work.uow.users.add(
            User(email=email, full_name=full_name, password_hash=_hasher.hash(password))
        )
        work.uow.users.add_membership(Membership(user_id=user.id, clinic_id=clinic_id, role=role))
        work.target = f"user:{user.id}"
        return user.id


def authenticate(
    *, sessions: sessionmaker[Session], email: str, password: str, remote: str | None = None
) -> Actor:
    """The signed-in actor, or NotAuthenticated. Both outcomes are audited."""
    with UnitOfWork(sessions) as uow:
        user = uow.users.by_email(email)
        stored = user.password_hash if user and user.is_active else _DUMMY_HASH
        try:
            ok = _hasher.verify(stored, password) and user is not None and user.is_active
        except (VerificationError, InvalidHashError):
            ok = False
        signed_in = (user.id, user.email, uow.users.memberships(user.id)) if ok and user else None
    if signed_in is None:
        attempt = Actor(name=email.strip().lower()[:254], remote=remote)
        with audited(sessions, attempt, "login", clinic_id=None):
            raise NotAuthenticated("wrong e-mail or password")
    user_id, user_email, roles = signed_in
    return Actor(name=user_email, user_id=user_id, roles=roles, remote=remote)


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
