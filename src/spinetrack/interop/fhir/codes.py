"""Code systems, extensions and the value sets we check ourselves (fhir.resources does not check
code bindings). Standard codes are used only where clinical-facts.md section 9 confirms them;
everything else is coded in spinetrack's own code systems, never with an invented standard code."""

from spinetrack.domain.errors import InvalidInput

BASE = "https://spinetrack.example/fhir"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
US_NPI = "http://hl7.org/fhir/sid/us-npi"
"""The NPI identifier system (FHIR R4 identifier registry; US Core Practitioner profile)."""


def code_system(name: str) -> str:
    """One of spinetrack's own code systems (instrument, procedure, spinal-level, cause, ...)."""
    return f"{BASE}/CodeSystem/{name}"


def extension(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


def mrn_system(clinic: str) -> str:
    """The identifier system of a clinic's medical record numbers: patients are matched by it."""
    return f"{BASE}/clinic/{clinic}/mrn"


def pseudonym_system(clinic: str) -> str:
    """The identifier system of the pseudonyms in a de-identified export of a clinic."""
    return f"{BASE}/clinic/{clinic}/pseudonym"


def questionnaire_url(instrument: str) -> str:
    return f"{BASE}/Questionnaire/{instrument}"


# LOINC codes confirmed in clinical-facts.md 9.1: instrument -> (score code, panel code or None).
LOINC_SCORES: dict[str, tuple[str, str, str | None]] = {
    "odi": ("97909-6", "Oswestry disability index score ODI", "97908-8"),
    "ndi": ("82237-9", "Total score [NDI]", "82226-2"),
    "nrs_back": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", None),
    "nrs_leg": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", None),
    "nrs_neck": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", None),
    "nrs_arm": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", None),
}
LOINC_PANEL_NAMES = {
    "97908-8": "Oswestry Disability Index (panel)",
    "82226-2": "Neck Disability Index [NDI] (panel)",
}

# PSPS-2 (clinical-facts.md 2 and 9.2): ICD-10-CM M96.1, SNOMED CT 27151001 and its region children.
PSPS2_ICD10CM = ("M96.1", "Postlaminectomy syndrome, not elsewhere classified")
PSPS2_SNOMED = ("27151001", "Post-laminectomy syndrome (disorder)")
PSPS2_SNOMED_BY_REGION = {
    "cervical": ("202723000", "Cervical post-laminectomy syndrome (disorder)"),
    "thoracic": ("202724006", "Thoracic post-laminectomy syndrome (disorder)"),
    "lumbar": ("202725007", "Lumbar post-laminectomy syndrome (disorder)"),
}

# Required bindings of the elements we read or write, checked by `check_code`.
PATIENT_GENDERS = frozenset({"male", "female", "other", "unknown"})
STORED_PROCEDURE_STATUSES = frozenset({"preparation", "in-progress", "completed"})
STORED_RESPONSE_STATUSES = frozenset({"completed", "amended"})
RISK_LIKELIHOODS = frozenset({"negligible", "low", "moderate", "high", "certain"})
BUNDLE_TYPES = frozenset(
    {"document", "message", "transaction", "transaction-response", "batch"}
    | {"batch-response", "history", "searchset", "collection"}
)


def check_code(value: str | None, allowed: frozenset[str], field: str) -> str:
    """A code from a required binding; anything else is refused with the codes that would do."""
    if value is None or value not in allowed:
        raise InvalidInput(field, f"{value!r} is not one of {', '.join(sorted(allowed))}")
    return value
