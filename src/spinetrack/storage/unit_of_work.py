"""One transaction per use case: services open a unit of work, call repositories, then commit.

Leaving the block without commit rolls everything back, so a failure half-way stores nothing.
"""

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from spinetrack.storage.engine import READ_ONLY
from spinetrack.storage.repositories.access import AccessRepository
from spinetrack.storage.repositories.analytics import AnalyticsRepository
from spinetrack.storage.repositories.audit import AuditRepository
from spinetrack.storage.repositories.clinics import ClinicRepository, UserRepository
from spinetrack.storage.repositories.erasure import erase_patient_data
from spinetrack.storage.repositories.fhir_rows import FhirRowsRepository
from spinetrack.storage.repositories.fhir_settings import FhirSettingsRepository
from spinetrack.storage.repositories.idempotency import IdempotencyRepository
from spinetrack.storage.repositories.patient_search import PatientSearchRepository
from spinetrack.storage.repositories.patient_side import (
    ConsultationRepository,
    FollowupRepository,
    OutboxRepository,
)
from spinetrack.storage.repositories.patients import PatientRepository
from spinetrack.storage.repositories.rate_limits import RateRepository
from spinetrack.storage.repositories.risk import RiskRepository
from spinetrack.storage.repositories.worklist import WorklistRepository
from spinetrack.storage.statistics import refresh_statistics


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

    def flush(self) -> None:
        """Send pending writes now (their ids and constraint errors appear before commit)."""
        self.session.flush()

    def erase_patient_data(self, clinic_id: int) -> int:
        """Delete every patient record of the clinic (see repositories.erasure)."""
        return erase_patient_data(self.session, clinic_id)

    def refresh_statistics(self) -> None:
        """Let the database re-measure its tables after a bulk write (see storage.statistics)."""
        refresh_statistics(self.session)

    def rollback(self) -> None:
        """Drop what this unit of work did so far and go on in a fresh transaction (the audit
        writes its refusal entry this way after a use case failed)."""
        self.session.rollback()

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

    @property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.session)

    def patients(self, clinic_id: int) -> PatientRepository:
        return PatientRepository(self.session, clinic_id)

    def patient_search(self, clinic_id: int) -> PatientSearchRepository:
        return PatientSearchRepository(self.session, clinic_id)

    def analytics(self, clinic_id: int) -> AnalyticsRepository:
        return AnalyticsRepository(self.session, clinic_id)

    def consultations(self, clinic_id: int) -> ConsultationRepository:
        return ConsultationRepository(self.session, clinic_id)

    def fhir_rows(self, clinic_id: int) -> FhirRowsRepository:
        return FhirRowsRepository(self.session, clinic_id)

    def fhir_settings(self, clinic_id: int) -> FhirSettingsRepository:
        return FhirSettingsRepository(self.session, clinic_id)

    def risk(self, clinic_id: int) -> RiskRepository:
        return RiskRepository(self.session, clinic_id)

    def followup(self, clinic_id: int) -> FollowupRepository:
        return FollowupRepository(self.session, clinic_id)

    def worklist(self, clinic_id: int) -> WorklistRepository:
        return WorklistRepository(self.session, clinic_id)

    def idempotency(self, clinic_id: int) -> IdempotencyRepository:
        return IdempotencyRepository(self.session, clinic_id)


class UnitOfWorkFactory:
    """What services receive: it opens units of work on one database, and nothing else.

    Services used to receive the SQLAlchemy `sessionmaker` itself, which let them build statements
    beside the repositories and pulled SQLAlchemy into every edge that called them. One factory
    per database, made once when the database is opened (the audit keeps its sealer per factory).
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __call__(self, *, autocommit: bool = False, read_only: bool = False) -> UnitOfWork:
        """A new unit of work; see `UnitOfWork` for `autocommit` and `read_only`."""
        return UnitOfWork(self._sessions, autocommit=autocommit, read_only=read_only)

    @property
    def engine(self) -> Engine:
        bound = self._sessions.kw["bind"]
        assert isinstance(bound, Engine)
        return bound

    @property
    def sessionmaker(self) -> sessionmaker[Session]:
        """For storage code and tests that work below the repositories; services never use it
        (tests/architecture checks)."""
        return self._sessions
