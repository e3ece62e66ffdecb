"""Bundles shaped the way outside systems send them, written as the JSON they send (not built with
our own mappings): a Synthea-style patient record (a transaction of urn:uuid entries with US Core
extensions, claims and vital signs) and a hospital EHR's export (an OID-based MRN, a Practitioner
with an NPI, an Encounter, an L4-L5 fusion coded in SNOMED CT and CPT, a dural tear, the hospital's
own ODI form scored with SDC ordinalValue and two answers to it). The clinical content is invented."""

import json
import uuid
from typing import Any

SYNTHEA_MRN_SYSTEM = "http://hospital.smarthealthit.org"
SYNTHEA_MRN = "4b7c1d5e-2f0a-4c8e-9b61-7d3e8f2a1c90"
HOSPITAL_MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.7418.2.1"
HOSPITAL_MRN = "H0048213"
HOSPITAL_ODI_URL = "https://ehr.riverside-hospital.example/fhir/Questionnaire/odi-2-1a"
HOSPITAL_ODI_ANSWERS = "https://ehr.riverside-hospital.example/fhir/CodeSystem/odi-answer"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _entry(resource: dict[str, Any], full_url: str | None = None, method: str = "POST") -> Any:
    return {
        "fullUrl": full_url or _urn(),
        "resource": resource,
        "request": {"method": method, "url": resource.get("resourceType", "?")},
    }


def _code(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _as_bytes(entries: list[Any], kind: str = "transaction") -> bytes:
    return json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries}).encode()


def synthea_bundle() -> bytes:
    """One Synthea-style patient: demographics with US Core extensions, a practitioner and
    organization, an encounter, a chronic back pain diagnosis, vital signs, an immunization, a
    claim and its explanation of benefit, a provenance, and a lumbar spinal fusion."""
    patient_url, org_url, doc_url, visit_url = _urn(), _urn(), _urn(), _urn()
    patient = {
        "resourceType": "Patient",
        "id": patient_url.removeprefix("urn:uuid:"),
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]},
        "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'},
        "extension": [
            {
                "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
                "extension": [
                    {
                        "url": "ombCategory",
                        "valueCoding": {
                            "system": "urn:oid:2.16.840.1.113883.6.238",
                            "code": "2106-3",
                            "display": "White",
                        },
                    },
                    {"url": "text", "valueString": "White"},
                ],
            },
            {
                "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
                "valueCode": "F",
            },
            {
                "url": "http://synthetichealth.github.io/synthea/disability-adjusted-life-years",
                "valueDecimal": 1.27,
            },
        ],
        "identifier": [
            {"system": "https://github.com/synthetichealth/synthea", "value": str(uuid.uuid4())},
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MR",
                            "display": "Medical Record Number",
                        }
                    ],
                    "text": "Medical Record Number",
                },
                "system": SYNTHEA_MRN_SYSTEM,
                "value": SYNTHEA_MRN,
            },
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "SS"}
                    ]
                },
                "system": "http://hl7.org/fhir/sid/us-ssn",
                "value": "999-41-7236",
            },
        ],
        "name": [
            {"use": "official", "family": "Kertzmann286", "given": ["Rosa418"], "prefix": ["Mrs."]}
        ],
        "telecom": [{"system": "phone", "value": "555-283-1192", "use": "home"}],
        "gender": "female",
        "birthDate": "1958-07-19",
        "address": [{"line": ["102 Pine Gate"], "city": "Springfield", "country": "US"}],
        "maritalStatus": _code(
            "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "M", "Married"
        ),
        "multipleBirthBoolean": False,
        "communication": [{"language": _code("urn:ietf:bcp:47", "en-US", "English")}],
    }
    subject = {"reference": patient_url}
    organization = {"resourceType": "Organization", "name": "SPRINGFIELD SPINE CENTER"}
    practitioner = {
        "resourceType": "Practitioner",
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "9999962815"}],
        "name": [{"family": "Wolff180", "given": ["Milo975"], "prefix": ["Dr."]}],
        "gender": "male",
    }
    encounter = {
        "resourceType": "Encounter",
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "IMP",
        },
        "type": [_code(SNOMED, "183452005", "Emergency hospital admission (procedure)")],
        "subject": subject,
        "period": {"start": "2024-09-10T08:02:11-04:00", "end": "2024-09-13T11:40:00-04:00"},
        "serviceProvider": {"reference": org_url},
    }
    back_pain = {
        "resourceType": "Condition",
        "clinicalStatus": _code(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active"
        ),
        "category": [
            _code(
                "http://terminology.hl7.org/CodeSystem/condition-category",
                "encounter-diagnosis",
                "Encounter Diagnosis",
            )
        ],
        "code": _code(SNOMED, "278860009", "Chronic low back pain (finding)"),
        "subject": subject,
        "encounter": {"reference": visit_url},
        "onsetDateTime": "2019-03-02T09:12:40-05:00",
    }
    weight = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            _code(
                "http://terminology.hl7.org/CodeSystem/observation-category",
                "vital-signs",
                "Vital signs",
            )
        ],
        "code": _code(LOINC, "29463-7", "Body Weight"),
        "subject": subject,
        "effectiveDateTime": "2024-09-10T08:02:11-04:00",
        "valueQuantity": {
            "value": 71.4,
            "unit": "kg",
            "system": "http://unitsofmeasure.org",
            "code": "kg",
        },
    }
    fusion = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {
            "coding": [{"system": SNOMED, "code": "55705006", "display": "Spinal fusion"}],
            "text": "Posterior spinal fusion of lumbar spine L4-L5",
        },
        "subject": subject,
        "encounter": {"reference": visit_url},
        "performedPeriod": {
            "start": "2024-09-10T10:15:00-04:00",
            "end": "2024-09-10T13:05:00-04:00",
        },
    }
    reconciliation = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": _code(SNOMED, "430193006", "Medication reconciliation (procedure)"),
        "subject": subject,
        "performedPeriod": {"start": "2024-09-13T09:00:00-04:00"},
    }
    flu_shot = {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": _code("http://hl7.org/fhir/sid/cvx", "140", "Influenza, seasonal"),
        "patient": subject,
        "occurrenceDateTime": "2024-10-01T09:00:00-04:00",
        "primarySource": True,
    }
    claim = {
        "resourceType": "Claim",
        "status": "active",
        "type": _code(
            "http://terminology.hl7.org/CodeSystem/claim-type", "institutional", "Institutional"
        ),
        "use": "claim",
        "patient": subject,
        "created": "2024-09-13T11:40:00-04:00",
        "provider": {"reference": org_url},
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Medicare"}}],
        "total": {"value": 48211.0, "currency": "USD"},
    }
    benefit = {
        "resourceType": "ExplanationOfBenefit",
        "status": "active",
        "patient": subject,
        "outcome": "complete",
        "use": "claim",
    }
    provenance = {
        "resourceType": "Provenance",
        "target": [{"reference": patient_url}],
        "recorded": "2024-09-13T11:40:00-04:00",
        "agent": [{"who": {"reference": org_url}}],
    }
    return _as_bytes(
        [
            _entry(patient, patient_url),
            _entry(organization, org_url),
            _entry(practitioner, doc_url),
            _entry(encounter, visit_url),
            _entry(back_pain),
            _entry(weight),
            _entry(fusion),
            _entry(reconciliation),
            _entry(flu_shot),
            _entry(claim),
            _entry(benefit),
            _entry(provenance),
        ]
    )


