"""Version 1 of the JSON API: one router module per noun, gathered here."""

from fastapi import APIRouter, Depends

from spinetrack.api.deps import refuse_nul
from spinetrack.api.errors import ERROR_RESPONSES
from spinetrack.api.v1 import fhir, fhir_bulk, links, patient_triage, patients, risk, triage

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, dependencies=[Depends(refuse_nul)])
for module in (patients, patient_triage, links, triage, fhir_bulk, fhir, risk):
    router.include_router(module.router)
