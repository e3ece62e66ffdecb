"""The consultation screening: the warning signs the issue names, each tied to a triage red flag
with sources, and the instruction of the most urgent one answered 'yes'."""

import pytest

from spinetrack.domain.consultations import raised, screening, urgency_of
from spinetrack.domain.knowledge import load_yaml

RED_FLAG_IDS = {rule["id"] for rule in load_yaml("triage/red_flags.yaml")["red_flags"]}


def test_the_screening_asks_about_every_warning_sign_the_clinic_needs() -> None:
    asked = {q.id: q.red_flag for q in screening().questions}
    assert asked == {
        "bladder_bowel": "cauda_equina",
        "saddle_numbness": "cauda_equina",
        "worsening_weakness": "progressive_neurological_deficit",
        "fever_wound": "infection",
        "breathing_swallowing": "airway_compromise",
    }


@pytest.mark.parametrize("question", screening().questions, ids=lambda q: q.id)
def test_each_question_is_a_known_red_flag_with_sources(question: object) -> None:
    assert question.red_flag in RED_FLAG_IDS  # type: ignore[attr-defined]
    assert all(len(s) > 20 for s in question.sources)  # type: ignore[attr-defined]


def test_the_neck_only_question_is_asked_after_neck_surgery_or_when_unsure() -> None:
    for region, expected in (("back", False), ("neck", True), ("both", True)):
        ids = {q.id for q in screening().for_region(region)}
        assert ("breathing_swallowing" in ids) is expected


def test_the_most_urgent_sign_decides_the_instruction() -> None:
    questions = screening().questions
    assert urgency_of(raised(questions, set())) is None
    assert urgency_of(raised(questions, {"fever_wound"})) == "same_day"
    both = raised(questions, {"fever_wound", "saddle_numbness"})
    assert [q.id for q in both] == ["saddle_numbness", "fever_wound"]
    assert urgency_of(both) == "emergency"
    assert "emergency" in screening().instructions["emergency"].action.lower()


def test_a_screening_file_with_a_repeated_question_or_no_instruction_does_not_load() -> None:
    from pydantic import ValidationError

    from spinetrack.domain.consultations.screening import Screening, screening

    shipped = screening().model_dump()
    repeated = {**shipped, "questions": [*shipped["questions"], shipped["questions"][0]]}
    with pytest.raises(ValidationError, match="question ids must be unique"):
        Screening.model_validate(repeated)
    no_same_day = {
        **shipped,
        "instructions": {k: v for k, v in shipped["instructions"].items() if k != "same_day"},
    }
    if any(q["urgency"] == "same_day" for q in shipped["questions"]):
        with pytest.raises(ValidationError, match="no instruction for urgency"):
            Screening.model_validate(no_same_day)
