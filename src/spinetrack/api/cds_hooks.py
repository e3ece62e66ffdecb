"""CDS Hooks: the triage assessment as cards an EHR can show beside the patient's chart.

Discovery at GET /cds-services; one service, POST /cds-services/spinetrack-triage, on the
``patient-view`` hook. The case travels in the request's ``context.case``, exactly as the triage
contract defines it; ``prefetch`` is not used, because the case is not a FHIR resource. One card per
red flag (``critical`` for emergencies, ``warning`` for urgent), then one ``info`` card with the
likely causes, work-up and options.
"""

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from spinetrack.api.deps import refuse_nul
from spinetrack.api.errors import ERROR_RESPONSES
from spinetrack.domain.errors import InvalidCase
from spinetrack.domain.triage import Assessment, assess
from spinetrack.domain.triage.assessment import LikelyCause, RedFlag
from spinetrack.domain.vocabulary import vocabulary

SERVICE_ID = "spinetrack-triage"
SUMMARY_LIMIT = 140
_INDICATOR: dict[str, Literal["critical", "warning"]] = {
    "emergency": "critical",
    "urgent": "warning",
}

router = APIRouter(
    prefix="/cds-services",
    tags=["cds-hooks"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(refuse_nul)],
)


class CdsService(BaseModel):
    hook: str
    id: str
    title: str
    description: str
    prefetch: dict[str, str] = Field(default_factory=dict)


class Discovery(BaseModel):
    services: list[CdsService]


class CdsRequest(BaseModel):
    # fhirServer, fhirAuthorization and prefetch are part of CDS Hooks; accepted, not used.
    model_config = ConfigDict(extra="allow")

    hook: str
    hookInstance: str  # noqa: N815 (the CDS Hooks field name)
    context: dict[str, Any]


class Source(BaseModel):
    label: str
    url: str | None = None


class Card(BaseModel):
    uuid: str
    summary: str = Field(max_length=SUMMARY_LIMIT)
    detail: str
    indicator: Literal["info", "warning", "critical"]
    source: Source


class CdsResponse(BaseModel):
    cards: list[Card]


def _summary(text: str) -> str:
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"


def _card_id(request: CdsRequest, key: str) -> str:
    """The same card for the same request: stable ids let the EHR send feedback on a card."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{SERVICE_ID}/{request.hookInstance}/{key}"))


def _sources_md(sources: list[str]) -> str:
    return "\n".join(f"- {s}" for s in sources)


def _red_flag_card(request: CdsRequest, flag: RedFlag) -> Card:
    meaning = vocabulary().red_flags[flag.id]
    because = ", ".join(f"`{e}`" for e in flag.evidence)
    detail = f"**Action:** {flag.action}\n\n**Because:** {because}\n\n**Sources:**\n{_sources_md(flag.sources)}"
    return Card(
        uuid=_card_id(request, f"red_flag/{flag.id}"),
        summary=_summary(f"{flag.urgency.capitalize()} red flag: {meaning}"),
        detail=detail,
        indicator=_INDICATOR[flag.urgency],
        source=Source(label=flag.sources[0]),
    )


def _cause_md(cause: LikelyCause) -> str:
    for_ = ", ".join(f"`{e}`" for e in cause.evidence_for)
    against = ", ".join(f"`{e}`" for e in cause.evidence_against) or "none"
    tests = ", ".join(f"`{t}`" for t in cause.workup)
    return (
        f"{cause.rank}. **{vocabulary().causes[cause.id]}** (`{cause.id}`, {cause.likelihood}): "
        f"for {for_}; against {against}; work-up {tests}"
    )


def _causes_summary(assessment: Assessment) -> str:
    status = f"PSPS-2 {assessment.psps2.status.replace('_', ' ')}"
    if not assessment.causes:
        return _summary(f"{status}; no likely cause stands out in the findings given")
    leading = ", ".join(f"{c.id} ({c.likelihood})" for c in assessment.causes[:3])
    return _summary(f"{status}; consider: {leading}")


def _causes_detail(assessment: Assessment) -> str:
    parts = [f"**PSPS-2:** {assessment.psps2.basis}"]
    if assessment.causes:
        parts.append("**Likely causes:**\n" + "\n".join(_cause_md(c) for c in assessment.causes))
    if assessment.workup:
        parts.append(
            "**Work-up, most decisive first:** " + ", ".join(f"`{w.id}`" for w in assessment.workup)
        )
    if assessment.treatments:
        options = ", ".join(f"`{t.id}` (step {t.step})" for t in assessment.treatments)
        parts.append(f"**Options to consider:** {options}")
    parts.append(f"_{assessment.disclaimer}_")
    return "\n\n".join(parts)


def _causes_card(request: CdsRequest, assessment: Assessment) -> Card:
    citations = assessment.causes[0].sources if assessment.causes else assessment.psps2.sources
    return Card(
        uuid=_card_id(request, "causes"),
        summary=_causes_summary(assessment),
        detail=_causes_detail(assessment),
        indicator="info",
        source=Source(label=citations[0]),
    )


def _assess_context(context: dict[str, Any]) -> Assessment:
    if "case" not in context:
        raise InvalidCase("context.case", "required field is missing")
    try:
        return assess(context["case"])
    except InvalidCase as exc:
        raise InvalidCase(f"context.case.{exc.field}", exc.reason) from exc


@router.get("", response_model=Discovery)
def discovery() -> Discovery:
    service = CdsService(
        hook="patient-view",
        id=SERVICE_ID,
        title="spinetrack triage after spine surgery",
        description=(
            "Red flags, likely causes of persisting pain, work-up and treatment options, with "
            "sources, for a case sent in context.case (spinetrack triage contract, version 1)."
        ),
    )
    return Discovery(services=[service])


@router.post(f"/{SERVICE_ID}", response_model=CdsResponse, response_model_exclude_none=True)
def triage_cards(request: CdsRequest) -> CdsResponse:
    """Cards for the case in ``context.case``: red flags first, then the likely causes."""
    assessment = _assess_context(request.context)
    cards = [_red_flag_card(request, flag) for flag in assessment.red_flags]
    cards.append(_causes_card(request, assessment))
    return CdsResponse(cards=cards)
