"""Planner statistics after bulk writes.

SQLite keeps no statistics until ANALYZE runs; without them it guesses, and with one clinic holding
every patient it guesses the clinic index is as selective as the patient one, so reading one
patient's questionnaires scans the whole clinic (0.5 s at 100,000 patients). PostgreSQL analyses
on its own eventually; asking right after a bulk import costs little and helps at once.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session


def refresh_statistics(session: Session) -> None:
    """Let the database re-measure its tables (inside the caller's transaction)."""
    session.execute(text("ANALYZE"))
