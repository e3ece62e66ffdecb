"""A reproducible synthetic clinic: surgeons, patients, surgeries, complications, revisions and PROM
responses on the follow-up schedule, with trajectories that succeed, relapse or fail.

The proportions are chosen to look like a real practice, not to teach anything: about one patient
in five does not do well after spine surgery (a national survey found 20.6 %; reviews quote
10-40 %; Inoue, J Pain Res; clinical-facts 1.1), fusion fails a little more often than discectomy,
and follow-up response falls with time (NORspine: 71.6 % at 12 months; field-notes 1.1). Used by
`spinetrack demo`, the tests and the benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate

import numpy as np
import numpy.typing as npt
import polars as pl

from spinetrack.demo.names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, SURGEONS
from spinetrack.demo.preop import DemoPreop, demo_effects, draw_preop
from spinetrack.services.access.clinic_calendar import default_today

# Follow-up time points (nominal day after surgery) and the chance a patient misses each.
SCHEDULE = (("baseline", -14), ("6w", 42), ("3m", 91), ("6m", 182), ("12m", 365), ("24m", 730))
MISSED = {"baseline": 0.05, "6w": 0.15, "3m": 0.2, "6m": 0.24, "12m": 0.28, "24m": 0.36}

REGIONS = (("lumbar", 0.70), ("cervical", 0.28), ("thoracic", 0.02))
PROCEDURES = {
    "lumbar": (
        ("discectomy", 0.30),
        ("decompression", 0.17),
        ("laminectomy", 0.13),
        ("fusion", 0.32),
        ("disc_replacement", 0.03),
        ("dynamic_stabilization", 0.05),
    ),
    "cervical": (
        ("fusion", 0.58),
        ("disc_replacement", 0.18),
        ("decompression", 0.12),
        ("discectomy", 0.07),
        ("laminectomy", 0.05),
    ),
    "thoracic": (("decompression", 0.5), ("fusion", 0.5)),
}
APPROACH = {
    ("cervical", "fusion"): (("anterior", 0.85), ("posterior", 0.15)),
    ("cervical", "disc_replacement"): (("anterior", 1.0),),
    ("cervical", "discectomy"): (("anterior", 0.6), ("posterior", 0.4)),
    ("lumbar", "fusion"): (
        ("posterior", 0.7),
        ("lateral", 0.15),
        ("anterior", 0.1),
        ("combined", 0.05),
    ),
    ("lumbar", "disc_replacement"): (("anterior", 1.0),),
    ("thoracic", "fusion"): (("posterior", 1.0),),
}
LEVELS = {
    "lumbar": (("L4-L5", 0.45), ("L5-S1", 0.35), ("L3-L4", 0.15), ("L2-L3", 0.05)),
    "cervical": (("C5-C6", 0.45), ("C6-C7", 0.35), ("C4-C5", 0.15), ("C3-C4", 0.05)),
    "thoracic": (("T11-T12", 0.4), ("T12-L1", 0.3), ("T10-T11", 0.3)),
}
# Chance that a patient does not do well, by procedure; split into "never improved" and "relapsed".
FAILURE_RATE = {
    "discectomy": 0.17,
    "decompression": 0.2,
    "laminectomy": 0.22,
    "fusion": 0.27,
    "disc_replacement": 0.2,
    "dynamic_stabilization": 0.28,
}
RELAPSE_SHARE = 0.45
# Likely causes by procedure, for patients who never improve and for those who relapse.
NEVER_IMPROVED_CAUSES = {
    "discectomy": (
        ("residual_disc", 3),
        ("nerve_root_injury", 2),
        ("wrong_diagnosis_or_level", 2),
        ("psychosocial_factors", 2),
        ("arachnoiditis", 1),
    ),
    "decompression": (
        ("inadequate_decompression", 4),
        ("wrong_diagnosis_or_level", 2),
        ("facet_joint_pain", 2),
        ("psychosocial_factors", 2),
    ),
    "laminectomy": (
        ("inadequate_decompression", 3),
        ("instability", 2),
        ("arachnoiditis", 1),
        ("psychosocial_factors", 2),
    ),
    "fusion": (
        ("wrong_diagnosis_or_level", 2),
        ("sacroiliac_joint_pain", 2),
        ("implant_failure", 2),
        ("sagittal_imbalance", 1),
        ("psychosocial_factors", 2),
    ),
    "disc_replacement": (
        ("facet_joint_pain", 2),
        ("implant_failure", 1),
        ("psychosocial_factors", 1),
    ),
    "dynamic_stabilization": (
        ("implant_failure", 2),
        ("instability", 2),
        ("psychosocial_factors", 1),
    ),
}
RELAPSE_CAUSES = {
    "discectomy": (("recurrent_disc_herniation", 5), ("epidural_fibrosis", 3), ("instability", 1)),
    "decompression": (("stenosis", 4), ("epidural_fibrosis", 2), ("instability", 2)),
    "laminectomy": (("stenosis", 3), ("instability", 3), ("epidural_fibrosis", 2)),
    "fusion": (("pseudarthrosis", 4), ("adjacent_segment_disease", 4), ("implant_failure", 2)),
    "disc_replacement": (("adjacent_segment_disease", 3), ("implant_failure", 1)),
    "dynamic_stabilization": (("implant_failure", 2), ("adjacent_segment_disease", 2)),
}
# What a surgeon revises for each cause, if they revise at all.
REVISION_FOR = {
    "recurrent_disc_herniation": "discectomy",
    "residual_disc": "discectomy",
    "stenosis": "decompression",
    "inadequate_decompression": "decompression",
    "pseudarthrosis": "fusion",
    "adjacent_segment_disease": "fusion",
    "implant_failure": "fusion",
    "instability": "fusion",
}
REVISION_RATE = 0.35
COMPLICATIONS = {
    "lumbar": (
        ("dural_tear", 4),
        ("superficial_wound_infection", 3),
        ("deep_wound_infection", 1),
        ("haematoma", 1),
        ("nerve_root_injury", 1),
        ("deep_vein_thrombosis", 1),
    ),
    "cervical": (
        ("dysphagia", 5),
        ("voice_change", 2),
        ("haematoma", 1),
        ("superficial_wound_infection", 1),
    ),
    "thoracic": (("dural_tear", 2), ("superficial_wound_infection", 1), ("pulmonary_embolism", 1)),
}
SURGEON_REPORTED, PATIENT_REPORTED, PATIENT_AGREES = 0.07, 0.1, 0.5
HISTORY_DAYS = 1650  # surgeries spread over about four and a half years before today


@dataclass(frozen=True, slots=True)
class DemoSurgeon:
    full_name: str
    email: str


@dataclass(slots=True)
class DemoPatient:
    mrn: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str
    email: str | None
    phone: str | None
    trajectory: str
    cause: str | None
    preop: DemoPreop | None = None


@dataclass(frozen=True, slots=True)
class DemoSurgery:
    patient: int
    performed_on: date
    region: str
    procedure: str
    approach: str
    levels: tuple[str, ...]
    instrumented: bool
    surgeon: int
    revision_of: int | None = None
    revision_reason: str | None = None
    planned: bool = False
    """Booked after the demo's today: registered as planned, as a clinic would book it."""


