"""A scored response as a survey Observation: LOINC where clinical-facts.md 9.1 confirms the code,
always with our instrument code beside it; ODI and NDI give the percentage with the 0-50 points as a
component. Only responses scored `ok` have an Observation; the others have no score to report."""

from decimal import Decimal

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.quantity import Quantity

from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.outside_text import pain_site_label
from spinetrack.interop.fhir.body_sites import pain_site_coding
from spinetrack.interop.fhir.codes import (
    LOINC,
    LOINC_SCORES,
    OBSERVATION_CATEGORY,
    UCUM,
    code_system,
)
from spinetrack.interop.fhir.elements import ours, reference
from spinetrack.interop.fhir.ids import observation_id, patient_id, response_id
from spinetrack.interop.records import ResponseRecord


def _code(instrument: str) -> CodeableConcept:
    codings = []
    if instrument in LOINC_SCORES:
        code, display, _ = LOINC_SCORES[instrument]
        codings.append(Coding(system=LOINC, code=code, display=display))
    title = get_instrument(instrument).title
    codings.append(Coding(system=code_system("instrument"), code=instrument, display=title))
    return CodeableConcept(coding=codings, text=f"{title} score")


def _quantity(value: float, percent: bool) -> Quantity:
    unit, code = ("%", "%") if percent else ("score", "{score}")
    return Quantity(value=Decimal(str(value)), unit=unit, system=UCUM, code=code)


def to_observation(record: ResponseRecord) -> Observation | None:
    score = record.score
    if score is None or score.status != "ok":
        return None
    percent = score.percent is not None
    value = score.percent if score.percent is not None else score.raw
    if value is None:
        return None
    component = None
    if percent and score.raw is not None:
        component = [
            ObservationComponent(
                code=ours("score-part", "raw-points", "points on the 0-50 scale"),
                valueQuantity=_quantity(score.raw, percent=False),
            )
        ]
    source = response_id(record.mrn, record.instrument, record.completed_at)
    return Observation(
        id=observation_id(source),
        status="final",
        category=[
            CodeableConcept(
                coding=[Coding(system=OBSERVATION_CATEGORY, code="survey", display="Survey")]
            )
        ],
        code=_code(record.instrument),
        bodySite=CodeableConcept(coding=pain_site_coding(record.instrument) or None, text=site)
        if (site := pain_site_label(record.instrument))
        else None,
        subject=reference("Patient", patient_id(record.mrn)),
        effectiveDateTime=record.completed_at,
        valueQuantity=_quantity(value, percent),
        component=component,
        derivedFrom=[reference("QuestionnaireResponse", source)],
    )
