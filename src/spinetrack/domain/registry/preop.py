"""The pre-operative record: what is known about a patient before the operation that predicts how it
will go (BMI, ASA grade, smoking, diabetes, symptom duration, earlier spine surgery, a compensation
claim or litigation, psychological distress, regular opioids, baseline pain).

Every door that writes the record (web form, API, CSV, FHIR) checks it here, so a value refused by
one is refused by all. Ranges and questionnaire cut-offs are in knowledge/registry/preop.yaml.
Psychological distress is either answered yes/no or derived from a PHQ-9 or GAD-7 total at or above
its published cut-off; an explicit answer wins over a score.
"""

from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

PREOP_FILE = "registry/preop.yaml"


class Range(KnowledgeModel):
    low: float
    high: float


class Questionnaire(KnowledgeModel):
    name: str
    low: int
    high: int
    cutoff: int
    sources: Sources


class PreopKnowledge(KnowledgeModel):
    sources: Sources
    ranges: dict[str, Range]
    questionnaires: dict[str, Questionnaire]


@cache
def preop_knowledge() -> PreopKnowledge:
    return parse(PREOP_FILE, PreopKnowledge)


@dataclass(frozen=True, slots=True)
class PreopRecord:
    """One patient's pre-operative predictors; None is unknown, never "no"."""

    bmi: float | None = None
    asa: int | None = None
    smoker: bool | None = None
    diabetes: bool | None = None
    symptom_duration_months: float | None = None
    prior_spine_surgery: bool | None = None
    compensation_claim: bool | None = None
    psychological_distress: bool | None = None
    phq9: int | None = None
    gad7: int | None = None
    opioid_use: bool | None = None
    baseline_pain_axial: int | None = None
    baseline_pain_limb: int | None = None

    def distress(self) -> bool | None:
        """Distress as the model reads it: the yes/no answer, else any score at its cut-off."""
        if self.psychological_distress is not None:
            return self.psychological_distress
        scores = {"phq9": self.phq9, "gad7": self.gad7}
        known = {k: v for k, v in scores.items() if v is not None}
        if not known:
            return None
        cut = preop_knowledge().questionnaires
        return any(v >= cut[k].cutoff for k, v in known.items())

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


PREOP_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PreopRecord))


def _in_range(field: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidInput(field, f"{value:g} is outside {low:g}–{high:g}")


def check_preop(record: PreopRecord) -> PreopRecord:
    """The record if every value is in range; else InvalidInput naming the field. BMI is rounded
    to one decimal and duration to a tenth of a month (what the forms show)."""
    known = preop_knowledge()
    ranges = known.ranges
    tidied: dict[str, Any] = {}
    if record.bmi is not None:
        _in_range("bmi", record.bmi, ranges["bmi"].low, ranges["bmi"].high)
        tidied["bmi"] = round(record.bmi, 1)
    if record.asa is not None:
        _in_range("asa", record.asa, ranges["asa"].low, ranges["asa"].high)
    if record.symptom_duration_months is not None:
        limits = ranges["symptom_duration_months"]
        _in_range(
            "symptom_duration_months", record.symptom_duration_months, limits.low, limits.high
        )
        tidied["symptom_duration_months"] = round(record.symptom_duration_months, 1)
    for name in ("baseline_pain_axial", "baseline_pain_limb"):
        value = getattr(record, name)
        if value is not None:
            _in_range(name, value, ranges["baseline_pain"].low, ranges["baseline_pain"].high)
    for name, questionnaire in known.questionnaires.items():
        value = getattr(record, name)
        if value is not None:
            _in_range(name, value, questionnaire.low, questionnaire.high)
    # One copy, and none when rounding changed nothing: `replace` per value cost a third of
    # checking the demo's 100,000 records.
    if any(getattr(record, name) != value for name, value in tidied.items()):
        record = replace(record, **tidied)
    return record
