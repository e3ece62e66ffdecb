"""POST /api/v1/triage: the triage contract over HTTP, the same assessment as Python and the CLI.

The body is validated by the domain, not by FastAPI, so a bad case gets the very message the
command line prints (422, {"detail": ..., "field": ...}).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body

from spinetrack.domain.triage import Assessment, assess

router = APIRouter(tags=["triage"])

_EXAMPLE = {
    "case_id": "c-001",
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [
        {"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"], "instrumented": True}
    ],
    "course": "improved_then_recurred",
    "pain": {"axial": 7, "limb": 3},
    "findings": ["mechanical_pain", "screw_lucency"],
}


@router.post("/triage", response_model=Assessment)
def post_triage(
    case: Annotated[
        Any, Body(description="A case as the triage contract defines it.", examples=[_EXAMPLE])
    ],
) -> Assessment:
    """Red flags, likely causes, work-up and treatment options for one case, each with sources."""
    return assess(case)
