"""Clinics and user accounts: argon2-hashed passwords, a role per clinic, lock-out after repeated
failures, and the management commands an administrator needs."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.actor import ROLES, Actor
from spinetrack.services.access.errors import AccessDenied, NotAuthenticated
from spinetrack.services.access.login_throttle import login_allowed
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.tables import Clinic, Membership, User
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

MIN_PASSWORD = 10
MIN_STRENGTH = 3
"""zxcvbn's score 3: "safely unguessable", about 10^8 guesses (0-2 fall to online guessing)."""
ADMINS = frozenset({"admin"})
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account is unknown, so a wrong e-mail takes as long as a
    wrong password; made on first sign-in, not at import (hashing costs a third of a second)."""
    return _hasher.hash("spinetrack-timing-equaliser")


CURRENT_WRONG = "the current password is not right, or too many failed attempts: try again later"
WRONG = "wrong e-mail or password, or too many failed attempts: try again later"


@dataclass(frozen=True)
class UserSummary:
    id: int
    email: str
    full_name: str
    active: bool
    roles: dict[int, str]
    locked_until: datetime | None


def check_password_strength(password: str, field: str = "password", email: str = "") -> None:
    """Refuse passwords a guesser tries early: too short or too uniform, built on the account's own
    e-mail, or rated below "safely unguessable" by zxcvbn, whose lists of common passwords, words
    and names (from leaked-password corpora and word frequencies) catch "password123" and
    "Password1!" alike."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(field, f"use at least {MIN_PASSWORD} characters")
    if password.isdigit() or password.isalpha():
        raise InvalidInput(field, "mix letters with digits or symbols")
    if len(set(password)) < 5:
        raise InvalidInput(field, "use more different characters")
    email = email.strip().lower()
    own = [part for part in (email, email.partition("@")[0]) if len(part) >= 3]
    if any(part in password.lower() for part in own):
        raise InvalidInput(field, "do not build the password from your e-mail address")
    # zxcvbn's own cut-off is 72 characters (longer input is not rated, and costs time).
    if zxcvbn(password[:72], user_inputs=own)["score"] < MIN_STRENGTH:
        raise InvalidInput(
            field, "this password is too common or easy to guess; try a few unrelated words"
        )


def create_clinic(*, sessions: UnitOfWorkFactory, actor: Actor, slug: str, name: str) -> int:
    with audited(sessions, actor, "clinic.create", clinic_id=None) as work:
        if work.uow.clinics.by_slug(slug) is not None:
            raise InvalidInput("slug", f"clinic {slug!r} already exists")
        clinic = work.uow.clinics.add(Clinic(slug=slug, name=name))
        work.clinic_id = clinic.id
        return clinic.id


@dataclass(frozen=True)
class ClinicSummary:
    id: int
    slug: str
    name: str
    members: int


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def create_clinic_checked(
    *, sessions: UnitOfWorkFactory, actor: Actor, slug: str, name: str
) -> int:
    """A new clinic, for the CLI: the slug is the public form's address, so it is checked."""
    slug, name = slug.strip().lower(), name.strip()
    if not SLUG.match(slug):
        raise InvalidInput("slug", "use 2-63 lower-case letters, digits and hyphens")
    if not 1 <= len(name) <= 200:
        raise InvalidInput("name", "give the clinic a name of 1 to 200 characters")
    if not actor.system:
        raise AccessDenied("clinics are created from the command line")
    return create_clinic(sessions=sessions, actor=actor, slug=slug, name=name)


PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,38}$")


