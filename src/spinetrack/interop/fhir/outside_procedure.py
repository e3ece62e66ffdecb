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
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_codes import MappedProcedure, map_complication, map_procedure
from spinetrack.domain.registry.surgery import normalize_level, surgery_matrix
from spinetrack.interop.fhir.elements import as_day, note_text
from spinetrack.interop.records import ComplicationRecord, SurgeryRecord, SurgeryRef

_LEVEL = re.compile(r"\b([CTLS])(\d{1,2})\s*(?:-|/|–|to)\s*([CTLS]?)(\d{1,2})\b", re.IGNORECASE)
_REGION_OF = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "lumbar"}


def _texts(concepts: Iterable[CodeableConcept | None]) -> list[str]:
    texts: list[str] = []
    for concept in concepts:
        if concept is None:
            continue
        if concept.text:
            texts.append(str(concept.text))
        texts += [str(c.display) for c in concept.coding or [] if c.display]
    return texts


def levels_in(texts: Iterable[str]) -> tuple[str, ...]:
    """Motion segments named in free text: 'L4-L5', 'L4/5', 'L5-S1', 'C5 to C6'."""
    found: list[str] = []
    for text in texts:
        for upper_letter, upper, lower_letter, lower in _LEVEL.findall(text):
            letter = upper_letter.upper()
            level = f"{letter}{upper}-{(lower_letter or letter).upper()}{lower}"
            try:
                level = normalize_level(level)
            except InvalidInput:
                continue
            if level not in found:
                found.append(level)
    return tuple(found)


def mapped_codes(concept: CodeableConcept | None) -> list[MappedProcedure]:
    return [
        mapped
        for coding in (concept.coding if concept else None) or []
        if coding.system
        and coding.code
        and (mapped := map_procedure(str(coding.system), str(coding.code)))
    ]


def _one(values: Iterable[str | None], field: str) -> str | None:
    found = {v for v in values if v}
    if len(found) > 1:
        raise InvalidInput(field, f"the codes disagree: {', '.join(sorted(found))}")
    return found.pop() if found else None


def _approach(procedure: str, coded: str | None, texts: list[str]) -> str:
    if coded:
        return coded
    words = " ".join(texts).lower()
    named = [a for a in surgery_matrix().approaches if re.search(rf"\b{a}\b", words)]
    if len(named) == 1:
        return named[0]
    usual = surgery_matrix().procedures[procedure].usual_approaches
    if len(usual) == 1:
        return usual[0]
    raise InvalidInput(
        "approach",
        f"the codes do not say the approach of this {procedure} and the text names "
        f"{'none' if not named else 'several'}; expected one of {', '.join(usual)}",
    )


def from_outside_procedure(
    procedure: Procedure, ref: SurgeryRef, mapped: list[MappedProcedure]
) -> SurgeryRecord:
    """The surgery an outside Procedure records, given the codings the table understood."""
    kind = _one((m.procedure for m in mapped), "code")
    assert kind is not None
    texts = _texts([procedure.code, *(procedure.bodySite or [])])
    levels = levels_in(texts)
    region = _one((m.region for m in mapped), "code") or _one(
        (_REGION_OF[level[0]] for level in levels), "bodySite"
    )
    if region is None:
        raise InvalidInput("bodySite", "neither the codes nor the body site say the spinal region")
    approach = _approach(kind, _one((m.approach for m in mapped), "code"), texts)
    instrumented = any(m.instrumented for m in mapped) or bool(procedure.focalDevice)
    sources = ", ".join(m.source for m in mapped)
    notes = note_text(procedure.note)
    return SurgeryRecord(
        ref=ref,
        region=region,
        procedure=kind,
        approach=approach,
        levels=levels,
        instrumented=instrumented,
        notes="\n".join(n for n in (notes, f"Imported from {sources}") if n),
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
