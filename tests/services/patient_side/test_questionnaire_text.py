"""The words a patient reads: the clinic's licensed text when it was loaded, else the neutral
descriptions; a damaged licensed file falls back rather than mis-describing an answer."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spinetrack.config import get_settings
from spinetrack.services.patient_side.questionnaire_text import licensed_path, questionnaire_text


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


def _licensed_odi() -> dict[str, Any]:
    def option(value: int) -> dict[str, Any]:
        return {"valueCoding": {"code": str(value), "display": f"Licensed answer {value}"}}

    return {
        "resourceType": "Questionnaire",
        "item": [
            {
                "linkId": f"odi_{i}",
                "type": "choice",
                "text": f"Licensed section {i}",
                "answerOption": [option(v) for v in range(6)],
            }
            for i in range(1, 11)
        ],
    }


def test_without_a_licence_the_neutral_descriptions_are_shown(var_dir: Path) -> None:
    text = questionnaire_text("odi")
    assert not text.licensed
    first = text.questions[0]
    assert (first.title, first.prompt) == ("Pain intensity", None)
    assert [o.value for o in first.options] == [0, 1, 2, 3, 4, 5]
    assert first.options[0].label.startswith("no pain")


def test_a_rating_scale_labels_only_its_ends(var_dir: Path) -> None:
    question = questionnaire_text("nrs_leg").questions[0]
    assert question.scale
    assert [o.label != "" for o in question.options] == [True] + [False] * 9 + [True]


def test_the_clinics_licensed_text_replaces_the_neutral_words(var_dir: Path) -> None:
    path = licensed_path("odi")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(_licensed_odi()))
    text = questionnaire_text("odi")
    assert text.licensed
    assert text.questions[2].prompt == "Licensed section 3"
    assert text.questions[2].options[4].label == "Licensed answer 4"


def test_a_damaged_licensed_file_falls_back_to_the_neutral_text(var_dir: Path) -> None:
    path = licensed_path("odi")
    path.parent.mkdir(parents=True)
    broken = _licensed_odi()
    broken["item"] = broken["item"][:9]  # a section missing: does not match the definition
    path.write_text(json.dumps(broken))
    assert not questionnaire_text("odi").licensed
    path.write_text("{not json")
    assert not questionnaire_text("odi").licensed
