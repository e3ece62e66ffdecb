"""The CapabilityStatement at /api/v1/fhir/metadata: built from the same tables the endpoints read
(search parameters, searchable types), so it declares exactly what the server does."""

from datetime import UTC, datetime

from fhir.resources.R4B.capabilitystatement import (
    CapabilityStatement,
    CapabilityStatementImplementation,
    CapabilityStatementRest,
    CapabilityStatementRestInteraction,
    CapabilityStatementRestResource,
    CapabilityStatementRestResourceInteraction,
    CapabilityStatementRestResourceOperation,
    CapabilityStatementRestResourceSearchParam,
    CapabilityStatementRestSecurity,
    CapabilityStatementSoftware,
)

from spinetrack import __version__
from spinetrack.api.v1.fhir_params import RESULT_PARAMS, SEARCH_PARAMS, Param
from spinetrack.services.registry_io.fhir_search import SEARCHABLE


def _param(param: Param) -> CapabilityStatementRestResourceSearchParam:
    return CapabilityStatementRestResourceSearchParam(
        name=param.name, type=param.type, documentation=param.documentation
    )


BULK = "http://hl7.org/fhir/uv/bulkdata"


def _resource(kind: str) -> CapabilityStatementRestResource:
    operations = None
    if kind == "Patient":
        operations = [
            CapabilityStatementRestResourceOperation(
                name="everything",
                definition="http://hl7.org/fhir/OperationDefinition/Patient-everything",
            ),
            CapabilityStatementRestResourceOperation(
                name="export", definition=f"{BULK}/OperationDefinition/patient-export"
            ),
        ]
    return CapabilityStatementRestResource(
        type=kind,
        interaction=[
            CapabilityStatementRestResourceInteraction(code="read"),
            CapabilityStatementRestResourceInteraction(code="search-type"),
        ],
        searchParam=[_param(p) for p in SEARCH_PARAMS.get(kind, ())] or None,
        operation=operations,
    )


def capability_statement(base_url: str) -> CapabilityStatement:
    questionnaire = CapabilityStatementRestResource(
        type="Questionnaire",
        interaction=[
            CapabilityStatementRestResourceInteraction(code="read"),
            CapabilityStatementRestResourceInteraction(code="search-type"),
        ],
        documentation="Our instruments (structure and neutral answer levels); no parameters",
    )
    return CapabilityStatement(
        status="active",
        date=datetime.now(UTC).replace(microsecond=0),
        kind="instance",
        software=CapabilityStatementSoftware(name="spinetrack", version=__version__),
        implementation=CapabilityStatementImplementation(
            description="spinetrack registry FHIR API", url=base_url.rstrip("/")
        ),
        fhirVersion="4.0.1",
        instantiates=[f"{BULK}/CapabilityStatement/bulk-data"],
        format=["application/fhir+json", "json"],
        rest=[
            CapabilityStatementRest(
                mode="server",
                documentation=(
                    "Signed in with an API token (Authorization: Bearer) and scoped to one clinic "
                    "(`clinic` query parameter for users of several). Search parameters not listed "
                    "are refused with 400. POST a batch or transaction Bundle to the base to import. "
                    "Bulk Data $export (system and Patient level, NDJSON) for the clinic's "
                    "clinical roles."
                ),
                security=CapabilityStatementRestSecurity(
                    cors=False, description="Bearer API tokens issued by the clinic"
                ),
                resource=[_resource(kind) for kind in SEARCHABLE] + [questionnaire],
                interaction=[
                    CapabilityStatementRestInteraction(code="batch"),
                    CapabilityStatementRestInteraction(code="transaction"),
                ],
                searchParam=[_param(p) for p in RESULT_PARAMS],
                operation=[
                    CapabilityStatementRestResourceOperation(
                        name="export", definition=f"{BULK}/OperationDefinition/export"
                    )
                ],
            )
        ],
    )
