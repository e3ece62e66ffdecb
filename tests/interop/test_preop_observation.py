"""FHIR Observations read into the pre-operative record by their LOINC codes, nothing guessed."""

from spinetrack.domain.registry.preop import PreopRecord, check_preop
from spinetrack.interop.fhir.preop_observation import preop_values

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def _obs(code: str, **value: object) -> dict[str, object]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": code}]},
        **value,
    }


def test_bmi_smoking_and_questionnaire_totals_fill_the_record() -> None:
    values, notes = preop_values(
        [
            _obs("39156-5", valueQuantity={"value": 31.27, "unit": "kg/m2"}),
            _obs(
                "72166-2",
                valueCodeableConcept={"coding": [{"system": SNOMED, "code": "449868002"}]},
            ),
            _obs("44261-6", valueInteger=12),
            _obs("70274-6", valueQuantity={"value": 4}),
        ]
    )
    assert notes == []
    assert values == {"bmi": 31.3, "smoker": True, "phq9": 12, "gad7": 4}
    assert check_preop(PreopRecord(**values)).distress() is True


def test_unknown_codes_and_answers_are_reported_not_guessed() -> None:
    values, notes = preop_values(
        [
            _obs("8302-2", valueQuantity={"value": 170}),  # body height: not in the record
            _obs(
                "72166-2",
                valueCodeableConcept={"coding": [{"system": SNOMED, "code": "266927001"}]},
            ),
            _obs("44261-6", valueQuantity={"value": 7.5}),
        ]
    )
    assert values == {}
    assert len(notes) == 3


def test_the_latest_observation_of_a_field_wins() -> None:
    values, _ = preop_values(
        [
            _obs("39156-5", valueQuantity={"value": 35}, effectiveDateTime="2026-01-01"),
            _obs("39156-5", valueQuantity={"value": 33}, effectiveDateTime="2026-06-01"),
        ]
    )
    assert values["bmi"] == 33.0
