"""Sessions, API tokens and patient links, looked up by the digest of their secret."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from spinetrack.storage.driver_sql import DriverStatement
from spinetrack.storage.tables import ApiToken, Membership, PatientLink, User, WebSession


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


_TOKEN_HOLDER = DriverStatement(
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
"""Built once, run on the driver: every API request runs it."""


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
        if not rows:
            return None
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
