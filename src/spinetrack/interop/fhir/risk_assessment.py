"""A stored triage assessment as a RiskAssessment: the likely causes in rank order with their
likelihood (HL7 risk-probability codes), and the red flags, each coded in our own code systems; the
method names the triage rules and their version."""

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.riskassessment import RiskAssessment, RiskAssessmentPrediction

from spinetrack.domain.vocabulary import vocabulary
from spinetrack.interop.fhir.codes import (
    RISK_LIKELIHOODS,
    RISK_PROBABILITY,
    check_code,
    code_system,
)
from spinetrack.interop.fhir.elements import ours, reference
from spinetrack.interop.fhir.ids import assessment_id, patient_id
from spinetrack.interop.records import AssessmentRecord


def _cause(cause: str, likelihood: str) -> RiskAssessmentPrediction:
    check_code(likelihood, RISK_LIKELIHOODS, "likelihood")
    return RiskAssessmentPrediction(
        outcome=ours("cause", cause, vocabulary().causes.get(cause)),
        qualitativeRisk=CodeableConcept(coding=[Coding(system=RISK_PROBABILITY, code=likelihood)]),
    )


def _red_flag(flag: str, urgency: str) -> RiskAssessmentPrediction:
    return RiskAssessmentPrediction(
        outcome=ours("red-flag", flag, vocabulary().red_flags.get(flag)),
        rationale=f"red flag; urgency {urgency}",
    )


def to_risk_assessment(record: AssessmentRecord) -> RiskAssessment:
    method = Coding(
        system=code_system("triage-rules"),
        code="spinetrack-triage",
        version=record.rules_version,
        display="spinetrack triage rules",
    )
    predictions = [_red_flag(*flag) for flag in record.red_flags]
    predictions += [_cause(*cause) for cause in record.causes]
    return RiskAssessment(
        id=assessment_id(record.mrn, record.ordinal),
        status="final",
        method=CodeableConcept(coding=[method]),
        code=ours("assessment", "psps2-triage", "triage of pain after spine surgery"),
        subject=reference("Patient", patient_id(record.mrn)),
        occurrenceDateTime=record.evaluation_date,
        prediction=predictions or None,
    )
