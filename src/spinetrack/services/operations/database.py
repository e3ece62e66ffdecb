"""Open the configured database and bring its schema up to date."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, SpinetrackError
from spinetrack.services.audit.audit_log import close_audit
from spinetrack.storage.engine import make_engine, ping, session_factory
from spinetrack.storage.migrate import current_revision, head_revision, upgrade
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


class DatabaseUnavailable(SpinetrackError):
    def __init__(self, url: str, exc: OperationalError) -> None:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        super().__init__(f"cannot use the database {url}: {reason}")


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: UnitOfWorkFactory
    """What every service takes: it opens units of work on this database (the name is the one
    services and edges already pass by keyword; it is no SQLAlchemy sessionmaker any more)."""

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> str:
        try:
            return upgrade(self.engine)
        except OperationalError as exc:
            raise DatabaseUnavailable(self.url, exc) from exc

    def ping(self) -> None:
        """Raise unless the database answers (the health check reports what it raised)."""
        ping(self.engine)

    def is_current(self) -> bool:
        try:
            return current_revision(self.engine) == head_revision()
        except OperationalError as exc:
            raise DatabaseUnavailable(self.url, exc) from exc

    def close(self) -> None:
        close_audit(self.sessions)  # seal what this process wrote before letting go
        self.engine.dispose()


def open_database(url: str | None = None) -> Database:
    chosen = url or get_settings().resolved_database_url()
    try:
        engine = make_engine(chosen)
    except (ArgumentError, ValueError) as exc:
        raise InvalidInput("SPINETRACK_DATABASE_URL", f"{chosen!r} is not a database URL") from exc
    except ModuleNotFoundError as exc:
        raise InvalidInput(
            "SPINETRACK_DATABASE_URL", f"no driver installed for {chosen!r}"
        ) from exc
    return Database(engine=engine, sessions=UnitOfWorkFactory(session_factory(engine)))
