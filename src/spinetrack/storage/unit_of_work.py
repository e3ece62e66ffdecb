"""One transaction per use case: services open a unit of work, call repositories, then commit.

Leaving the block without commit rolls everything back, so a failure half-way stores nothing.
"""

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from spinetrack.storage.engine import READ_ONLY
from spinetrack.storage.repositories.access import AccessRepository
from spinetrack.storage.repositories.audit import AuditRepository
from spinetrack.storage.repositories.clinics import ClinicRepository, UserRepository
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.repositories.rate_limits import RateRepository


class UnitOfWork:
    def __init__(
        self, sessions: sessionmaker[Session], *, autocommit: bool = False, read_only: bool = False
    ) -> None:
        """`autocommit`: each statement commits on its own, with no transaction around them. For
        lookups made on every request (who is signing in): they then cost no BEGIN and ROLLBACK
        round trips. Only for work whose statements need not succeed or fail together.

        `read_only`: the work only reads, so on SQLite it need not take the write lock that every
        other transaction takes at its start (see `storage.engine`)."""
        self._sessions = sessions
        self._session: Session | None = None
        self._autocommit = autocommit
        self._read_only = read_only

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session

    def __enter__(self) -> "UnitOfWork":
        self._session = self._sessions()
        if self._autocommit:
            self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        elif self._read_only:
            self._session.connection(execution_options={READ_ONLY: True})
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()
        self._session = None

    def commit(self) -> None:
        self.session.commit()

    @property
    def clinics(self) -> ClinicRepository:
        return ClinicRepository(self.session)

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.session)

    @property
    def access(self) -> AccessRepository:
        return AccessRepository(self.session)

    @property
    def rates(self) -> RateRepository:
        return RateRepository(self.session)

    @property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.session)

    def patients(self, clinic_id: int) -> PatientRepository:
        return PatientRepository(self.session, clinic_id)