@dataclass(frozen=True, slots=True)
class DemoComplication:
    patient: int
    surgery: int
    kind: str
    reported_by: str
    occurred_on: date


@dataclass(frozen=True, slots=True)
class DemoResponse:
    patient: int
    instrument: str
    completed_at: datetime
    answers: dict[str, int | None]


@dataclass
class Cohort:
    surgeons: list[DemoSurgeon] = field(default_factory=list)
    patients: list[DemoPatient] = field(default_factory=list)
    surgeries: list[DemoSurgery] = field(default_factory=list)
    complications: list[DemoComplication] = field(default_factory=list)
    answers: dict[str, pl.DataFrame] = field(default_factory=dict, compare=False)
    """Each instrument's responses as columns, which the loader stores without an object per
    response (1.24 million at 100,000 patients): ``order`` (the response's place in
    `responses`), ``patient``, ``completed_at`` (naive, UTC) and one Int64 column per item in the
    instrument's order (null: the item was skipped)."""

    @property
    def responses(self) -> list[DemoResponse]:
        """Every response as a record, in the order they were drawn (built on each call: the
        tests and the reference path read them, the loader does not)."""
        drawn: list[tuple[int, DemoResponse]] = []
        for instrument, table in self.answers.items():
            items = ITEM_IDS[instrument]
            columns = [table[c].to_list() for c in ("order", "patient", "completed_at", *items)]
            for order, patient, at, *values in zip(*columns, strict=True):
                answers = dict(zip(items, values, strict=True))
                drawn.append((order, DemoResponse(patient, instrument, at, answers)))
        drawn.sort(key=lambda pair: pair[0])
        return [response for _, response in drawn]


