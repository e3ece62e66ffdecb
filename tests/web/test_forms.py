"""The form-parsing helper: pydantic and service refusals become messages in the form's words."""

from datetime import date

import pytest
from pydantic import BaseModel, Field

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.services.records.register_surgery import NewSurgery
from spinetrack.web.forms import FormRefused, FormWords, Label
from spinetrack.web.routes.data_entry import PATIENT_WORDS, SURGERY_WORDS

INTERNALS = ("String should", "Input should", "pattern", "Value error", "Mrn", "0:", "[")


def _refused(words: FormWords, model: type[BaseModel], data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(FormRefused) as refused:
        words.parse(model, data)
    return refused.value.errors


def _patient(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "mrn": "A1",
        "given_name": "Ana",
        "family_name": "Ruiz",
        "birth_date": "1960-01-02",
        "sex": "female",
    }
    return {**base, **changes}


def test_a_pattern_is_explained_by_the_field_s_label_and_hint() -> None:
    errors = _refused(PATIENT_WORDS, NewPatient, _patient(email="ana at example", phone="x"))
    assert errors["email"] == "E-mail: write an address such as name@example.org."
    assert errors["phone"].startswith("Phone: use digits")
    assert not any(bit in message for message in errors.values() for bit in INTERNALS)


def test_a_missing_value_names_the_label_as_the_form_shows_it() -> None:
    errors = _refused(PATIENT_WORDS, NewPatient, _patient(mrn=""))
    assert errors == {"mrn": "Medical record number (MRN): please fill this in."}


def test_a_rule_of_the_model_keeps_its_plain_reason() -> None:
    future = date(date.today().year + 1, 1, 1).isoformat()
    errors = _refused(PATIENT_WORDS, NewPatient, _patient(birth_date=future))
    assert errors == {"birth_date": "Date of birth: a date of birth cannot be in the future."}


def test_a_service_refusal_of_one_list_item_marks_the_whole_field() -> None:
    refused = InvalidInput("levels.0", "'L4-L6' is not a spinal level like L4-L5 or C5-C6")
    assert SURGERY_WORDS.messages(refused) == {
        "levels": "Levels: 'L4-L6' is not a spinal level like L4-L5 or C5-C6."
    }


def test_pydantic_list_positions_are_not_shown() -> None:
    data = {
        "performed_on": "2025-01-01",
        "region": "lumbar",
        "procedure": "fusion",
        "approach": "posterior",
        "levels": ["L4-L5"] * 13,
    }
    errors = _refused(SURGERY_WORDS, NewSurgery, data)
    assert errors["levels"].startswith("Levels: write adjacent vertebrae")


class _Across(BaseModel):
    email: str | None = None
    phone: str | None = Field(default=None)

    def model_post_init(self, _: object) -> None:
        if not (self.email or self.phone):
            raise ValueError("phone: give a phone number or an e-mail address")


def test_a_rule_across_fields_names_the_field_before_its_colon() -> None:
    words = FormWords({"phone": Label("Phone"), "email": Label("E-mail")})
    errors = _refused(words, _Across, {})
    assert errors == {"phone": "Phone: give a phone number or an e-mail address."}


def test_renamed_fields_and_built_labels_are_found() -> None:
    words = FormWords(
        {"completed_on": Label("Answered on")},
        renamed={"completed_at": "completed_on"},
        lookup=lambda name: Label("Walking") if name == "answers.odi_4" else None,
    )
    assert words.messages(InvalidInput("completed_at", "in the future")) == {
        "completed_on": "Answered on: in the future."
    }
    assert words.messages(InvalidInput("answers.odi_4", "enter a number")) == {
        "answers.odi_4": "Walking: enter a number."
    }
