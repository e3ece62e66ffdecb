"""Request bodies for the patient API shared by API tests."""

PATIENT = {
    "mrn": "Z-1",
    "given_name": "Lars",
    "family_name": "Holm",
    "birth_date": "1958-02-11",
    "sex": "male",
}


SURGERY = {
    "performed_on": "2025-01-15",
    "region": "cervical",
    "procedure": "fusion",
    "approach": "anterior",
    "levels": ["C5-C6"],
    "instrumented": True,
}
