"""Patient search within one clinic: by name through the database's name index, by MRN prefix
and by birth date through b-tree indexes. Never a scan of the clinic's patients.

The name index differs by database (`storage.name_index`): FTS5 on SQLite, pg_trgm on PostgreSQL.
Both match every typed word against the start of a word of the patient's name, accents and case
ignored, so the same words find the same patients on either.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, column, func, or_, select, table
from sqlalchemy.orm import Session

from spinetrack.domain.patient_query import fold
from spinetrack.storage.name_index import FTS_TABLE, NAME_KEY_FUNCTION
from spinetrack.storage.tables import Patient, PatientOutcome


@dataclass(frozen=True, slots=True)
class PatientHit:
    patient_id: int
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    status: str | None


_NAMES = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
"""SQLite's FTS5 table as a query sees it: the table-named column is the one MATCH takes."""


def _following(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix` (code-point order, which
    is SQLite's binary collation and PostgreSQL's C collation order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class PatientSearchRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def _hits(self, query: Select[tuple[int]], limit: int) -> list[PatientHit]:
        """The listed columns of the patients whose ids the query gives, by name."""
        ids = query.subquery()
        rows = self._session.execute(
            select(
                Patient.id,
                Patient.mrn,
                Patient.given_name,
                Patient.family_name,
                Patient.birth_date,
                PatientOutcome.status,
            )
            .join(ids, ids.c.id == Patient.id)
            .outerjoin(PatientOutcome, PatientOutcome.patient_id == Patient.id)
            .where(Patient.clinic_id == self.clinic_id)
            .order_by(Patient.family_name, Patient.given_name, Patient.id)
            .limit(limit)
        )
        return [PatientHit(*row) for row in rows]

    def by_birth_date(self, born: date, limit: int) -> list[PatientHit]:
        query = select(Patient.id).where(
            Patient.clinic_id == self.clinic_id, Patient.birth_date == born
        )
        return self._hits(query, limit)

    def by_email(self, addresses: list[str], limit: int) -> list[PatientHit]:
        """Patients with any of these e-mail addresses, as stored (an index on (clinic, e-mail))."""
        wanted = [a for a in addresses if a]
        if not wanted:
            return []
        query = select(Patient.id).where(
            Patient.clinic_id == self.clinic_id, Patient.email.in_(wanted)
        )
        return self._hits(query, limit)

    def by_mrn_prefix(self, prefixes: list[str], limit: int) -> list[PatientHit]:
        """Patients whose MRN starts with any of the prefixes (a range on the (clinic, MRN)
        unique index); an exact MRN is its own prefix."""
        ranges: list[ColumnElement[bool]] = [
            and_(Patient.mrn >= p, Patient.mrn < _following(p)) for p in prefixes if p
        ]
        if not ranges:
            return []
        query = (
            select(Patient.id)
            .where(Patient.clinic_id == self.clinic_id, or_(*ranges))
            .order_by(Patient.mrn)
            .limit(limit)
        )
        return self._hits(query, limit)

    def by_name(self, words: tuple[str, ...], limit: int) -> list[PatientHit]:
        """Patients with a name word starting with each of `words` (lower case, letters and
        digits only; accents are folded here as each database's index folded them)."""
        if not words:
            return []
        if self._session.get_bind().dialect.name == "postgresql":
            key = getattr(func, NAME_KEY_FUNCTION)(Patient.given_name, Patient.family_name)
            query = select(Patient.id).where(
                Patient.clinic_id == self.clinic_id,
                *[key.like(f"% {fold(word)}%") for word in words],
            )
        else:
            match = " ".join(f'"{word}"*' for word in words)
            query = (
                select(Patient.id)
                .select_from(_NAMES)
                .join(Patient, Patient.id == _NAMES.c.rowid)
                .where(_NAMES.c[FTS_TABLE].op("MATCH")(match), Patient.clinic_id == self.clinic_id)
            )
        return self._hits(query, limit)
