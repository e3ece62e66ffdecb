"""A clinic's FHIR settings: the identifier systems its MRNs arrive in, the mappings of outside
Questionnaires and hospital-local Observation codes, and its users' NPIs. Scoped to the clinic
given to the constructor (an NPI belongs to a person; the service checks they work there)."""

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from spinetrack.storage.tables import (
    ClinicMrnSystem,
    ClinicObservationMap,
    ClinicQuestionnaireMap,
    Patient,
    PractitionerNpi,
)


class FhirSettingsRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def mrn_systems(self) -> list[str]:
        """The outside systems, in the order they were added."""
        query = (
            select(ClinicMrnSystem.system)
            .where(ClinicMrnSystem.clinic_id == self.clinic_id)
            .order_by(ClinicMrnSystem.id)
        )
        return list(self._session.scalars(query))

    def known_mrns(self) -> frozenset[str]:
        """Every MRN the clinic already holds: an outside patient is matched by whichever of its
        identifiers the clinic already knows, before the configured systems are tried in order."""
        query = select(Patient.mrn).where(Patient.clinic_id == self.clinic_id)
        return frozenset(self._session.scalars(query))

    def add_mrn_system(self, system: str) -> None:
        self._session.add(ClinicMrnSystem(clinic_id=self.clinic_id, system=system))

    def remove_mrn_system(self, system: str) -> bool:
        """Whether the system was there to remove."""
        gone = self._session.execute(
            delete(ClinicMrnSystem).where(
                ClinicMrnSystem.clinic_id == self.clinic_id, ClinicMrnSystem.system == system
            )
        )
        return bool(getattr(gone, "rowcount", 0))

    def questionnaire_maps(self) -> list[ClinicQuestionnaireMap]:
        query = select(ClinicQuestionnaireMap).where(
            ClinicQuestionnaireMap.clinic_id == self.clinic_id
        )
        return list(self._session.scalars(query))

    def replace_questionnaire_map(
        self, canonical: str, instrument: str, items: Mapping[str, str]
    ) -> None:
        """Store the mapping of ``canonical``, replacing an earlier one of the same URL (one still
        pending in this unit of work included: it is flushed first, so the DELETE sees it)."""
        self._session.flush()
        self._session.execute(
            delete(ClinicQuestionnaireMap).where(
                ClinicQuestionnaireMap.clinic_id == self.clinic_id,
                ClinicQuestionnaireMap.canonical == canonical,
            )
        )
        self._session.add(
            ClinicQuestionnaireMap(
                clinic_id=self.clinic_id,
                canonical=canonical,
                instrument=instrument,
                items=dict(items),
            )
        )

    def observation_maps(self) -> list[ClinicObservationMap]:
        query = (
            select(ClinicObservationMap)
            .where(ClinicObservationMap.clinic_id == self.clinic_id)
            .order_by(ClinicObservationMap.system, ClinicObservationMap.code)
        )
        return list(self._session.scalars(query))

    def replace_observation_map(self, system: str, code: str, target: str) -> None:
        self._session.flush()
        self.remove_observation_map(system, code)
        self._session.add(
            ClinicObservationMap(clinic_id=self.clinic_id, system=system, code=code, target=target)
        )

    def remove_observation_map(self, system: str, code: str) -> bool:
        gone = self._session.execute(
            delete(ClinicObservationMap).where(
                ClinicObservationMap.clinic_id == self.clinic_id,
                ClinicObservationMap.system == system,
                ClinicObservationMap.code == code,
            )
        )
        return bool(getattr(gone, "rowcount", 0))

    def npis(self, user_ids: Iterable[int]) -> dict[int, str]:
        """User id -> NPI, for those of the users that have one."""
        ids = list(user_ids)
        if not ids:
            return {}
        query = select(PractitionerNpi).where(PractitionerNpi.user_id.in_(ids))
        return {row.user_id: row.npi for row in self._session.scalars(query)}

    def npi_holder(self, npi: str) -> int | None:
        query = select(PractitionerNpi.user_id).where(PractitionerNpi.npi == npi)
        return self._session.scalars(query).first()

    def set_npi(self, user_id: int, npi: str | None) -> None:
        """Record (or with None, forget) a user's NPI."""
        self._session.flush()
        self._session.execute(delete(PractitionerNpi).where(PractitionerNpi.user_id == user_id))
        if npi is not None:
            self._session.add(PractitionerNpi(user_id=user_id, npi=npi))
