"""Sessions, API tokens and patient links, looked up by the digest of their secret."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, String, any_, bindparam, cast, exists, func, select, true, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from spinetrack.storage.driver_sql import DriverStatement
from spinetrack.storage.repositories.patients import LockedPatient, remember_lock
from spinetrack.storage.tables import (
    ApiToken,
    Clinic,
    Membership,
    Patient,
    PatientLink,
    User,
    WebSession,
)


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """An API token with the account behind it and that account's roles, read in one query: every
    API request asks this first, so it costs one round trip rather than three."""

    token_id: int
    revoked_at: datetime | None
    last_used_at: datetime | None
    user_id: int
    email: str
    active: bool
    roles: dict[int, str]


_TOKEN_HOLDER_QUERY = (
    select(
        ApiToken.id,
        ApiToken.revoked_at,
        ApiToken.last_used_at,
        User.id,
        User.email,
        User.is_active,
        Membership.clinic_id,
        Membership.role,
    )
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("digest"))
)
_TOKEN_HOLDER = DriverStatement(_TOKEN_HOLDER_QUERY)
"""Built once, run on the driver: every API request runs it."""

_HOLDER = _TOKEN_HOLDER_QUERY.cte("holder")
_HOLDER_CLINIC = func.coalesce(
    cast(bindparam("clinic_id", type_=Integer), Integer),
    # The holder's only clinic (as `Actor.default_clinic`), when the caller named none.
    select(func.min(_HOLDER.c.clinic_id))
    .having(func.count(_HOLDER.c.clinic_id) == 1)
    .scalar_subquery(),
)
_LOCKED = (
    select(Patient.id, Clinic.time_zone)
    .join(Clinic, Clinic.id == Patient.clinic_id)
    .where(
        Patient.id == bindparam("patient_id"),
        Patient.clinic_id == _HOLDER_CLINIC,
        # Only for a holder who may write there: a refused caller locks nothing.
        exists(
            select(_HOLDER.c.clinic_id).where(
                _HOLDER.c.clinic_id == Patient.clinic_id,
                _HOLDER.c.revoked_at.is_(None),
                _HOLDER.c.is_active.is_(True),
                _HOLDER.c.role == any_(bindparam("roles", type_=ARRAY(String))),
            )
        ),
    )
    .with_for_update(of=Patient)
    .cte("locked")
)
_TOKEN_HOLDER_LOCKING = DriverStatement(
    select(*_HOLDER.c, _LOCKED.c.id, _LOCKED.c.time_zone, _HOLDER_CLINIC).select_from(
        _HOLDER.outerjoin(_LOCKED, true())
    )
)
"""PostgreSQL: `_TOKEN_HOLDER` and the patient lock (`PatientRepository.lock`) in one round trip,
for a request that signs in and then writes one patient (a questionnaire submission)."""


class AccessRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: WebSession | ApiToken | PatientLink) -> None:
        self._session.add(row)
        self._session.flush()

    def session_by_digest(self, digest: str) -> WebSession | None:
        return self._session.scalar(select(WebSession).where(WebSession.token_hash == digest))

    def token_holder(self, digest: str) -> TokenHolder | None:
        rows = _TOKEN_HOLDER.rows(self._session.connection(), {"digest": digest})
        return _holder(rows) if rows else None

    def token_holder_locking(
        self, digest: str, *, clinic_id: int | None, patient_id: int, roles: Collection[str]
    ) -> TokenHolder | None:
        """`token_holder`, and on PostgreSQL also the lock `PatientRepository.lock` would take on
        the patient, in the same statement, when the holder may write in the patient's clinic
        (`clinic_id`, or the holder's only clinic when None) with one of `roles`: the lock is
        then held as if `lock` had run, and `lock` only hands it back. Otherwise (another
        database, a refused holder, no such patient) nothing is locked and `lock` runs as
        usual."""
        if self._session.get_bind().dialect.name != "postgresql":
            return self.token_holder(digest)
        params = {
            "digest": digest,
            "clinic_id": clinic_id,
            "patient_id": patient_id,
            "roles": sorted(roles),
        }
        rows = _TOKEN_HOLDER_LOCKING.rows(self._session.connection(), params)
        if not rows:
            return None
        first = rows[0]
        if first[8] is not None:
            remember_lock(self._session, first[10], patient_id, LockedPatient(zone=first[9]))
        return _holder(rows)

    def touch_token(self, token_id: int, at: datetime) -> None:
        self._session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=at)
        )

    def link_by_digest(self, digest: str, *, lock: bool = False) -> PatientLink | None:
        """With `lock`, the row is held until commit, so a link cannot be answered twice at once."""
        query = select(PatientLink).where(PatientLink.token_hash == digest)
        return self._session.scalar(query.with_for_update() if lock else query)

    def close_link(self, link_id: int, at: datetime) -> bool:
        """Mark a live link used, only if nothing else did first: whether this call closed it.

        A conditional update, so two submissions racing for one link cannot both succeed on
        either database, whatever each read before."""
        closed = self._session.execute(
            update(PatientLink)
            .where(
                PatientLink.id == link_id,
                PatientLink.used_at.is_(None),
                PatientLink.revoked_at.is_(None),
            )
            .values(used_at=at, draft=None)
            .returning(PatientLink.id)
            .execution_options(synchronize_session=False)
        )
        return closed.scalar_one_or_none() is not None

    def token(self, token_id: int) -> ApiToken | None:
        return self._session.get(ApiToken, token_id)

    def tokens_of(self, user_id: int) -> list[ApiToken]:
        query = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)
        return list(self._session.scalars(query))

    def links_of(self, clinic_id: int, patient_id: int) -> list[PatientLink]:
        query = (
            select(PatientLink)
            .where(PatientLink.clinic_id == clinic_id, PatientLink.patient_id == patient_id)
            .order_by(PatientLink.id)
        )
        return list(self._session.scalars(query))

    def revoke_sessions(self, user_id: int) -> None:
        self._session.execute(
            update(WebSession)
            .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )

    def revoke_tokens(self, user_id: int) -> None:
        """Every API token of the user stops working (a password reset assumes a compromise)."""
        self._session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )


def _holder(rows: list[Any]) -> TokenHolder:
    """The holder read by `_TOKEN_HOLDER` (or the first columns of `_TOKEN_HOLDER_LOCKING`)."""
    first = rows[0]
    return TokenHolder(
        token_id=first[0],
        revoked_at=first[1],
        last_used_at=first[2],
        user_id=first[3],
        email=first[4],
        active=bool(first[5]),
        roles={row[6]: row[7] for row in rows if row[6] is not None},
    )
