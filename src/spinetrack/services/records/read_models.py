"""What services hand back: plain pydantic views of stored records, read from ORM rows."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    """Moments arrive aware in UTC: the column type (`storage.tables.base.UtcDateTime`) sees to it."""

    model_config = ConfigDict(from_attributes=True)


class PatientView(View):
    id: int
    clinic_id: int
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str
    email: str | None
    phone: str | None
    referrer_name: str | None = None
    referrer_practice: str | None = None
    referrer_address: str | None = None


class SurgeryView(View):
    id: int
    patient_id: int
    performed_on: date
    region: str
    procedure: str
    approach: str
    levels: list[str]
    instrumented: bool
    surgeon_id: int | None
    revision_of_id: int | None
    revision_reason: str | None
    notes: str | None
    planned: bool = False


class ComplicationView(View):
    id: int
    patient_id: int
    surgery_id: int
    kind: str
    reported_by: str
    occurred_on: date | None
    notes: str | None


class ResponseView(View):
    id: int
    patient_id: int
    instrument: str
    instrument_version: str
    completed_at: datetime
    source: str
    answers: dict[str, Any]
    score_status: str
    score_answered: int
    score_raw: float | None
    score_percent: float | None
    score_reason: str


class OutcomeView(View):
    status: str
    latest_timepoint: str | None
    disability_instrument: str | None
    disability_improvement: float | None
    pain_improvement: float | None


class PatientRecord(BaseModel):
    """Everything recorded about one patient, as a clinician opens it."""

    patient: PatientView
    surgeries: list[SurgeryView]
    complications: list[ComplicationView]
    responses: list[ResponseView]
    outcome: OutcomeView | None


class PatientFound(BaseModel):
    """One search result: enough to tell two patients apart and open the right one."""

    id: int
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    status: str | None = Field(description="The latest outcome status; null before any surgery")


class PatientSearch(BaseModel):
    query: str
    searched_by: list[str] = Field(description="What the text was read as: name, mrn, birth_date")
    items: list[PatientFound]
    more: bool = Field(description="More patients match than are listed; type more to narrow")


class PatientPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[PatientView]
