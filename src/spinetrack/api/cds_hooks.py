"""CDS Hooks: the triage assessment as cards an EHR can show beside the patient's chart.

Discovery at GET /cds-services; one service, POST /cds-services/spinetrack-triage, on the
``patient-view`` hook (any other hook is refused), and its feedback endpoint. The case comes from
either
- ``context.patientId`` and ``prefetch`` (templates for the Patient, Conditions, Procedures and
  Observations are declared): the case is built from the prefetched resources and, when the calling
  EHR's clinic holds the patient, from our record with the prefetched Conditions added as reports;
- or ``context.case``, the triage contract's case as it is (stateless; nothing stored is read).
The EHR's JWT is verified (api/cds_auth.py); only a verified EHR whose issuer is configured with
a clinic has our record read, so an anonymous call gets what its own data shows and nothing stored.
Responses carry CORS headers and preflight requests
are answered, as the specification asks. One card per red flag (``critical`` for emergencies,
``warning`` for urgent), then one ``info`` card with the likely causes, work-up and options.
"""

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spinetrack.api.cds_auth import calling_issuer
from spinetrack.api.deps import SessionsDep, refuse_nul
from spinetrack.api.errors import ERROR_RESPONSES
from spinetrack.config import CdsIssuer, get_settings
from spinetrack.domain.errors import InvalidCase, InvalidInput, SpinetrackError
from spinetrack.domain.triage import Assessment, assess
from spinetrack.domain.triage.assessment import LikelyCause, RedFlag
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.interop.fhir.cds_prefetch import prefetch_case, prefetch_reports, resources_of
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.clinic_calendar import default_today
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.triage.cds_case import stored_case

SERVICE_ID = "spinetrack-triage"
HOOK = "patient-view"
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "procedures": "Procedure?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
}
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Expose-Headers": "Origin, Accept, Content-Location, Location, X-Requested-With",
    "Access-Control-Max-Age": "600",
}
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
    # fhirServer and fhirAuthorization are part of CDS Hooks; accepted, not used (we never call
    # back into the EHR: what is not prefetched is not read).
    model_config = ConfigDict(extra="allow")

    hook: str
    hookInstance: str  # noqa: N815 (the CDS Hooks field name)
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


class FeedbackItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    card: str
    outcome: Literal["accepted", "overridden"]
    outcomeTimestamp: str  # noqa: N815 (the CDS Hooks field name)


class Feedback(BaseModel):
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=100)


class WrongHook(SpinetrackError):
    """The service answers the patient-view hook only."""


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


def _identifiers(prefetch: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(i.get("system")), str(i.get("value")))
        for key in prefetch
        for patient in resources_of(prefetch[key], "Patient")
        for i in patient.get("identifier") or []
        if isinstance(i, dict) and i.get("system") and i.get("value")
    ]


def _patient_case(body: CdsRequest, issuer: CdsIssuer | None, sessions: Any) -> dict[str, Any]:
    """The case of the patient in context: from our record, evaluated on the clinic's today, when
    a verified EHR's clinic holds them; else from the prefetch, on the configured default zone's
    today."""
    patient = body.context.get("patientId")
    if not isinstance(patient, str) or not patient:
        raise InvalidCase("context.patientId", "required field is missing (or send context.case)")
    prefetch = body.prefetch or {}
    if issuer is not None and issuer.clinic is not None:  # only a verified EHR reads our record
        stored = stored_case(
            sessions=sessions,
            actor=system_actor(f"cds-hooks:{issuer.iss}"),
            clinic=issuer.clinic,
            patient=patient,
            identifiers=_identifiers(prefetch),
            reports=prefetch_reports(prefetch),
        )
        if stored is not None:
            return stored
    if not prefetch:
        raise InvalidCase(
            "context.case",
            "required field is missing; or send context.patientId with the prefetch the "
            "discovery document declares",
        )
    try:
        return prefetch_case(prefetch, default_today())
    except InvalidInput as exc:
        raise InvalidCase(exc.field, exc.reason) from exc


@router.get("", response_model=Discovery)
def discovery() -> Discovery:
    service = CdsService(
        hook=HOOK,
        id=SERVICE_ID,
        title="spinetrack triage after spine surgery",
        description=(
            "Red flags, likely causes of persisting pain, work-up and treatment options, with "
            "sources, for the patient in context.patientId (from the prefetched Patient, "
            "Conditions, Procedures and Observations, and our record when the clinic holds the "
            "patient), or for a case sent in context.case (spinetrack triage contract, version 1)."
        ),
        prefetch=PREFETCH,
    )
    return Discovery(services=[service])


@router.post(f"/{SERVICE_ID}", response_model=CdsResponse, response_model_exclude_none=True)
def triage_cards(body: CdsRequest, request: Request, sessions: SessionsDep) -> CdsResponse:
    """Cards for the patient (or the case in ``context.case``): red flags first, then causes."""
    if body.hook != HOOK:
        raise WrongHook(f"this service answers the {HOOK} hook, not {body.hook!r}")
    if "case" in body.context:  # stateless: computed from the request alone, whoever sends it
        assessment = _assess_context(body.context)
    else:
        issuer = calling_issuer(request)
        assessment = assess(_patient_case(body, issuer, sessions))
    cards = [_red_flag_card(body, flag) for flag in assessment.red_flags]
    cards.append(_causes_card(body, assessment))
    return CdsResponse(cards=cards)


@router.post(f"/{SERVICE_ID}/feedback", status_code=200)
def feedback(body: Feedback, request: Request, sessions: SessionsDep) -> dict[str, str]:
    """What the clinician did with our cards (accepted, overridden), kept in the audit trail."""
    issuer = calling_issuer(request)
    if issuer is None and not get_settings().cds_development:
        raise NotAuthenticated("feedback needs the EHR's JWT")
    name = f"cds-hooks:{issuer.iss if issuer else 'development'}"
    with audited(sessions, system_actor(name), "cds.feedback", clinic_id=None) as work:
        work.detail = "; ".join(f"{item.card}: {item.outcome}" for item in body.feedback)[:500]
    return {}


class _Cors:
    """CORS as CDS Hooks asks: any origin may call the services (the JWT says who it is), and a
    preflight OPTIONS is answered without a body.

    A plain ASGI middleware, like `hygiene.SecurityHeaders`: as `@app.middleware("http")` it ran
    every request of the app, the busiest API writes and pages too, through extra tasks and
    streams, only to pass all but the CDS services' on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(router.prefix):
            await self.app(scope, receive, send)
            return
        origin = Headers(scope=scope).get("origin", "*")
        allow = {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **CORS_HEADERS}
        if scope["method"] == "OPTIONS":
            await Response(status_code=204, headers=allow)(scope, receive, send)
            return

        async def send_allowing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                headers.update(allow)  # replaces a header of the same name, as before
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, send_allowing)


def install(app: FastAPI) -> None:
    app.add_middleware(_Cors)
