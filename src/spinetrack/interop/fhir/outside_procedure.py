"""Surgeries and complications as outside systems code them (SNOMED CT, CPT, ICD-10-PCS, ICD-10-CM)
read into our terms by the mapping table in knowledge/interop/procedure_codes.yaml. The spinal
levels are read from what the resource says (bodySite, the code's text), the region from the code
or else from those levels, the approach from the code, else from a single approach named in the
resource's text, else from the procedure's only usual approach; what stays unknown is refused."""

import re
from collections.abc import Iterable

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_codes import (
    AddonMeaning,
    MappedProcedure,
    body_site_region,
    map_addon,
    map_complication,
    map_procedure,
)
from spinetrack.domain.outside_text import approach_named, fusion_instrumented, usual_approach
from spinetrack.domain.registry.surgery import normalize_level, segments_between, surgery_matrix
from spinetrack.interop.fhir.elements import as_day, note_text
from spinetrack.interop.records import ComplicationRecord, SurgeryRecord, SurgeryRef

_LEVEL = re.compile(r"\b([CTLS])(\d{1,2})\s*(?:-|/|–|to)\s*([CTLS]?)(\d{1,2})\b", re.IGNORECASE)
_REGION_OF = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "lumbar"}
MAX_RANGE = 8
"""A written range longer than this many segments is taken as not a list of operated levels."""


def _texts(concepts: Iterable[CodeableConcept | None]) -> list[str]:
    texts: list[str] = []
    for concept in concepts:
        if concept is None:
            continue
        if concept.text:
            texts.append(str(concept.text))
        texts += [str(c.display) for c in concept.coding or [] if c.display]
    return texts


def extension_texts(extensions: list[Extension] | None) -> list[str]:
    """The words of a resource's extensions, local ones included (a hospital's 'spinal-level')."""
    texts: list[str] = []
    for ext in extensions or []:
        texts += [str(v) for v in (ext.valueString, ext.valueCode) if v]
        texts += _texts([ext.valueCodeableConcept])
        if ext.valueCoding is not None:
            texts += [str(v) for v in (ext.valueCoding.display, ext.valueCoding.code) if v]
        texts += extension_texts(ext.extension)
    return texts


def levels_in(texts: Iterable[str]) -> tuple[str, ...]:
    """Motion segments named in free text: 'L4-L5', 'L4/5', 'L5-S1', 'C5 to C6', and ranges of
    vertebrae ('C3-C6', 'L4-S1') as every segment in them."""
    found: list[str] = []
    for text in texts:
        for upper_letter, upper, lower_letter, lower in _LEVEL.findall(text):
            letter = upper_letter.upper()
            segments = segments_between(
                f"{letter}{upper}", f"{(lower_letter or letter).upper()}{lower}"
            )
            if not 0 < len(segments) <= MAX_RANGE:
                continue
            for level in segments:
                try:
                    level = normalize_level(level)
                except InvalidInput:
                    continue
                if level not in found:
                    found.append(level)
    return tuple(sorted(found, key=spine_order))


def spine_order(level: str) -> int:
    return len(segments_between("C1", level.split("-")[0]))


def mapped_codes(concept: CodeableConcept | None) -> list[MappedProcedure]:
    return [
        mapped
        for coding in (concept.coding if concept else None) or []
        if coding.system
        and coding.code
        and (mapped := map_procedure(str(coding.system), str(coding.code)))
    ]


def addon_codes(concept: CodeableConcept | None) -> list[tuple[str, AddonMeaning]]:
    """(code, meaning) of the add-on or component codes of a concept."""
    return [
        (str(coding.code), meaning)
        for coding in (concept.coding if concept else None) or []
        if coding.system
        and coding.code
        and (meaning := map_addon(str(coding.system), str(coding.code)))
    ]


def _one(values: Iterable[str | None], field: str) -> str | None:
    found = {v for v in values if v}
    if len(found) > 1:
        raise InvalidInput(field, f"the codes disagree: {', '.join(sorted(found))}")
    return found.pop() if found else None


