"""A summary letter about one patient for the referring doctor: the operations, the outcome status
with a chart of the questionnaire scores, and the plan the clinician recorded. It is identified
patient data, so only the clinical roles of the patient's clinic may produce it, and every letter
is an audited read of that patient."""

from dataclasses import dataclass
from datetime import date
from functools import cache

from spinetrack.domain.errors import NotFound
from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.outcomes import ScorePoint, schedule
from spinetrack.domain.outcomes.rules import status_rules
from spinetrack.domain.outcomes.selection import counted
from spinetrack.services.access.actor import CLINICAL_ROLES, Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.clinician.letter_chart import data_uri, letter_chart
from spinetrack.services.records.patient_status import score_points
from spinetrack.services.reporting.rendering import render
from spinetrack.services.reporting.rendering import stylesheet as document_style
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


@cache
def pass_values() -> dict[str, float]:
    """Each disability instrument's PASS score (at most), for the chart's PASS lines."""
    values = {}
    for instrument in status_rules().disability_instruments:
        threshold = get_instrument(instrument).outcome.pass_
        if threshold is not None:
            values[instrument] = float(threshold.at_most)
    return values


@dataclass(frozen=True)
class LetterOperation:
    performed_on: date
    region: str
    procedure: str
    approach: str
    levels: str
    surgeon: str | None
    revision: bool


@dataclass(frozen=True)
class Letter:
    clinic: str
    patient_name: str
    birth_date: date
    mrn: str
    written_on: date
    operations: list[LetterOperation]
    status: str | None
    latest_timepoint: str | None
    disability_instrument: str | None
    disability_improvement: float | None
    chart: str
    """The score chart as an SVG data URI."""
    scores: list[tuple[int, str, float]]
    instruments: list[str]
    """The questionnaires answered, the columns of ``table``."""
    table: list[tuple[str, dict[str, float]]]
    """The counted scores by time point, in schedule order: (its label, {instrument: score})."""
    addressee: list[str]
    """The letter's addressee lines: the referring doctor, their practice and address, as far
    as the record knows them (empty: "the referring doctor")."""
    signer: str
    """The signing clinician's name and role (the user who produced the letter)."""
    signer_role: str

    @property
    def latest_label(self) -> str:
        """The latest follow-up's time point in words ("24 months")."""
        labels = {t.id: t.label or t.id for t in schedule()}
        return labels.get(self.latest_timepoint or "", self.latest_timepoint or "")

    confirmed_cause: str | None
    chosen_treatment: str | None
    plan_note: str | None
    suggested_causes: list[str]
    red_flag: bool


def _surgeon(uow: UnitOfWork, surgeon_id: int | None) -> str | None:
    if surgeon_id is None:
        return None
    user = uow.users.get(surgeon_id)
    return user.full_name if user else None


ROLE_TITLES = {
    "clinician": "Clinician",
    "admin": "Clinic administrator",
    "staff": "Clinic staff",
}
"""How a signature names the signer's role in the clinic."""


def _by_timepoint(points: list[ScorePoint]) -> list[tuple[str, dict[str, float]]]:
    """The scores that count at each time point (the same choice as the status), labelled in
    words and in schedule order: a referring doctor reads "6 months", not "day 187"."""
    chosen = counted(points)
    rows = []
    for timepoint in schedule():
        present = {
            i: series[timepoint.id].score
            for i, series in sorted(chosen.items())
            if timepoint.id in series
        }
        if present:
            rows.append((timepoint.label or timepoint.id, present))
    return rows


def _addressee(name: str | None, practice: str | None, address: str | None) -> list[str]:
    lines = [line for line in (name, practice) if line]
    lines += [line.strip() for line in (address or "").splitlines() if line.strip()]
    return lines


def _signer(uow: UnitOfWork, actor: Actor) -> str:
    user = uow.users.get(actor.user_id) if actor.user_id is not None else None
    return user.full_name if user else actor.name


def patient_letter(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    patient_id: int | None = None,
    mrn: str | None = None,
    today: date | None = None,
) -> Letter:
    """The letter's content, for the patient named by id or by record number."""
    with audited(
        sessions, actor, "patient.letter", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id, CLINICAL_ROLES)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        repo = work.uow.patients(clinic_id)
        if patient_id is None:
            found = repo.by_mrn(mrn or "")
            if found is None:
                raise NotFound("patient", mrn or "")
            patient_id = found.id
            work.patient_id = patient_id
        patient = repo.get(patient_id)
        surgeries = repo.surgeries(patient_id)
        points = score_points(surgeries, repo.responses(patient_id))
        scores = [(p.days_after_surgery, p.instrument, p.score) for p in points]
        nominal = {t.id: t.nominal for t in schedule()}
        chart = data_uri(letter_chart(scores, pass_values(), nominal))
        outcome = repo.outcome(patient_id)
        assessments = repo.assessments(patient_id)
        confirmed = next((a for a in reversed(assessments) if a.confirmed_cause), None)
        latest = assessments[-1] if assessments else None
        suggested = [c["id"] for c in (latest.assessment.get("causes", []) if latest else [])][:3]
        work.detail = "letter for the referring doctor"
        return Letter(
            clinic=clinic.name,
            patient_name=f"{patient.given_name} {patient.family_name}",
            birth_date=patient.birth_date,
            mrn=patient.mrn,
            written_on=today or clinic_today(work.uow, clinic_id),
            operations=[
                LetterOperation(
                    s.performed_on,
                    s.region,
                    s.procedure,
                    s.approach,
                    ", ".join(s.levels),
                    _surgeon(work.uow, s.surgeon_id),
                    s.revision_of_id is not None,
                )
                for s in surgeries
            ],
            status=outcome.status if outcome else None,
            latest_timepoint=outcome.latest_timepoint if outcome else None,
            disability_instrument=outcome.disability_instrument if outcome else None,
            disability_improvement=outcome.disability_improvement if outcome else None,
            chart=chart,
            scores=sorted(scores),
            instruments=sorted({name for _, name, _ in scores}),
            table=_by_timepoint(points),
            addressee=_addressee(
                patient.referrer_name, patient.referrer_practice, patient.referrer_address
            ),
            signer=_signer(work.uow, actor),
            signer_role=ROLE_TITLES.get(actor.roles.get(clinic_id, ""), "Clinician"),
            confirmed_cause=confirmed.confirmed_cause if confirmed else None,
            chosen_treatment=confirmed.chosen_treatment if confirmed else None,
            plan_note=confirmed.plan_note if confirmed else None,
            suggested_causes=suggested,
            red_flag=bool(latest and latest.red_flags),
        )


def letter_html(letter: Letter, *, stylesheet: str | None = None) -> str:
    """The letter as HTML: styled by ``stylesheet`` (a URL) when served, else self-contained."""
    css = None if stylesheet else document_style()
    return render("reports/letter.html", letter=letter, stylesheet=stylesheet, css=css)
