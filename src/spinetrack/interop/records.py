"""The registry as plain, format-neutral records: what every export writes and every import reads.

They are frozen copies, never ORM rows, so de-identifying or formatting them cannot touch the database.
A surgery is known across databases by its `SurgeryRef` (patient, date, order on that day), because
row ids differ from one database to the next.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

Answer = int | float | None


@dataclass(frozen=True)
class RegistryPatient:
    mrn: str
    """The clinic's medical record number; in a de-identified export, the patient's pseudonym."""
    given_name: str | None
    family_name: str | None
    birth_date: date
    sex: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, order=True)
class SurgeryRef:
    mrn: str
    performed_on: date
    ordinal: int = 0
    """0 for the patient's first surgery that day, 1 for the second, and so on."""


@dataclass(frozen=True)
class SurgeryRecord:
    ref: SurgeryRef
    region: str
    procedure: str
    approach: str
    levels: tuple[str, ...]
    instrumented: bool
    surgeon: str | None = None
    """The e-mail of the surgeon's account; a pseudonym when de-identified."""
    surgeon_name: str | None = None
    revises: SurgeryRef | None = None
    revision_reason: str | None = None
    notes: str | None = None
    planned: bool | None = None
    """Not yet performed on the day the record was read; decided before any date shift, so a
    de-identified export keeps every status. None: judged from the date on the export day."""


@dataclass(frozen=True)
class ComplicationRecord:
    surgery: SurgeryRef
    kind: str
    reported_by: str
    occurred_on: date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ScoreRecord:
    status: str
    answered: int
    raw: float | None
    percent: float | None
    reason: str


@dataclass(frozen=True)
class ResponseRecord:
    mrn: str
    instrument: str
    completed_at: datetime
    """Timezone-aware (UTC)."""
    answers: Mapping[str, Answer]
    instrument_version: str = ""
    source: str = "import"
    score: ScoreRecord | None = None
    entered_by: str | None = None
    """The account (e-mail; a pseudonym when de-identified) that typed the answers in, the
    response's author; None when the patient submitted them or nobody recorded who did."""


@dataclass(frozen=True)
class PractitionerRecord:
    """A clinic account that operated or entered answers, as the export names it."""

    account: str
    """The account's e-mail (the clinic's own identifier of its user); a pseudonym when
    de-identified."""
    name: str | None = None
    npi: str | None = None
    """US National Provider Identifier, where the clinic recorded one."""


@dataclass(frozen=True)
class StatusRecord:
    mrn: str
    status: str
    latest_timepoint: str | None
    disability_instrument: str | None
    disability_improvement: float | None
    pain_improvement: float | None
    region: str | None = None
    """Region of the index surgery, which names the PSPS-2 condition when the status is failing."""


@dataclass(frozen=True)
class AssessmentRecord:
    mrn: str
    ordinal: int
    """Position among the patient's assessments, oldest first."""
    evaluation_date: date
    rules_version: str
    causes: tuple[tuple[str, str], ...]
    """(cause id, likelihood) in rank order."""
    red_flags: tuple[tuple[str, str], ...]
    """(red flag id, urgency)."""


@dataclass(frozen=True)
class Registry:
    """What one export holds: a clinic's records (or a selection of them)."""

    clinic: str
    """The clinic's slug: it names the MRN identifier system."""
    patients: tuple[RegistryPatient, ...] = ()
    surgeries: tuple[SurgeryRecord, ...] = ()
    complications: tuple[ComplicationRecord, ...] = ()
    responses: tuple[ResponseRecord, ...] = ()
    statuses: tuple[StatusRecord, ...] = ()
    assessments: tuple[AssessmentRecord, ...] = ()
    practitioners: tuple[PractitionerRecord, ...] = ()
    """Every account a surgery or a response of the export names (its surgeon or who entered it)."""
    deidentified: bool = False
    instruments: tuple[str, ...] = field(default=())
    """Instruments whose definitions travel with the export (as FHIR Questionnaires)."""
