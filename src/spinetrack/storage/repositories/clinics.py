"""Clinics and their people: looked up by slug and by e-mail, never scoped (they define the scope)."""

from sqlalchemy import select
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

    def add_membership(self, membership: Membership) -> None:
        self._session.add(membership)
        self._session.flush()

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
