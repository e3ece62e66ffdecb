"""FHIR R4 endpoints under /api/v1/fhir: reads of Patient (with $everything), Procedure,
Questionnaire, QuestionnaireResponse, Observation, Condition and RiskAssessment, and the import of
a batch or transaction Bundle (POST to the base), signed in and clinic-scoped."""

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from fhir.resources.R4B.resource import Resource
from starlette.concurrency import run_in_threadpool

from spinetrack.api.deps import ClinicScope, CurrentActor, SessionsDep
from spinetrack.api.errors import ERROR_RESPONSES
from spinetrack.api.v1.fhir_import import import_answer, rejected_outcome
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.interop.fhir.bundle_out import searchset
from spinetrack.services.fhir_read import (
    clinic_resources,
    patient_by_mrn,
    patient_resources,
    questionnaires,
)
from spinetrack.services.import_fhir import import_fhir
from spinetrack.services.import_records import ImportRejected

FHIR_JSON = "application/fhir+json"


class FhirResponse(JSONResponse):
    """FHIR JSON as fhir.resources serialised it, under the FHIR media type; being a JSON response
    class, the OpenAPI document describes these routes as answering a JSON document."""

    media_type = FHIR_JSON

    def render(self, content: Any) -> bytes:
        return content.encode() if isinstance(content, str) else super().render(content)


router = APIRouter(prefix="/fhir", tags=["fhir"], default_response_class=FhirResponse)
PATIENT_DATA = ("Procedure", "QuestionnaireResponse", "Observation", "Condition", "RiskAssessment")


def _json(resource: Resource) -> Response:
    return FhirResponse(content=resource.model_dump_json())


def _base(request: Request) -> str:
    return str(request.url_for("fhir_questionnaires")).removesuffix("Questionnaire")


def _bundle(request: Request, resources: list[Resource]) -> Response:
    return _json(searchset(resources, _base(request)))


def _patient_reference(patient: str) -> str:
    return patient.removeprefix("Patient/")


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


@router.get("/Patient", summary="Search patients by identifier (system|value), or list them")
def search_patients(
    request: Request,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
    identifier: Annotated[str | None, Query(description="system|value, e.g. the MRN")] = None,
) -> Response:
    if identifier is None:
        found = clinic_resources(
            sessions=sessions, actor=actor, clinic_id=clinic, resource_type="Patient"
        )
        return _bundle(request, found)
    system, bar, value = identifier.partition("|")
    if not bar or not value:
        raise InvalidInput("identifier", "expected system|value")
    found = patient_by_mrn(
        sessions=sessions, actor=actor, clinic_id=clinic, system=system, value=value
    )
    return _bundle(request, found)


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


@router.get("/Patient/{resource_id}", summary="Read a Patient")
def read_patient(
    resource_id: str, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> Response:
    found = patient_resources(
        sessions=sessions, actor=actor, clinic_id=clinic, resource_id=resource_id
    )
    return _json(found[0])


def _search(resource_type: str) -> Callable[..., Response]:
    def search(
        request: Request,
        actor: CurrentActor,
        sessions: SessionsDep,
        clinic: ClinicScope,
        patient: Annotated[str | None, Query(description="Patient/{id} or the id")] = None,
    ) -> Response:
        if patient is None:
            found = clinic_resources(
                sessions=sessions, actor=actor, clinic_id=clinic, resource_type=resource_type
            )
        else:
            every = patient_resources(
                sessions=sessions,
                actor=actor,
                clinic_id=clinic,
                resource_id=_patient_reference(patient),
            )
            found = [r for r in every if r.get_resource_type() == resource_type]
        return _bundle(request, found)

    return search


def _read(resource_type: str) -> Callable[..., Response]:
    def read(
        resource_id: str, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
    ) -> Response:
        found = clinic_resources(
            sessions=sessions, actor=actor, clinic_id=clinic, resource_type=resource_type
        )
        for resource in found:
            if resource.id == resource_id:
                return _json(resource)
        raise NotFound(resource_type, resource_id)

    return read


for _type in PATIENT_DATA:
    router.add_api_route(
        f"/{_type}", _search(_type), methods=["GET"], summary=f"Search {_type} by patient"
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
