"""FHIR R4 endpoints under /api/v1/fhir: reads of Patient (with $everything), Procedure,
Questionnaire, QuestionnaireResponse, Observation, Condition and RiskAssessment, and the import of
a batch or transaction Bundle (POST to the base), signed in and clinic-scoped."""

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome, OperationOutcomeIssue
from fhir.resources.R4B.resource import Resource
from starlette.concurrency import run_in_threadpool

from spinetrack.api.deps import ClinicScope, CurrentActor, SessionsDep
from spinetrack.api.errors import ERROR_RESPONSES
from spinetrack.api.v1.fhir_capabilities import capability_statement
from spinetrack.api.v1.fhir_import import import_answer, rejected_outcome
from spinetrack.api.v1.fhir_params import (
    RESULT_PARAMS,
    SEARCH_PARAMS,
    BadParameter,
    applied,
    read_query,
)
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.interop.fhir.bundle_out import searchset
from spinetrack.services.registry_io.fhir_read import patient_resources, questionnaires
from spinetrack.services.registry_io.fhir_search import SEARCHABLE
from spinetrack.services.registry_io.fhir_search import read as read_resource
from spinetrack.services.registry_io.fhir_search import search as search_resources
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportRejected

FHIR_JSON = "application/fhir+json"


class FhirResponse(JSONResponse):
    """FHIR JSON as fhir.resources serialised it, under the FHIR media type; being a JSON response
    class, the OpenAPI document describes these routes as answering a JSON document."""

    media_type = FHIR_JSON

    def render(self, content: Any) -> bytes:
        return content.encode() if isinstance(content, str) else super().render(content)


router = APIRouter(prefix="/fhir", tags=["fhir"], default_response_class=FhirResponse)


def _json(resource: Resource) -> Response:
    return FhirResponse(content=resource.model_dump_json())


def _base(request: Request) -> str:
    return str(request.url_for("fhir_questionnaires")).removesuffix("Questionnaire")


def _bundle(request: Request, resources: list[Resource]) -> Response:
    return _json(searchset(resources, _base(request)))


@router.get(
    "/Questionnaire", name="fhir_questionnaires", summary="Our instruments as Questionnaires"
)
def get_questionnaires(request: Request, actor: CurrentActor) -> Response:
    return _bundle(request, questionnaires())


@router.get("/Questionnaire/{resource_id}", summary="One instrument as a Questionnaire")
def get_questionnaire(resource_id: str, actor: CurrentActor) -> Response:
    for questionnaire in questionnaires():
        if questionnaire.id == resource_id:
            return _json(questionnaire)
    raise NotFound("Questionnaire", resource_id)


def _outcome(status: int, code: str, diagnostics: str) -> Response:
    outcome = OperationOutcome(
        issue=[OperationOutcomeIssue(severity="error", code=code, diagnostics=diagnostics)]
    )
    return FhirResponse(content=outcome.model_dump_json(), status_code=status)


FHIR_OBJECT = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
FHIR_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {
        "description": "An unsupported search parameter or value (OperationOutcome)",
        **FHIR_OBJECT,
    },
}


@router.get("/metadata", summary="The CapabilityStatement: what this server supports")
def metadata(request: Request) -> Response:
    return _json(capability_statement(_base(request)))


def _parameters(resource_type: str) -> list[dict[str, Any]]:
    params = [*SEARCH_PARAMS[resource_type], *RESULT_PARAMS]
    if resource_type == "Patient":
        params = [p for p in params if p.name != "_sort"]
    return [
        {
            "name": p.name,
            "in": "query",
            "required": False,
            "description": p.documentation,
            "schema": {"type": "string"},
        }
        for p in params
    ]


def _search(resource_type: str) -> Callable[..., Response]:
    def search(
        request: Request, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
    ) -> Response:
        try:
            query = read_query(resource_type, request.query_params)
        except BadParameter as exc:
            return _outcome(400, "not-supported" if "supported" in str(exc) else "value", str(exc))
        page = search_resources(sessions=sessions, actor=actor, clinic_id=clinic, query=query)
        here = f"{_base(request)}{resource_type}"
        links = [("self", f"{here}?{applied(request.query_params, _offset=query.offset or None)}")]
        if page.has_next:
            after = applied(request.query_params, _offset=query.offset + query.count)
            links.append(("next", f"{here}?{after}"))
        return _json(searchset(page.resources, _base(request), total=page.total, links=links))

    return search


def _read(resource_type: str) -> Callable[..., Response]:
    def read(
        resource_id: str, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
    ) -> Response:
        return _json(
            read_resource(
                sessions=sessions,
                actor=actor,
                clinic_id=clinic,
                resource_type=resource_type,
                resource_id=resource_id,
            )
        )

    return read


@router.get("/Patient/{resource_id}/$everything", summary="Everything recorded about a patient")
def patient_everything(
    resource_id: str,
    request: Request,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> Response:
    found = patient_resources(
        sessions=sessions, actor=actor, clinic_id=clinic, resource_id=resource_id
    )
    return _bundle(request, found)


for _type in SEARCHABLE:
    router.add_api_route(
        f"/{_type}",
        _search(_type),
        methods=["GET"],
        summary=f"Search {_type}",
        openapi_extra={"parameters": _parameters(_type)},
        responses=FHIR_ERRORS,
    )
    router.add_api_route(
        f"/{_type}/{{resource_id}}", _read(_type), methods=["GET"], summary=f"Read a {_type}"
    )


IMPORT_MODES = {"transaction": "all-or-nothing", "batch": "accept-valid"}
BUNDLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A FHIR R4 Bundle of type transaction (all or nothing) or batch",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}, "application/json": {}},
    }
}
FHIR_OUTCOME = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}


@router.post(
    "",
    summary="Import a batch or transaction Bundle",
    description=(
        "Patients are matched by the clinic's MRN identifier systems; what the registry does not "
        "keep is skipped and listed in the answer. A transaction stores nothing when any resource "
        "is rejected (answer 422 with an OperationOutcome); a batch stores what passed."
    ),
    openapi_extra=BUNDLE_BODY,
    responses={
        **ERROR_RESPONSES,
        200: {"description": "A transaction-response or batch-response Bundle", **FHIR_OUTCOME},
        422: {
            "description": "The Bundle is not usable, or a transaction had rejected resources",
            "content": {
                FHIR_JSON: {"schema": {"type": "object"}},
                "application/json": {"schema": ERROR_RESPONSES[422]["model"].model_json_schema()},
            },
        },
    },
)
async def post_bundle(
    request: Request, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> Response:
    raw = await request.body()
    kind = _bundle_type(raw)
    try:
        report = await run_in_threadpool(
            import_fhir,
            sessions=sessions,
            actor=actor,
            clinic_id=clinic,
            bundle=raw,
            mode="all-or-nothing" if kind == "transaction" else "accept-valid",
        )
    except ImportRejected as exc:
        return FhirResponse(content=rejected_outcome(exc.report).model_dump_json(), status_code=422)
    return _json(import_answer(raw, report, kind))


def _bundle_type(raw: bytes) -> str:
    """The Bundle's type, which must be batch or transaction for a POST to the base."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("bundle", f"not JSON ({exc})") from exc
    kind = data.get("type") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidInput("resourceType", "POST to the FHIR base takes a Bundle")
    if kind not in IMPORT_MODES:
        raise InvalidInput("type", "POST to the FHIR base takes a batch or transaction Bundle")
    return str(kind)
