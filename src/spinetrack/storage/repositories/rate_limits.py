"""Per-address request counters (table `rate_windows`), counted with one upsert per request."""

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from spinetrack.storage.tables import RateWindow


class RateRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def hit(self, scope: str, address: str, window_start: int) -> int:
        """Count one request in its window; the window's count including it.

        `INSERT .. ON CONFLICT DO UPDATE .. RETURNING` is one atomic statement on both databases,
        so concurrent requests from one address are all counted."""
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(RateWindow).values(
            scope=scope, address=address, window_start=window_start, hits=1
        )
        counted = statement.on_conflict_do_update(
            index_elements=["scope", "address", "window_start"],
            set_={"hits": RateWindow.hits + 1},
        ).returning(RateWindow.hits)
        return int(self._session.execute(counted).scalar_one())

    def forget_before(self, scope: str, window_start: int) -> None:
        self._session.execute(
            delete(RateWindow).where(
                RateWindow.scope == scope, RateWindow.window_start < window_start
            )
        )
