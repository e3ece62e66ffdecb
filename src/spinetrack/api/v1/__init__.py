"""Version 1 of the JSON API: one router module per noun, gathered here."""

from fastapi import APIRouter

from spinetrack.api.v1 import fhir, links, patient_triage, patients, triage

router = APIRouter(prefix="/api/v1")
for module in (patients, patient_triage, links, triage, fhir):
    router.include_router(module.router)
