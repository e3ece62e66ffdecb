"""The assessment: what triage returns for one case, field for field as the triage contract says.

Python, HTTP and the command line all emit this model, so their outputs cannot drift apart.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DISCLAIMER = (
    "Decision support only: this assessment supports, and never replaces, the clinical judgement "
    "of the clinician responsible for the patient. Red flags call for escalation; likely causes, "
    "work-up and treatment options are suggestions to consider, each with its sources."
)

Likelihood = Literal["high", "moderate", "low"]


class _Output(BaseModel):
    # "for" is a Python keyword: the field is for_, but it reads and writes as "for".
    model_config = ConfigDict(frozen=True, validate_by_name=True, serialize_by_alias=True)


class Psps2(_Output):
    """Whether the case meets the time criterion of persistent spinal pain syndrome type 2."""

    status: Literal["met", "not_met", "too_early"]
    basis: str
    sources: list[str]


class RedFlag(_Output):
    id: str
    urgency: str
    evidence: list[str]
    action: str
    sources: list[str]


class LikelyCause(_Output):
    id: str
    rank: int = Field(ge=1)
    likelihood: Likelihood
    score: float = Field(ge=0, le=1)
    evidence_for: list[str]
    evidence_against: list[str]
    workup: list[str]
    sources: list[str]


class WorkupItem(_Output):
    id: str
    for_: list[str] = Field(alias="for")
    sources: list[str]


class TreatmentOption(_Output):
    id: str
    for_: list[str] = Field(alias="for")
    step: int = Field(ge=1, le=3)
    sources: list[str]
    held_back: bool = False
    """Held back while a red flag is raised (knowledge/triage/plan_context.yaml): listed after
    every other option, to consider once the red flag's escalation is done."""


class KnownWorkupItem(_Output):
    """A work-up test not suggested because the record already holds its result: the findings
    that show it was done, and the sources of that rule."""

    id: str
    findings: list[str]
    sources: list[str]


class ExtractedFinding(_Output):
    """A finding read from a report: its id, the words that gave it, which report (0-based), and
    whether the report states it (``affirmed``) or only suggests it (``uncertain``)."""

    id: str
    text: str
    report: int = Field(ge=0)
    certainty: Literal["affirmed", "uncertain"] = "affirmed"


class Assessment(_Output):
    case_id: str | None
    rules_version: str
    months_since_surgery: float
    psps2: Psps2
    red_flags: list[RedFlag]
    causes: list[LikelyCause]
    workup: list[WorkupItem]
    treatments: list[TreatmentOption]
    extracted_findings: list[ExtractedFinding]
    disclaimer: str = DISCLAIMER
    already_known: list[KnownWorkupItem] = Field(default_factory=list)
    """Tests left out of ``workup`` because their result is already recorded or reported."""
