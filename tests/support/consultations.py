"""A consultation request as the public form sends it."""

from typing import Any

from tests.support.world import World

from spinetrack.services.patient_side.consultations import (
    NewConsultation,
    submit_consultation,
)

BACK = ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound")


def request(**changes: Any) -> NewConsultation:
    data: dict[str, Any] = {
        "region": "back",
        "surgery_when": "March 2025",
        "symptoms": "The leg pain came back after three good months.",
        "screening": dict.fromkeys(BACK, False),
        "given_name": "Maria",
        "family_name": "Okoye",
        "phone": "+44 1632 960000",
        "consent": True,
    }
    data.update(changes)
    return NewConsultation.model_validate(data)


def send_consultation(world: World, slug: str = "north", **changes: Any) -> int:
    return submit_consultation(
        sessions=world.database.sessions, clinic_slug=slug, request=request(**changes), remote=None
    ).id