_EPOCH = date(1970, 1, 1).toordinal()
_DAY_US = 86_400_000_000
_MINUTE_US = 60_000_000


@dataclass
class _Pending:
    """The responses decided in the first pass, as parallel columns; their item values are drawn
    in bulk afterwards."""

    patient: list[int] = field(default_factory=list)
    instrument: list[str] = field(default_factory=list)
    completed_at: list[int] = field(default_factory=list)
    """Microseconds since 1970 (UTC): made into one datetime column at the end."""
    level: list[float] = field(default_factory=list)
    """0..1 share of the instrument's maximum."""

    def add(self, patient: int, instrument: str, at: int, level: float) -> None:
        self.patient.append(patient)
        self.instrument.append(instrument)
        self.completed_at.append(at)
        self.level.append(level)


@cache
def _cumulative(table: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    """A table's names and running weight totals, as `random.choices` would add them up."""
    return [name for name, _ in table], list(accumulate(float(weight) for _, weight in table))


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    names, totals = _cumulative(table)  # the same draw as `choices(names, weights)`
    return rng.choices(names, cum_weights=totals)[0]


def _levels(rng: random.Random, region: str, procedure: str) -> tuple[str, ...]:
    first = _pick(rng, LEVELS[region])
    if procedure in {"discectomy", "disc_replacement"} or rng.random() < 0.6:
        return (first,)
    upper = first.split("-")[0]
    below = {
        "L4": "L5-S1",
        "L3": "L4-L5",
        "L2": "L3-L4",
        "C5": "C6-C7",
        "C4": "C5-C6",
        "C3": "C4-C5",
        "T10": "T11-T12",
        "T11": "T12-L1",
    }
    extra = below.get(upper)
    return (first, extra) if extra else (first,)


def _trajectory(rng: random.Random, procedure: str, odds: float = 1.0) -> tuple[str, str | None]:
    """Success or the kind of failure; ``odds`` multiplies the odds of failing (demo/preop.py)."""
    rate = FAILURE_RATE[procedure]
    if rng.random() >= rate * odds / (1.0 - rate + rate * odds):
        return "succeeding", None
    if rng.random() < RELAPSE_SHARE:
        return "relapsed", _pick(rng, RELAPSE_CAUSES[procedure])
    return "failing", _pick(rng, NEVER_IMPROVED_CAUSES[procedure])


def _level_at(
    trajectory: str, day: int, final: float, relapse_day: int, worse: float = 0.0
) -> float:
    """Disability as a share of baseline, by day after surgery, for each kind of trajectory;
    ``worse`` is the disability a worsening patient adds over the first year (a share of the
    baseline): a failing patient drifts there, a relapsing one climbs there after the relapse."""
    if day <= 0:
        return 1.0
    if trajectory == "failing":
        return 0.95 - 0.05 * min(day / 365, 1.0) + worse * min(day / 365, 1.0)
    recovery = final + (1.0 - final) * np.exp(-day / 45.0)
    if trajectory == "relapsed" and day >= relapse_day:
        top = 0.95 + worse
        return float(min(top, recovery + (top - recovery) * min((day - relapse_day) / 90.0, 1.0)))
    return float(recovery)


class _Builder:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.preop_rng = np.random.default_rng(seed + 25)
        self.today = today
        self.cohort = Cohort()
        self.pending = _Pending()

    def surgeons(self) -> None:
        for name, handle in SURGEONS:
            self.cohort.surgeons.append(DemoSurgeon(name, f"{handle}@demo.spinetrack.example"))

    def patient(self, n: int) -> None:
        rng = self.rng
        region = _pick(rng, REGIONS)
        procedure = _pick(rng, PROCEDURES[region])
        age_guess = int(self.preop_rng.normal(58 if region == "lumbar" else 53, 12))
        pains = (self.preop_rng.uniform(0.5, 0.9), self.preop_rng.uniform(0.4, 0.9))
        preop = draw_preop(self.preop_rng, age_guess, pains)
        trajectory, cause = _trajectory(rng, procedure, preop.failure_odds())
        surgery_day = self.today - timedelta(days=rng.randint(-40, HISTORY_DAYS))
        age = int(min(88, max(22, rng.gauss(58 if region == "lumbar" else 53, 12))))
        sex = "female" if rng.random() < 0.52 else "male"
        given = rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE)
        family = rng.choice(FAMILY)
        birth = surgery_day - timedelta(days=age * 365 + rng.randint(0, 364))
        index = len(self.cohort.patients)
        self.cohort.patients.append(
            DemoPatient(
                mrn=f"MRN{n + 1:07d}",
                given_name=given,
                family_name=family,
                birth_date=birth,
                sex=sex,
                email=f"{given}.{family}{n + 1}@example.org".lower()
                if rng.random() < 0.8
                else None,
                phone=f"+1-555-01{rng.randint(0, 99):02d}" if rng.random() < 0.7 else None,
                trajectory=trajectory,
                cause=cause,
                preop=preop,
            )
        )
        surgery = self.surgery(index, surgery_day, region, procedure)
        self.follow_up(index, surgery, trajectory, cause, preop.residual())

    def surgery(
        self,
        patient: int,
        day: date,
        region: str,
        procedure: str,
        revision_of: int | None = None,
        reason: str | None = None,
    ) -> int:
        rng = self.rng
        approach = _pick(rng, APPROACH.get((region, procedure), (("posterior", 1.0),)))
        instrumented = procedure in {"fusion", "dynamic_stabilization", "disc_replacement"}
        if procedure == "fusion" and region == "cervical" and rng.random() < 0.2:
            instrumented = False  # stand-alone cages
        self.cohort.surgeries.append(
            DemoSurgery(
                patient=patient,
                performed_on=day,
                region=region,
                procedure=procedure,
                approach=approach,
                levels=_levels(rng, region, procedure),
                instrumented=instrumented,
                surgeon=rng.randrange(len(self.cohort.surgeons)),
                revision_of=revision_of,
                revision_reason=reason,
                planned=day > self.today,
            )
        )
        index = len(self.cohort.surgeries) - 1
        self.complications(patient, index, region, day)
        return index

    def complications(self, patient: int, surgery: int, region: str, day: date) -> None:
        rng = self.rng
        table = COMPLICATIONS[region]
        surgeon_kind = _pick(rng, table) if rng.random() < SURGEON_REPORTED else None
        if surgeon_kind:
            when = day + timedelta(days=rng.randint(0, 14))
            self.cohort.complications.append(
                DemoComplication(patient, surgery, surgeon_kind, "surgeon", when)
            )
        if surgeon_kind and rng.random() < PATIENT_AGREES:
            patient_kind: str | None = surgeon_kind
        else:
            patient_kind = _pick(rng, table) if rng.random() < PATIENT_REPORTED else None
        if patient_kind and day + timedelta(days=30) <= self.today:
            when = day + timedelta(days=rng.randint(0, 30))
            self.cohort.complications.append(
                DemoComplication(patient, surgery, patient_kind, "patient", when)
            )

    def follow_up(
        self, patient: int, surgery: int, trajectory: str, cause: str | None, residual: float = 0.0
    ) -> None:
        rng = self.rng
        record = self.cohort.surgeries[surgery]
        final = min(0.9, rng.uniform(0.2, 0.55) + residual)
        relapse_day = rng.randint(150, 600) if cause != "adjacent_segment_disease" else 420
        baseline = rng.uniform(0.34, 0.8)
        worse = self.worsening(trajectory, baseline)
        pains = (rng.uniform(0.5, 0.9), rng.uniform(0.4, 0.9))
        revision_day = None
        if cause in REVISION_FOR and rng.random() < REVISION_RATE:
            revision_day = (relapse_day if trajectory == "relapsed" else 240) + rng.randint(60, 180)
        for timepoint, nominal in SCHEDULE:
            if revision_day is not None and nominal >= revision_day:
                break
            if rng.random() < MISSED[timepoint]:
                continue
            day = nominal + (rng.randint(-10, 0) if timepoint == "baseline" else rng.randint(-7, 7))
            moment = record.performed_on + timedelta(days=day)
            if moment > self.today:
                break
            share = _level_at(trajectory, day, final, relapse_day, worse)
            self.questionnaires(patient, record.region, moment, baseline * share, pains, share)
        if revision_day is not None:
            self.revision(patient, surgery, revision_day, cause)

    def worsening(self, trajectory: str, baseline: float) -> float:
        """Extra disability by a year for a patient who ends worse than before the operation
        (knowledge/prediction/demo_effects.yaml), 0 for the others; drawn from the pre-operative
        stream so the rest of the cohort is drawn as before. Kept below a score of 98 %."""
        rule = demo_effects().worsening
        if trajectory == "succeeding" or self.preop_rng.random() >= rule.share_of_failures:
            return 0.0
        extra = float(self.preop_rng.uniform(*rule.extra_disability))
        return max(0.0, min(extra, 0.98 / baseline - 0.95))

    def questionnaires(
        self,
        patient: int,
        region: str,
        day: date,
        disability: float,
        pains: tuple[float, float],
        share: float,
    ) -> None:
        minutes = 9 * 60 + self.rng.randint(0, 600)  # from 09:00, as datetime.combine would
        at = (day.toordinal() - _EPOCH) * _DAY_US + minutes * _MINUTE_US
        names = (
            ("ndi", "nrs_neck", "nrs_arm")
            if region == "cervical"
            else ("odi", "nrs_back", "nrs_leg")
        )
        add = self.pending.add
        add(patient, names[0], at, disability)
        add(patient, names[1], at, min(1.0, pains[0] * share))
        add(patient, names[2], at, min(1.0, pains[1] * share))

    def revision(self, patient: int, surgery: int, after_days: int, cause: str | None) -> None:
        original = self.cohort.surgeries[surgery]
        day = original.performed_on + timedelta(days=after_days)
        if day > self.today - timedelta(days=14) or cause is None:
            return
        procedure = REVISION_FOR[cause]
        revised = self.surgery(patient, day, original.region, procedure, surgery, cause)
        outcome = "succeeding" if self.rng.random() < 0.6 else "failing"
        self.follow_up(patient, revised, outcome, None)

    def answers(self) -> None:
        """Draw every item value at once: the level plus noise, rounded into the item's range;
        each instrument's responses kept as one table of columns (`Cohort.answers`)."""
        pending = self.pending
        by_instrument: dict[str, list[int]] = {}
        for i, instrument in enumerate(pending.instrument):
            by_instrument.setdefault(instrument, []).append(i)
        patients = np.array(pending.patient, dtype=np.int64)
        moments = np.array(pending.completed_at, dtype=np.int64)
        all_levels = np.array(pending.level, dtype=np.float64)
        for instrument, positions in by_instrument.items():
            rows = np.array(positions, dtype=np.int64)
            levels = all_levels[rows]
            names = ITEM_IDS[instrument]
            if instrument in {"odi", "ndi"}:
                items = self._items(levels, instrument)
            else:
                noise = self.np.normal(0.0, 0.8, size=len(rows))
                items = np.clip(np.rint(levels * 10 + noise), 0, 10)[:, None]
            self.cohort.answers[instrument] = pl.DataFrame(
                [
                    pl.Series("order", rows),
                    pl.Series("patient", patients[rows]),
                    pl.Series("completed_at", moments[rows]).cast(pl.Datetime("us")),
                    *(
                        pl.Series(name, items[:, j], nan_to_null=True).cast(pl.Int64)
                        for j, name in enumerate(names)
                    ),
                ]
            )

    def _items(self, levels: npt.NDArray[np.float64], instrument: str) -> npt.NDArray[np.float64]:
        """Ten item values per response (0-5), NaN where the item was skipped."""
        noise = self.np.normal(0.0, 0.7, size=(len(levels), 10))
        values = np.clip(np.rint(levels[:, None] * 5 + noise), 0, 5)
        missing = self.np.random(size=(len(levels), 10)) < 0.01
        if instrument == "odi":
            missing[:, 7] |= self.np.random(size=len(levels)) < 0.15  # the sex-life section
        values[missing] = np.nan
        return values


ITEM_IDS = {
    "odi": tuple(f"odi_{i}" for i in range(1, 11)),
    "ndi": tuple(f"ndi_{i}" for i in range(1, 11)),
    "nrs_back": ("nrs_back",),
    "nrs_leg": ("nrs_leg",),
    "nrs_neck": ("nrs_neck",),
    "nrs_arm": ("nrs_arm",),
}


def generate_cohort(patients: int, seed: int = 7, today: date | None = None) -> Cohort:
    """A synthetic clinic of `patients` patients; the same seed and day give the same cohort."""
    builder = _Builder(seed, today or default_today())
    builder.surgeons()
    for n in range(patients):
        builder.patient(n)
    builder.answers()
    return builder.cohort
