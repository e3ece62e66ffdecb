"""A clinic's FHIR import settings: the identifier systems its MRNs arrive in, and the mappings of
outside Questionnaires onto our instruments. Scoped to the clinic given to the constructor."""

from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from spinetrack.storage.tables import ClinicMrnSystem, ClinicQuestionnaireMap, Patient


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