def _odi_questionnaire() -> dict[str, Any]:
    """The hospital's own ODI form: its URL, its linkIds, its answer codes with SDC ordinal
    values (option texts are the hospital's; here they are placeholders, not the licensed text),
    a read-only total and a comment field."""
    options = [
        {
            "valueCoding": {
                "extension": [{"url": ORDINAL, "valueDecimal": level}],
                "system": HOSPITAL_ODI_ANSWERS,
                "code": f"opt-{level}",
                "display": f"statement {level + 1}",
            }
        }
        for level in range(6)
    ]
    sections = [
        {"linkId": f"odi.s{n}", "text": f"Section {n}", "type": "choice", "answerOption": options}
        for n in range(1, 11)
    ]
    return {
        "resourceType": "Questionnaire",
        "id": "odi-2-1a",
        "url": HOSPITAL_ODI_URL,
        "version": "3",
        "status": "active",
        "code": [{"system": LOINC, "code": "97908-8", "display": "Oswestry Disability Index"}],
        "item": [
            {"linkId": "odi", "type": "group", "text": "Oswestry", "item": sections},
            {"linkId": "odi.total", "type": "decimal", "text": "Score %", "readOnly": True},
            {"linkId": "odi.comment", "type": "display", "text": "Thank you"},
        ],
    }


def _odi_response(
    subject: dict[str, Any], authored: str, levels: list[int], on_answer: bool
) -> dict[str, Any]:
    """Answers coded with the hospital's codes; `on_answer` also copies the ordinalValue onto each
    answer's coding, as some EHRs do, while others leave it to the Questionnaire."""
    items = []
    for n, level in enumerate(levels, start=1):
        coding: dict[str, Any] = {"system": HOSPITAL_ODI_ANSWERS, "code": f"opt-{level}"}
        if on_answer:
            coding["extension"] = [{"url": ORDINAL, "valueDecimal": level}]
        items.append({"linkId": f"odi.s{n}", "answer": [{"valueCoding": coding}]})
    percent = round(sum(levels) / (5 * len(levels)) * 100, 1)
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{HOSPITAL_ODI_URL}|3",
        "status": "completed",
        "subject": subject,
        "authored": authored,
        "item": [
            {"linkId": "odi", "item": items},
            {"linkId": "odi.total", "answer": [{"valueDecimal": percent}]},
        ],
    }


