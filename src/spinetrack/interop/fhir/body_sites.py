"""SNOMED CT codes of where a surgery was done and where a pain score hurts, put beside our own
codes on export (knowledge/interop/body_site_codes.yaml, each with its source). A region or site
without a confirmed code gets only ours."""

from functools import cache

from fhir.resources.R4B.coding import Coding

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources
from spinetrack.interop.fhir.codes import SNOMED


class SnomedConcept(KnowledgeModel):
    code: str
    display: str


class BodySiteCodes(KnowledgeModel):
    sources: Sources
    regions: dict[str, SnomedConcept]
    pain_sites: dict[str, SnomedConcept]
    not_coded: dict[str, str]


@cache
def body_site_codes() -> BodySiteCodes:
    return parse("interop/body_site_codes.yaml", BodySiteCodes)


def _coding(concept: SnomedConcept | None) -> list[Coding]:
    return [Coding(system=SNOMED, code=concept.code, display=concept.display)] if concept else []


def region_coding(region: str) -> list[Coding]:
    """The SNOMED CT coding of a spinal region, or none."""
    return _coding(body_site_codes().regions.get(region))


def pain_site_coding(instrument: str) -> list[Coding]:
    """The SNOMED CT coding of where an NRS instrument's pain is, or none (not a pain score)."""
    return _coding(body_site_codes().pain_sites.get(instrument))
