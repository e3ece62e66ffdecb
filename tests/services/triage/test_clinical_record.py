"""The whole record feeds triage (issue 18): pasted report text is stored with what was read from
it and used by every later assessment, a clinician can reject a misread finding, recorded
complications reach the ranked causes, and a patient is assessed when they become failing."""

from datetime import date, timedelta

import pytest
from tests.conftest import row_counts
from tests.support.records import TODAY, answer, operated
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.register_surgery import NewComplication, record_complication
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    NewFinding,
    NewReport,
    assess_patient,
    list_assessments,
    list_reports,
    record_finding,
    reject_report_finding,
)
from spinetrack.storage.tables import AuditEntry

CT = (
    "CT lumbar spine: No bridging bone across the L4-L5 fusion. Lucency of more than 1 mm "
    "around the left L5 pedicle screw, in keeping with loosening."
)


def _failing_fusion(world: World, mrn: str) -> int:
    """Lumbar fusion 400 days ago; ODI 60 % before and at 3 and 12 months: failing."""
    patient = operated(world, mrn, 400)
    surgery_day = TODAY - timedelta(days=400)
    answer(world, patient, 3, surgery_day - timedelta(days=5))
    answer(world, patient, 3, surgery_day + timedelta(days=91))
    answer(world, patient, 3, surgery_day + timedelta(days=365))
    return patient


def _assess(world: World, patient: int, request: AssessmentRequest | None = None) -> dict:  # type: ignore[type-arg]
    return assess_patient(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        request=request or AssessmentRequest(),
    ).assessment


def _paste_ct(world: World, patient: int) -> dict:  # type: ignore[type-arg]
    report = NewReport(
        kind="ct", report_date=TODAY - timedelta(days=3), title="CT L-spine", text=CT
    )
    return _assess(world, patient, AssessmentRequest(report_details=[report]))


def _causes(assessment: dict) -> list[str]:  # type: ignore[type-arg]
    return [c["id"] for c in assessment["causes"]]


def test_a_pasted_report_is_stored_with_its_findings_and_kept_by_later_assessments(
    world: World,
) -> None:
    patient = _failing_fusion(world, "R1")
    first = _paste_ct(world, patient)
    assert {"pseudarthrosis", "implant_failure"} <= set(_causes(first)[:2])
    reports, readings = list_reports(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    [report] = reports
    assert (report.kind, report.title, report.recorded_by) == (
        "ct",
        "CT L-spine",
        "clinician@north.example",
    )
    assert report.report_date == TODAY - timedelta(days=3)
    assert report.text == CT
    by_id = {r.finding: r for r in readings}
    assert set(by_id) == {"ct_no_bridging_bone", "screw_lucency"}
    assert by_id["ct_no_bridging_bone"].quoted == "No bridging bone"
    assert {r.certainty for r in readings} == {"affirmed"}
    assert {r.status for r in readings} == {"accepted"}

    # Recording another finding assesses again: the report's causes and readings stay.
    record_finding(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        finding=NewFinding(finding="smoker", observed_on=TODAY),
    )
    later = _assess(world, patient)
    assert {"pseudarthrosis", "implant_failure"} <= set(_causes(later)[:2])
    assert {f["id"] for f in later["extracted_findings"]} == {
        "ct_no_bridging_bone",
        "screw_lucency",
    }


def test_a_rejected_reading_is_kept_marked_audited_and_left_out_afterwards(world: World) -> None:
    patient = _failing_fusion(world, "R2")
    _paste_ct(world, patient)
    _, readings = list_reports(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    lucency = next(r for r in readings if r.finding == "screw_lucency")
    stored = reject_report_finding(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        finding_id=lucency.id,
    )
    assert "screw_lucency" not in {f["id"] for f in stored.assessment["extracted_findings"]}
    assert "ct_no_bridging_bone" in {f["id"] for f in stored.assessment["extracted_findings"]}
    _, after = list_reports(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    rejected = next(r for r in after if r.id == lucency.id)
    assert (rejected.status, rejected.reviewed_by) == ("rejected", "clinician@north.example")
    assert rejected.reviewed_at is not None
    with world.database.sessions(read_only=True) as uow:
        actions = [e.action for e in uow.session.query(AuditEntry).filter_by(patient_id=patient)]
    assert "report_finding.reject" in actions
    later = _assess(world, patient)
    assert "screw_lucency" not in {f["id"] for f in later["extracted_findings"]}


def test_staff_may_not_reject_a_reading_and_another_clinic_never_finds_it(world: World) -> None:
    patient = _failing_fusion(world, "R3")
    _paste_ct(world, patient)
    _, readings = list_reports(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    before = row_counts(world.database)
    with pytest.raises(AccessDenied):
        reject_report_finding(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=patient,
            finding_id=readings[0].id,
        )
    with pytest.raises(NotFound):
        reject_report_finding(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            finding_id=readings[0].id + 1000,
        )
    assert row_counts(world.database)["report_findings"] == before["report_findings"]


def test_a_report_dated_in_the_future_is_refused_and_nothing_is_stored(world: World) -> None:
    patient = _failing_fusion(world, "R4")
    before = row_counts(world.database)
    report = NewReport(kind="mri", report_date=TODAY + timedelta(days=2), text="MRI: normal.")
    with pytest.raises(InvalidInput) as refused:
        _assess(world, patient, AssessmentRequest(report_details=[report]))
    assert refused.value.field == "report_date"
    after = row_counts(world.database)
    assert (after["report_texts"], after["triage_assessments"]) == (
        before["report_texts"],
        before["triage_assessments"],
    )


def test_a_nerve_root_injury_recorded_by_surgeon_and_patient_reaches_the_causes(
    world: World,
) -> None:
    patient = _failing_fusion(world, "C1")
    assert "nerve_root_injury" not in _causes(_assess(world, patient))
    with world.database.sessions(read_only=True) as uow:
        [surgery_id] = [s.id for s in uow.patients(world.clinic).surgeries(patient)]
    for reporter in ("surgeon", "patient"):
        record_complication(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            complication=NewComplication(
                surgery_id=surgery_id, kind="nerve_root_injury", reported_by=reporter
            ),
        )
    assessment = _assess(world, patient)
    cause = next(c for c in assessment["causes"] if c["id"] == "nerve_root_injury")
    assert cause["evidence_for"].count("complication: nerve root injury during surgery") == 1


def test_a_patient_is_assessed_when_they_become_failing_and_not_before(world: World) -> None:
    patient = operated(world, "A1", 400)
    surgery_day = TODAY - timedelta(days=400)

    def history() -> list[str]:
        return [
            a.assessed_by
            for a in list_assessments(
                sessions=world.database.sessions,
                actor=world.clinician,
                clinic_id=world.clinic,
                patient_id=patient,
            )
        ]

    answer(world, patient, 3, surgery_day - timedelta(days=5))
    answer(world, patient, 3, date.fromordinal(surgery_day.toordinal() + 42))  # too early
    assert history() == []
    answer(world, patient, 3, surgery_day + timedelta(days=91))  # failing from here
    assert history() == ["spinetrack (automatic, on becoming failing)"]
    answer(world, patient, 3, surgery_day + timedelta(days=182))  # still failing: no new one
    assert len(history()) == 1
