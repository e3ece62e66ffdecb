"""The pre-operative record, the clinic's fitted outcome models and stored predictions, scoped to one
clinic like every other repository: the clinic is a constructor argument and every query uses it."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from spinetrack.storage.bulk_rows import insert_rows
from spinetrack.storage.tables import (
    Patient,
    PreopRecord,
    PromResponse,
    RiskModel,
    RiskPrediction,
    Surgery,
)


class RiskRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def preop(self, patient_id: int) -> PreopRecord | None:
        return self._session.scalar(
            select(PreopRecord).where(
                PreopRecord.patient_id == patient_id, PreopRecord.clinic_id == self.clinic_id
            )
        )

    def save_preop(self, row: PreopRecord) -> None:
        row.clinic_id = self.clinic_id
        self._session.merge(row)
        self._session.flush()

    def save_preops(self, rows: list[dict[str, Any]], chunk: int = 1000) -> None:
        """Insert or overwrite many patients' records at once (bulk loads): the old rows of these
        patients are deleted and the new ones inserted in batches, in the caller's transaction."""
        ids = [row["patient_id"] for row in rows]
        for start in range(0, len(ids), chunk):
            self._session.execute(
                delete(PreopRecord).where(
                    PreopRecord.clinic_id == self.clinic_id,
                    PreopRecord.patient_id.in_(ids[start : start + chunk]),
                )
            )
        if rows:
            for row in rows:
                row["clinic_id"] = self.clinic_id
            insert_rows(self._session, PreopRecord, rows)

    def preops(self) -> list[PreopRecord]:
        return list(
            self._session.scalars(
                select(PreopRecord).where(PreopRecord.clinic_id == self.clinic_id)
            )
        )

    def patients(self) -> Sequence[Row[tuple[int, date, str]]]:
        return self._session.execute(
            select(Patient.id, Patient.birth_date, Patient.sex).where(
                Patient.clinic_id == self.clinic_id
            )
        ).all()

    def surgeries(self) -> list[Surgery]:
        return list(
            self._session.scalars(
                select(Surgery)
                .where(Surgery.clinic_id == self.clinic_id)
                .order_by(Surgery.patient_id, Surgery.performed_on, Surgery.id)
            )
        )

    def scores(
        self, instruments: Sequence[str]
    ) -> Sequence[Row[tuple[int, str, datetime, float | None]]]:
        """patient_id, instrument, completed_at, percent (or raw) score of every scored response."""
        return self._session.execute(
            select(
                PromResponse.patient_id,
                PromResponse.instrument,
                PromResponse.completed_at,
                PromResponse.score_percent,
            ).where(
                PromResponse.clinic_id == self.clinic_id,
                PromResponse.instrument.in_(list(instruments)),
                PromResponse.score_status == "ok",
                PromResponse.score_percent.is_not(None),
            )
        ).all()

    def add_model(self, row: RiskModel) -> None:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()

    def latest_model(self) -> RiskModel | None:
        return self._session.scalar(
            select(RiskModel)
            .where(RiskModel.clinic_id == self.clinic_id)
            .order_by(RiskModel.fitted_at.desc(), RiskModel.id.desc())
            .limit(1)
        )

    def models(self) -> list[RiskModel]:
        """Every fit, newest first, without the model files."""
        return list(
            self._session.scalars(
                select(RiskModel)
                .where(RiskModel.clinic_id == self.clinic_id)
                .order_by(RiskModel.fitted_at.desc(), RiskModel.id.desc())
            )
        )

    def latest_prediction(self, patient_id: int) -> RiskPrediction | None:
        return self._session.scalar(
            select(RiskPrediction)
            .where(
                RiskPrediction.clinic_id == self.clinic_id,
                RiskPrediction.patient_id == patient_id,
            )
            .order_by(RiskPrediction.predicted_at.desc(), RiskPrediction.id.desc())
            .limit(1)
        )

    def add_prediction(self, row: RiskPrediction) -> None:
        row.clinic_id = self.clinic_id
        self._session.add(row)
        self._session.flush()
