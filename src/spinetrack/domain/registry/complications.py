"""The closed list of complication kinds and who may report them (surgeon and patient, kept apart)."""

from functools import cache

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources


class ComplicationCatalogue(KnowledgeModel):
    sources: Sources
    reporters: list[str]
    kinds: dict[str, str]


@cache
def catalogue() -> ComplicationCatalogue:
    return parse("registry/complications.yaml", ComplicationCatalogue)


def check_kind(kind: str, field: str = "kind") -> str:
    if kind not in catalogue().kinds:
        raise InvalidInput(
            field, f"unknown complication {kind!r}; expected one of " + ", ".join(catalogue().kinds)
        )
    return kind


def check_reporter(reporter: str, field: str = "reported_by") -> str:
    if reporter not in catalogue().reporters:
        raise InvalidInput(field, "expected one of " + ", ".join(catalogue().reporters))
    return reporter