def set_clinic_phone(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, phone: str | None
) -> None:
    """The number a patient's results page tells them to call (None: name the clinic only);
    admins of the clinic or the command line."""
    cleaned = phone.strip() if phone else None
    if cleaned is not None and not PHONE.match(cleaned):
        raise InvalidInput("phone", "digits, spaces, brackets, hyphens and a leading + only")
    with audited(sessions, actor, "clinic.contact", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        clinic = work.uow.clinics.get(clinic_id)
        if clinic is None:
            raise InvalidInput("clinic", "no such clinic")
        clinic.contact_phone = cleaned or None
        work.detail = "phone set" if cleaned else "phone removed"


def list_clinics(*, sessions: UnitOfWorkFactory, actor: Actor) -> list[ClinicSummary]:
    """Every clinic for the system; a user sees the clinics they belong to."""
    with audited(sessions, actor, "clinic.list", clinic_id=None) as work:
        return [
            ClinicSummary(clinic.id, clinic.slug, clinic.name, members)
            for clinic, members in work.uow.clinics.with_member_counts()
            if actor.system or clinic.id in actor.roles
        ]


def add_member(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    email: str,
    clinic_id: int,
    role: str,
) -> None:
    """Give an existing account a role in one more clinic (its password and other roles stay)."""
    with audited(sessions, actor, "user.add_to_clinic", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        if role not in ROLES:
            raise InvalidInput("role", "expected one of " + ", ".join(sorted(ROLES)))
        user = work.uow.users.by_email(email.strip().lower())
        if user is None:
            raise InvalidInput("email", f"no account for {email.strip().lower()}")
        if clinic_id in work.uow.users.memberships(user.id):
            raise InvalidInput("email", f"{user.email} already has a role in this clinic")
        work.uow.users.add_membership(Membership(user_id=user.id, clinic_id=clinic_id, role=role))
        work.target = f"user:{user.id}"
        work.detail = role


def hash_password(password: str) -> str:
    """An argon2 hash of ``password`` (checked for strength first)."""
    check_password_strength(password)
    return str(_hasher.hash(password))


def create_user(
    *,
    sessions: UnitOfWorkFactory,
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
        email = email.strip().lower()
        if "@" not in email:
            raise InvalidInput("email", f"{email!r} is not an e-mail address")
        check_password_strength(password, email=email)
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


def _password_matches(user: User | None, password: str) -> bool:
    stored = user.password_hash if user and user.is_active else _dummy_hash()
    try:
        return bool(_hasher.verify(stored, password)) and user is not None and user.is_active
    except (VerificationError, InvalidHashError):
        return False


def _matched_hash(
    sessions: UnitOfWorkFactory, password: str, *, email: str = "", user_id: int = 0
) -> str | None:
    """The stored hash the password matches, or None (unknown, disabled or wrong).

    Checked before the write transaction that counts the attempt: the hash costs the better part
    of a second by design, and on SQLite the write lock is shared by every writer. An unknown
    account costs the same check as a real one, so timing tells nothing."""
    with sessions(read_only=True) as uow:
        user = uow.users.by_email(email) if email else uow.users.get(user_id)
        return user.password_hash if _password_matches(user, password) and user else None


def _counted(uow: UnitOfWork, user: User | None, matched: str | None) -> bool:
    """Count one password attempt toward the account's lock-out; whether it signs in.

    The attempt is counted in the database (`claim_attempt`), so concurrent guesses cannot all
    read "4 failures so far": once the count reaches the limit the account is locked, and every
    attempt counted after that fails whatever its password. A password changed since it was
    checked does not count as right."""
    if user is None:
        return False
    settings = get_settings()
    now = datetime.now(UTC)
    limit = settings.login_failures_before_lockout
    attempts = uow.users.claim_attempt(user.id, now)
    if attempts is None:
        return False
    if attempts <= limit and matched is not None and matched == user.password_hash:
        uow.users.clear_attempts(user.id)
        return True
    if attempts >= limit:
        uow.users.lock(user.id, now + timedelta(minutes=settings.lockout_minutes))
    return False


def authenticate(
    *, sessions: UnitOfWorkFactory, email: str, password: str, remote: str | None = None
) -> Actor:
    """Check a password sign-in. The attempt is audited with its address, and a failure still
    commits the account's failure count, so lock-out survives the rejected request. An unknown
    account, a wrong password and a locked account get the same answer, so the answer neither
    confirms that an e-mail has an account nor tells a guesser when to stop."""
    email = email.strip().lower()[:254]
    failure: str | None = None
    allowed = login_allowed(sessions, remote)
    matched = _matched_hash(sessions, password, email=email) if allowed else None
    with audited(sessions, Actor(name=email, remote=remote), "login", clinic_id=None) as work:
        user = work.uow.users.by_email(email)
        if not allowed:
            failure = "too many sign-in attempts from this address; wait a few minutes"
        elif not _counted(work.uow, user, matched):
            failure = WRONG
        if failure or user is None:
            work.outcome, work.detail = "rejected", failure or WRONG
        else:
            work.target = f"user:{user.id}"
            signed_in = Actor(
                name=user.email,
                full_name=user.full_name,
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
        name=user.email,
        full_name=user.full_name,
        user_id=user.id,
        roles=uow.users.memberships(user.id),
        remote=remote,
    )


def list_users(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> list[UserSummary]:
    with audited(sessions, actor, "user.list", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        return [
            UserSummary(
                u.id,
                u.email,
                u.full_name,
                u.is_active,
                work.uow.users.memberships(u.id),
                u.locked_until,
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


def _full_name(text: str) -> str:
    """The name colleagues see on pages in place of the e-mail; refused when blank or too long."""
    name = " ".join(text.split())
    if not 1 <= len(name) <= 200:
        raise InvalidInput("full_name", "give a name of 1 to 200 characters")
    return name


def rename_user(*, sessions: UnitOfWorkFactory, actor: Actor, email: str, full_name: str) -> str:
    """Set the name pages show for an account (the command line, or an admin of its clinic)."""
    name = _full_name(full_name)
    with audited(sessions, actor, "user.rename", clinic_id=None) as work:
        user = _member(work.uow, actor, email)
        user.full_name = name
        work.target = f"user:{user.id}"
        return name


def rename_self(*, sessions: UnitOfWorkFactory, actor: Actor, full_name: str) -> str:
    """The signed-in user sets the name pages show for them."""
    name = _full_name(full_name)
    with audited(sessions, actor, "user.rename", clinic_id=None) as work:
        user = work.uow.users.get(actor.user_id or 0)
        if user is None:
            raise NotFound("user", actor.name)
        user.full_name = name
        work.target = f"user:{user.id}"
        return name


def disable_user(*, sessions: UnitOfWorkFactory, actor: Actor, email: str) -> None:
    """Disable an account: its sessions and tokens stop working at once."""
    with audited(sessions, actor, "user.disable", clinic_id=None) as work:
        user = _member(work.uow, actor, email)
        user.is_active = False
        work.target = f"user:{user.id}"


def reset_password(
    *, sessions: UnitOfWorkFactory, actor: Actor, email: str, new_password: str
) -> None:
    with audited(sessions, actor, "user.reset_password", clinic_id=None) as work:
        user = _member(work.uow, actor, email)
        check_password_strength(new_password, email=user.email)
        user.password_hash = _hasher.hash(new_password)
        user.failed_logins, user.locked_until = 0, None
        work.uow.access.revoke_sessions(user.id)
        work.uow.access.revoke_tokens(user.id)
        work.target = f"user:{user.id}"


def change_password(
    *, sessions: UnitOfWorkFactory, actor: Actor, current: str, new_password: str
) -> None:
    """The signed-in user changes their own password; other sessions are signed out."""
    refused = False
    matched = _matched_hash(sessions, current, user_id=actor.user_id or 0)
    with audited(sessions, actor, "user.change_password", clinic_id=None) as work:
        user = work.uow.users.get(actor.user_id or 0)
        # Checked and counted like a sign-in: a stolen session must not become a way to guess the
        # password without limit. The refusal is recorded without raising, so the count commits.
        if not _counted(work.uow, user, matched):
            refused, work.outcome, work.detail = True, "rejected", CURRENT_WRONG
        else:
            assert user is not None
            check_password_strength(new_password, "new_password", user.email)
            if new_password == current:
                raise InvalidInput(
                    "new_password", "choose a password different from the current one"
                )
            user.password_hash = _hasher.hash(new_password)
            work.uow.access.revoke_sessions(user.id)
            work.target = f"user:{user.id}"
    if refused:
        raise InvalidInput("current_password", CURRENT_WRONG)


def user_ids(*, sessions: UnitOfWorkFactory, emails: list[str]) -> list[int]:
    """Ids of the accounts with these e-mails, in the same order; an unknown e-mail is an error."""
    with sessions() as uow:
        ids = []
        for email in emails:
            user = uow.users.by_email(email)
            if user is None:
                raise InvalidInput("email", f"no account for {email}")
            ids.append(user.id)
        return ids