def _approach(procedure: str, region: str, coded: str | None, texts: list[str]) -> str:
    if coded:
        return coded
    named = approach_named(" ".join(texts))
    if len(named) == 1:
        return named.pop()
    usual = surgery_matrix().procedures[procedure].usual_approaches
    if len(usual) == 1:
        return usual[0]
    by_region = usual_approach(procedure, region)
    if by_region is not None and not named:
        return by_region
    raise InvalidInput(
        "approach",
        f"the codes do not say the approach of this {procedure} and the text names "
        f"{'none' if not named else 'several'}; expected one of {', '.join(usual)}",
    )


def _site_region(procedure: Procedure) -> str | None:
    regions = {
        region
        for site in procedure.bodySite or []
        for coding in site.coding or []
        if coding.system
        and coding.code
        and (region := body_site_region(str(coding.system), str(coding.code)))
    }
    return regions.pop() if len(regions) == 1 else None


def procedure_levels(procedure: Procedure) -> tuple[str, ...]:
    """Levels from the body site and extensions (where a hospital puts the site), else from the
    code's words, else from the notes: a code text may also name levels the operation only
    touched (instrumentation removed from L4-S1 during an L5-S1 revision fusion)."""
    sites = procedure.bodySite or []
    structured = _texts(sites) + extension_texts(procedure.extension)
    for site in sites:
        structured += extension_texts(site.extension)
    return (
        levels_in(structured)
        or levels_in(_texts([procedure.code]))
        or levels_in([note_text(procedure.note) or ""])
    )


def from_outside_procedure(
    procedure: Procedure, ref: SurgeryRef, mapped: list[MappedProcedure]
) -> SurgeryRecord:
    """The surgery an outside Procedure records, given the codings the table understood."""
    kind = _one((m.procedure for m in mapped), "code")
    assert kind is not None
    notes = note_text(procedure.note)
    texts = [*_texts([procedure.code, *(procedure.bodySite or [])]), notes or ""]
    levels = procedure_levels(procedure)
    region = (
        _one((m.region for m in mapped), "code")
        or _site_region(procedure)
        or _one((_REGION_OF[level[0]] for level in levels), "bodySite")
    )
    if region is None:
        raise InvalidInput("bodySite", "neither the codes nor the body site say the spinal region")
    approach = _approach(kind, region, _one((m.approach for m in mapped), "code"), texts)
    instrumented = any(m.instrumented for m in mapped) or any(
        m.instrumented for _, m in addon_codes(procedure.code)
    )
    if kind == "fusion" and not instrumented:
        instrumented = bool(procedure.focalDevice) or bool(fusion_instrumented(" ".join(texts)))
    sources = ", ".join(m.source for m in mapped)
    return SurgeryRecord(
        ref=ref,
        region=region,
        procedure=kind,
        approach=approach,
        levels=levels,
        instrumented=instrumented,
        notes="\n".join(n for n in (notes, f"Imported from {sources}") if n),
        planned=procedure.status == "preparation",
    )


def complication_kind(concept: CodeableConcept | None) -> str | None:
    for coding in (concept.coding if concept else None) or []:
        if coding.system and coding.code:
            kind = map_complication(str(coding.system), str(coding.code))
            if kind is not None:
                return kind
    return None


def _reporter(*who: Reference | None) -> str:
    """A complication the patient recorded is theirs; one from the hospital record is clinical."""
    for reference in who:
        if reference is not None and (
            reference.type == "Patient" or str(reference.reference or "").startswith("Patient/")
        ):
            return "patient"
    return "surgeon"


def from_outside_condition(
    condition: Condition, kind: str, surgery: SurgeryRef
) -> ComplicationRecord:
    onset = condition.onsetDateTime or condition.recordedDate
    return ComplicationRecord(
        surgery=surgery,
        kind=kind,
        reported_by=_reporter(condition.asserter, condition.recorder),
        occurred_on=as_day(onset, "onsetDateTime") if onset is not None else None,
        notes=note_text(condition.note),
    )


def from_adverse_event(event: AdverseEvent, kind: str, surgery: SurgeryRef) -> ComplicationRecord:
    return ComplicationRecord(
        surgery=surgery,
        kind=kind,
        reported_by=_reporter(event.recorder),
        occurred_on=as_day(event.date, "date") if event.date is not None else None,
    )
