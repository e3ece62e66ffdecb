"""Triage history for the demo clinic: findings consistent with each struggling patient's cause,
stored assessments, some confirmed causes and plans, and a few red flags.

Without it the worklist's red-flag section and the patient page's triage panel would be empty on
`make run`. The findings for a cause are the ones the triage rules weigh most for it (read from the
shipped rules, never restated here), so the assessment the demo stores points where the cohort's
story says it should. Shares are demo choices, not clinical claims.
"""

import random
from datetime import date, timedelta

from spinetrack.demo.cohort import Cohort
from spinetrack.domain.triage.conditions import FindingIs
from spinetrack.domain.triage.rules_check import checked_rules
from spinetrack.services.triage.assess_patient import Conclusion, NewFinding
from spinetrack.services.triage.import_triage import ImportedTriage

WORKED_UP = 0.5
"""Share of failing and relapsed patients with findings recorded and an assessment stored."""
CONFIRMED = 0.3
"""Share of those whose work-up is finished: a confirmed cause and a chosen treatment."""
RED_FLAG_EVERY = 40
"""One worked-up patient in this many presents with signs of infection (an urgent red flag)."""
RED_FLAG_FINDINGS = ("fever", "wound_drainage", "crp_second_rise")
STRUGGLING = ("failing", "relapsed")


def characteristic_findings(cause: str, most: int = 2) -> list[str]:
    """The findings the triage rules weigh most for a cause (plain finding conditions only)."""
    for rule in checked_rules().causes.causes:
        if rule.id == cause:
            weighted = [
                (evidence.weight, evidence.when.id)
                for evidence in rule.evidence_for
                if isinstance(evidence.when, FindingIs)
            ]
            weighted.sort(key=lambda pair: -pair[0])
            return [finding for _, finding in weighted[:most]]
    return []


def _first_treatment(cause: str) -> str | None:
    """The first treatment the rules list for a cause at the lowest step (the demo's chosen plan)."""
    options = checked_rules().treatments.causes.get(cause, [])
    ranked = sorted(enumerate(options), key=lambda pair: (pair[1].step, pair[0]))
    return ranked[0][1].id if ranked else None


def triage_history(cohort: Cohort, seed: int, today: date) -> list[ImportedTriage]:
    """The demo's findings and conclusions, one item per worked-up patient (deterministic)."""
    rng = random.Random(seed * 7919 + 11)
    operated: dict[int, date] = {}
    for surgery in cohort.surgeries:
        if surgery.performed_on < today:
            operated[surgery.patient] = max(
                surgery.performed_on, operated.get(surgery.patient, surgery.performed_on)
            )
    items = []
    worked_up = 0
    for n, patient in enumerate(cohort.patients):
        if patient.trajectory not in STRUGGLING or patient.cause is None or n not in operated:
            continue
        if rng.random() >= WORKED_UP:
            continue
        worked_up += 1
        seen = max(operated[n] + timedelta(days=1), today - timedelta(days=rng.randint(3, 40)))
        found = characteristic_findings(patient.cause)
        flagged = worked_up % RED_FLAG_EVERY == 1
        if flagged:
            found = [*found, *RED_FLAG_FINDINGS]
        conclusion = None
        if not flagged and rng.random() < CONFIRMED:
            conclusion = Conclusion(
                confirmed_cause=patient.cause,
                chosen_treatment=_first_treatment(patient.cause),
                plan_note="Discussed at the spine meeting; plan agreed with the patient.",
            )
        items.append(
            ImportedTriage(
                mrn=patient.mrn,
                findings=[NewFinding(finding=f, observed_on=seen) for f in dict.fromkeys(found)],
                conclusion=conclusion,
            )
        )
    return items
