"""Sessions, API tokens and patient links, looked up by the digest of their secret."""

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spinetrack.storage.tables import ApiToken, PatientLink, WebSession


class AccessRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: WebSession | ApiToken | PatientLink) -> None:
        self._session.add(row)
        self._session.flush()

    def session_by_digest(self, digest: str) -> WebSession | None:
        return self._session.scalar(select(WebSession).where(WebSession.token_hash == digest))

    def token_by_digest(self, digest: str) -> ApiToken | None:
        return self._session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))

    def link_by_digest(self, digest: str, *, lock: bool = False) -> PatientLink | None:
        """With `lock`, the row is held until commit, so a link cannot be answered twice at once."""
        query = select(PatientLink).where(PatientLink.token_hash == digest)
        return self._session.scalar(query.with_for_update() if lock else query)

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
