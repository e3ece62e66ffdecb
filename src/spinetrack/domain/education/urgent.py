"""When to seek care at once, in patients' words: the box every library page shows.

The signs are the red flags of the triage vocabulary, said the way a patient would notice them, so
they live as data with their sources like every other clinical statement.
"""

from functools import cache
from typing import Annotated

from pydantic import Field, StringConstraints

from spinetrack.domain.education.languages import SOURCE_LANGUAGE, localized_file
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

URGENT_FILE = "education/urgent-care.yaml"

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]
Lines = Annotated[list[Line], Field(min_length=1)]


class Advice(KnowledgeModel):
    """One level of urgency: what to do, and the signs that call for it."""

    action: Line
    signs: Lines


class Crisis(KnowledgeModel):
    """Where to turn at once when pain or low mood makes someone think of harming themselves."""

    title: Line
    lines: Lines


class UrgentCare(KnowledgeModel):
    title: Line
    emergency: Advice
    same_day: Advice
    crisis: Crisis
    sources: Sources


@cache
def urgent_care(language: str = SOURCE_LANGUAGE) -> UrgentCare:
    """The box in ``language`` (English until that language has its own urgent-care file)."""
    return parse(localized_file(language, "urgent-care.yaml"), UrgentCare)
