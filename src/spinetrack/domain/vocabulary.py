"""The triage vocabulary: the closed set of region, procedure, finding and outcome ids.

Every id the product accepts or writes comes from here; the data is knowledge/triage/vocabulary.yaml.
"""

from functools import cache

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

VOCABULARY_FILE = "triage/vocabulary.yaml"


class Vocabulary(KnowledgeModel):
    sources: Sources
    regions: list[str]
    procedures: dict[str, str]
    courses: dict[str, str]
    findings: dict[str, str]
    red_flags: dict[str, str]
    urgencies: list[str]
    causes: dict[str, str]
    workup: dict[str, str]
    treatments: dict[str, str]


@cache
def vocabulary() -> Vocabulary:
    return parse(VOCABULARY_FILE, Vocabulary)
