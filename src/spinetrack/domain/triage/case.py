"""The triage case: what the clinician knows about one patient, checked against the vocabulary.

Every way in (Python, HTTP, CLI) goes through ``parse_case``, so a bad case gets the same message,
naming the same field, whichever door it came through.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from spinetrack.domain.errors import InvalidCase, InvalidInput
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import normalize_level
from spinetrack.domain.vocabulary import vocabulary

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHORT_LISTS = {"regions", "procedures", "courses"}


def _iso_date(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError(
            "iso_date", "expected an ISO date (YYYY-MM-DD), got {value}", {"value": repr(value)}
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "real_date", "{value} is not a real date", {"value": repr(value)}
        ) from None


def _known(kind: str, section: str) -> Callable[[str], str]:
    """A validator accepting only ids of one vocabulary section (procedures, findings, ...)."""

    def check(value: str) -> str:
        known = getattr(vocabulary(), section)
        if value in known:
            return value
        hint = f"; expected one of {', '.join(known)}" if section in _SHORT_LISTS else ""
        raise PydanticCustomError(
            "unknown_id",
            "unknown {kind} {value}{hint}",
            {"kind": kind, "value": repr(value), "hint": hint},
        )

    return check


def _complication(value: str) -> str:
    if value in catalogue().kinds:
        return value
    raise PydanticCustomError("unknown_id", "unknown complication {value}", {"value": repr(value)})


def _level(value: str) -> str:
    try:
        return normalize_level(value)
    except InvalidInput as exc:
        raise PydanticCustomError("spinal_level", "{reason}", {"reason": exc.reason}) from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
RegionId = Annotated[StrictStr, AfterValidator(_known("region", "regions"))]
ProcedureId = Annotated[StrictStr, AfterValidator(_known("procedure", "procedures"))]
CourseId = Annotated[StrictStr, AfterValidator(_known("course", "courses"))]
FindingId = Annotated[StrictStr, AfterValidator(_known("finding", "findings"))]
Level = Annotated[StrictStr, AfterValidator(_level)]
ComplicationId = Annotated[StrictStr, AfterValidator(_complication)]
PainScore = Annotated[float, Field(strict=True, ge=0, le=10)]


class _CaseModel(BaseModel):
    # Unknown keys are refused: a misspelt "findngs" must not silently drop a red-flag finding.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Surgery(_CaseModel):
    date: IsoDate
    procedure: ProcedureId
    levels: list[Level] = Field(default_factory=list)
    instrumented: StrictBool = False


class Pain(_CaseModel):
    """Numeric rating scale 0-10: axial = neck or back, limb = arm or leg."""

    axial: PainScore | None = None
    limb: PainScore | None = None


class RejectedReading(_CaseModel):
    """A finding read from one of the case's reports that a clinician rejected as misread: the
    reader's item for that finding and report is left out of the assessment."""

    report: Annotated[StrictInt, Field(ge=0)]
    id: FindingId


class Case(_CaseModel):
    case_id: StrictStr | None = None
    evaluation_date: IsoDate
    age: Annotated[StrictInt, Field(ge=0, le=120)] | None = None
    region: RegionId
    surgeries: list[Surgery] = Field(min_length=1)
    course: CourseId | None = None
    pain_free_interval_days: Annotated[StrictInt, Field(ge=0)] | None = None
    pain: Pain | None = None
    findings: list[FindingId] = Field(default_factory=list)
    reports: list[StrictStr] = Field(default_factory=list)
    complications: list[ComplicationId] = Field(default_factory=list)
    """Complications the registry recorded (surgeon or patient), by registry kind id."""
    rejected_report_findings: list[RejectedReading] = Field(default_factory=list)

    @property
    def index_surgery(self) -> Surgery:
        """The most recent surgery; on a shared date, the one listed last."""
        latest = max(s.date for s in self.surgeries)
        return [s for s in self.surgeries if s.date == latest][-1]

    @model_validator(mode="after")
    def _dates_are_possible(self) -> "Case":
        # InvalidCase is not a ValueError, so pydantic lets it through with its exact field.
        for i, surgery in enumerate(self.surgeries):
            if surgery.date > self.evaluation_date:
                raise InvalidCase(
                    f"surgeries.{i}.date",
                    f"{surgery.date} is after evaluation_date {self.evaluation_date}",
                )
        for i, rejected in enumerate(self.rejected_report_findings):
            if rejected.report >= len(self.reports):
                raise InvalidCase(
                    f"rejected_report_findings.{i}.report",
                    f"report {rejected.report} is not among the case's {len(self.reports)} reports",
                )
        days = (self.evaluation_date - self.index_surgery.date).days
        interval = self.pain_free_interval_days
        if interval is not None and interval > days:
            raise InvalidCase(
                "pain_free_interval_days",
                f"{interval} days is longer than the {days} days since the index surgery",
            )
        return self


_PLAIN_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "too_short": "must not be empty",
}


def _message(error: ErrorDetails) -> str:
    plain = _PLAIN_MESSAGES.get(error["type"])
    if plain:
        return plain
    text = error["msg"]
    return text[0].lower() + text[1:] if text else "is not valid"


def parse_case(data: Case | Mapping[str, Any]) -> Case:
    """A validated case, or InvalidCase naming the first field at fault (e.g. ``surgeries.0.date``)."""
    if isinstance(data, Case):
        return data
    if not isinstance(data, Mapping):
        raise InvalidCase("case", "expected a JSON object with the fields of a case")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or "case"
        raise InvalidCase(field, _message(first)) from None