def hospital_bundle(*, extra: list[dict[str, Any]] | None = None) -> bytes:
    """A hospital EHR's export of one spine patient around an L4-L5 fusion."""
    patient_url = "https://ehr.riverside-hospital.example/fhir/Patient/pt-77120"
    surgeon_url = "https://ehr.riverside-hospital.example/fhir/Practitioner/dr-4410"
    stay_url = "https://ehr.riverside-hospital.example/fhir/Encounter/enc-90231"
    fusion_url = "https://ehr.riverside-hospital.example/fhir/Procedure/proc-55102"
    tear_url = "https://ehr.riverside-hospital.example/fhir/Condition/cond-31877"
    subject = {"reference": "Patient/pt-77120", "display": "Moreau, Elise"}
    patient = {
        "resourceType": "Patient",
        "id": "pt-77120",
        "identifier": [
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                    ]
                },
                "system": HOSPITAL_MRN_SYSTEM,
                "value": HOSPITAL_MRN,
                "assigner": {"display": "Riverside Hospital"},
            },
            {"system": "urn:oid:2.16.840.1.113883.3.7418.9.9", "value": "ENT-0091"},
        ],
        "active": True,
        "name": [{"use": "official", "family": "Moreau", "given": ["Elise", "Anne"]}],
        "gender": "female",
        "birthDate": "1966-02-11",
        "telecom": [{"system": "phone", "value": "+1 555 0142 88", "use": "mobile"}],
    }
    surgeon = {
        "resourceType": "Practitioner",
        "id": "dr-4410",
        "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
        "name": [{"family": "Okafor", "given": ["Daniel"], "prefix": ["Dr"]}],
        "qualification": [{"code": {"text": "Orthopaedic spine surgeon"}}],
    }
    stay = {
        "resourceType": "Encounter",
        "id": "enc-90231",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "subject": subject,
        "participant": [{"individual": {"reference": "Practitioner/dr-4410"}}],
        "period": {"start": "2025-01-14T07:30:00+01:00", "end": "2025-01-18T10:00:00+01:00"},
    }
    fusion = {
        "resourceType": "Procedure",
        "id": "proc-55102",
        "status": "completed",
        "category": _code(SNOMED, "387713003", "Surgical procedure"),
        "code": {
            "coding": [
                {"system": SNOMED, "code": "55705006", "display": "Spinal fusion"},
                {
                    "system": CPT,
                    "code": "22630",
                    "display": "Arthrodesis, posterior interbody technique, lumbar",
                },
            ],
            "text": "PLIF L4-L5",
        },
        "subject": subject,
        "encounter": {"reference": "Encounter/enc-90231"},
        "performedPeriod": {
            "start": "2025-01-14T08:40:00+01:00",
            "end": "2025-01-14T12:10:00+01:00",
        },
        "performer": [{"actor": {"reference": "Practitioner/dr-4410", "display": "Dr Okafor"}}],
        "bodySite": [{"text": "Lumbar spine, L4-L5"}],
        "complicationDetail": [{"reference": "Condition/cond-31877"}],
    }
    tear = {
        "resourceType": "Condition",
        "id": "cond-31877",
        "clinicalStatus": _code(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", "Resolved"
        ),
        "category": [
            _code(
                "http://terminology.hl7.org/CodeSystem/condition-category",
                "problem-list-item",
                "Problem List Item",
            )
        ],
        "code": {
            "coding": [
                {
                    "system": ICD10CM,
                    "code": "G97.41",
                    "display": "Accidental puncture or laceration of dura during a procedure",
                }
            ],
            "text": "Incidental durotomy, repaired",
        },
        "subject": subject,
        "onsetDateTime": "2025-01-14",
        "asserter": {"reference": "Practitioner/dr-4410"},
    }
    reflux = {
        "resourceType": "Condition",
        "id": "cond-1200",
        "code": _code(ICD10CM, "K21.9", "Gastro-esophageal reflux disease without esophagitis"),
        "subject": subject,
    }
    score = {
        "resourceType": "Observation",
        "id": "obs-odi-1",
        "status": "final",
        "code": _code(LOINC, "97909-6", "Oswestry disability index score ODI"),
        "subject": subject,
        "valueQuantity": {"value": 44, "unit": "%"},
    }
    entries = [
        _entry(patient, patient_url, "PUT"),
        _entry(surgeon, surgeon_url, "PUT"),
        _entry(stay, stay_url, "PUT"),
        _entry(fusion, fusion_url, "PUT"),
        _entry(tear, tear_url, "PUT"),
        _entry(reflux),
        _entry(_odi_questionnaire()),
        _entry(
            _odi_response(
                subject, "2025-01-06T10:20:00+01:00", [3, 2, 3, 2, 2, 3, 2, 2, 2, 1], True
            )
        ),
        _entry(
            _odi_response(
                subject, "2025-04-15T09:05:00+02:00", [1, 0, 1, 1, 1, 1, 0, 1, 1, 0], False
            )
        ),
        _entry(score),
        _entry({"resourceType": "Location", "name": "Riverside Hospital, theatre 4"}),
    ]
    entries += [_entry(resource) for resource in extra or []]
    return _as_bytes(entries)
