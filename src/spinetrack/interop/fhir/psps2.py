"""The PSPS-2 flag as a Condition: exported when the stored outcome status is `failing`, coded with
ICD-10-CM M96.1, SNOMED CT 27151001 and the region's child concept (clinical-facts.md 2 and 9.2).
It is provisional: the status comes from questionnaire scores, and a clinician confirms the diagnosis."""

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.condition import Condition

from spinetrack.interop.fhir.codes import (
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    ICD10CM,
    PSPS2_ICD10CM,
    PSPS2_SNOMED,
    PSPS2_SNOMED_BY_REGION,
    SNOMED,
)
from spinetrack.interop.fhir.elements import ours, reference
from spinetrack.interop.fhir.ids import patient_id, psps2_id
from spinetrack.interop.records import StatusRecord

FLAGGING_STATUS = "failing"
OUTCOME_FLAG = "outcome-flag"


def _coded(system: str, code: str, display: str) -> Coding:
    return Coding(system=system, code=code, display=display)


def to_psps2(record: StatusRecord) -> Condition | None:
    if record.status != FLAGGING_STATUS:
        return None
    codings = [_coded(ICD10CM, *PSPS2_ICD10CM), _coded(SNOMED, *PSPS2_SNOMED)]
    if record.region in PSPS2_SNOMED_BY_REGION:
        codings.append(_coded(SNOMED, *PSPS2_SNOMED_BY_REGION[record.region]))
    return Condition(
        id=psps2_id(record.mrn),
        clinicalStatus=CodeableConcept(coding=[Coding(system=CONDITION_CLINICAL, code="active")]),
        verificationStatus=CodeableConcept(
            coding=[Coding(system=CONDITION_VERIFICATION, code="provisional")]
        ),
        category=[ours("condition-category", OUTCOME_FLAG, "flagged from the outcome status")],
        code=CodeableConcept(
            coding=codings, text="Persistent spinal pain syndrome type 2 (flagged from PROMs)"
        ),
        subject=reference("Patient", patient_id(record.mrn)),
    )
