"""Clinics and their people: looked up by slug and by e-mail, never scoped (they define the scope)."""

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from spinetrack.storage.tables import Clinic, Membership, User


class ClinicRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def by_slug(self, slug: str) -> Clinic | None:
        return self._session.scalar(select(Clinic).where(Clinic.slug == slug))

    def get(self, clinic_id: int) -> Clinic | None:
        return self._session.get(Clinic, clinic_id)

    def add(self, clinic: Clinic) -> Clinic:
        self._session.add(clinic)
        self._session.flush()
        return clinic

    def some_ids(self, limit: int) -> list[int]:
        """Up to ``limit`` clinic ids (two tell "exactly one clinic" from "several")."""
        return list(self._session.scalars(select(Clinic.id).order_by(Clinic.id).limit(limit)))

    def every(self) -> list[Clinic]:
        """Every clinic, by name: the public consultation form lets a patient pick one."""
        return list(self._session.scalars(select(Clinic).order_by(Clinic.name, Clinic.id)))

    def with_member_counts(self) -> list[tuple[Clinic, int]]:
        """Every clinic by slug, with how many accounts have a role in it."""
        query = (
            select(Clinic, func.count(Membership.user_id))
            .outerjoin(Membership, Membership.clinic_id == Clinic.id)
            .group_by(Clinic.id)
            .order_by(Clinic.slug)
        )
        return [(clinic, int(count)) for clinic, count in self._session.execute(query)]


class UserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def by_email(self, email: str) -> User | None:
        return self._session.scalar(select(User).where(User.email == email.strip().lower()))

    def get(self, user_id: int) -> User | None:
        return self._session.get(User, user_id)

    def add(self, user: User) -> User:
        self._session.add(user)
        self._session.flush()
        return user

    def claim_attempt(self, user_id: int, now: datetime) -> int | None:
        """Count one password attempt on an account that is not locked, in the database: the new
        count, or None while it is locked. The row stays locked until commit (PostgreSQL; SQLite
        holds its write lock from BEGIN), so concurrent guesses are counted one after another
        instead of all reading the same count."""
        statement = (
            update(User)
            .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
            .values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
            .execution_options(synchronize_session=False)
        )
        return self._session.execute(statement).scalar_one_or_none()

    def lock(self, user_id: int, until: datetime) -> None:
        self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(locked_until=until, failed_logins=0)
            .execution_options(synchronize_session=False)
        )

    def clear_attempts(self, user_id: int) -> None:
        self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(locked_until=None, failed_logins=0)
            .execution_options(synchronize_session=False)
        )

    def add_membership(self, membership: Membership) -> None:
        self._session.add(membership)
        self._session.flush()

    def names_by_email(self, emails: list[str]) -> dict[str, str]:
        """E-mail -> full name of the users among `emails` (records store who acted by e-mail)."""
        if not emails:
            return {}
        rows = self._session.execute(
            select(User.email, User.full_name).where(User.email.in_(sorted(set(emails))))
        )
        return {email: name for email, name in rows}

    def memberships(self, user_id: int) -> dict[int, str]:
        """Clinic id -> role for one user."""
        rows = self._session.execute(
            select(Membership.clinic_id, Membership.role).where(Membership.user_id == user_id)
        )
        return {clinic_id: role for clinic_id, role in rows}

    def members(self, clinic_id: int, role: str | None = None) -> list[User]:
        query = (
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.clinic_id == clinic_id)
            .order_by(User.id)
        )
        if role is not None:
            query = query.where(Membership.role == role)
        return list(self._session.scalars(query))
