"""The worklist: the outcome columns every write path fills, and the sections, filters and paging
read from them."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from tests.support.records import TODAY, answer, failing, new_patient, operated
from tests.support.world import World

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import to_imports
from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outcomes.followup import next_followup
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.clinician.worklist import (
    PAGE_SIZE,
    WorklistFilters,
    clinic_surgeons,
    open_worklist,
)
from spinetrack.services.patient_side.consultations import NewConsultation, submit_consultation
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.registry_io.import_patients import import_patients
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    Conclusion,
    NewFinding,
    assess_patient,
    conclude,
    record_finding,
)
from spinetrack.services.triage.import_triage import ImportedTriage, import_triage
from spinetrack.storage.tables import PatientOutcome


def outcome(world: World, patient: int) -> PatientOutcome:
    with world.database.sessions.sessionmaker() as session:
        row = session.scalar(select(PatientOutcome).where(PatientOutcome.patient_id == patient))
        assert row is not None
        return row


def test_a_surgery_fills_the_copied_fields_and_the_next_follow_up(world: World) -> None:
    patient = operated(world, "W1", 10, region="lumbar", procedure="fusion")
    row = outcome(world, patient)
    surgery_day = TODAY - timedelta(days=10)
    assert (row.region, row.procedure, row.surgeon_id) == ("lumbar", "fusion", world.surgeon_id)
    assert row.surgery_date == surgery_day and row.index_surgery_id is not None
    assert (row.next_timepoint, row.next_due_on) == ("6w", surgery_day + timedelta(days=42))
    assert row.next_window_closes_on == surgery_day + timedelta(days=69)
    assert row.red_flag is False and row.latest_assessment_id is None


def test_an_answer_in_the_window_moves_the_next_follow_up_on(world: World) -> None:
    patient = operated(world, "W2", 50)
    surgery_day = TODAY - timedelta(days=50)
    answer(world, patient, 2, surgery_day + timedelta(days=45))
    row = outcome(world, patient)
    expected = next_followup(surgery_day, {"6w"}, TODAY)
    assert expected is not None and row.next_timepoint == expected.timepoint == "3m"
    assert row.next_due_on == expected.due_on


def test_red_flag_is_set_by_the_assessment_kept_by_later_refreshes_and_cleared_by_a_plan(
    world: World,
) -> None:
    sessions = world.database.sessions
    patient = failing(world, "W3")
    record_finding(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        finding=NewFinding(finding="fever", observed_on=TODAY),
    )
    stored = assess_patient(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        request=AssessmentRequest(),
    )
    assert "infection" in [flag["id"] for flag in stored.assessment["red_flags"]]
    row = outcome(world, patient)
    assert row.red_flag is True and row.latest_assessment_id == stored.id
    answer(world, patient, 3, TODAY)  # a refresh of the status must not reset the flag
    assert outcome(world, patient).red_flag is True
    conclude(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        assessment_id=stored.id,
        conclusion=Conclusion(confirmed_cause="infection", chosen_treatment="antibiotics"),
    )
    assert outcome(world, patient).red_flag is False


def test_the_bulk_import_fills_the_same_columns_as_single_entries(world: World) -> None:
    cohort = generate_cohort(60, seed=3, today=TODAY)
    import_patients(
        sessions=world.database.sessions,
        actor=system_actor("test"),
        clinic_id=world.clinic,
        patients=to_imports(cohort, [world.surgeon_id] * len(cohort.surgeons)),
    )
    with world.database.sessions.sessionmaker() as session:
        rows = list(session.scalars(select(PatientOutcome)))
    operated_rows = [r for r in rows if r.index_surgery_id is not None]
    assert operated_rows and all(r.region and r.procedure and r.surgery_date for r in operated_rows)
    assert all(r.surgeon_id == world.surgeon_id for r in operated_rows)
    assert any(r.next_due_on is not None for r in operated_rows)
    assert all(r.next_window_closes_on >= TODAY for r in rows if r.next_window_closes_on)


def test_sections_put_red_flags_first_then_failing_then_due_follow_ups(world: World) -> None:
    flagged = failing(world, "S1")
    plain_failing = failing(world, "S2")
    due = operated(world, "S3", 40)  # 6 weeks due in two days
    later = operated(world, "S4", 5)  # 6 weeks far off: on no list
    record_finding(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=flagged,
        finding=NewFinding(finding="wound_drainage", observed_on=TODAY),
    )
    assess_patient(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=flagged,
        request=AssessmentRequest(),
    )
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={},
    )
    ids = {page.section: [item.patient_id for item in page.items] for page in listing.sections}
    assert ids == {
        "red_flags": [flagged],
        "failing": [plain_failing],
        "losing_ground": [],
        "followups": [due],
    }
    assert all(later not in listed for listed in ids.values())
    followup = listing.sections[3].items[0]
    assert (followup.next_timepoint, followup.followup) == ("6w", "due")
    assert [page.total for page in listing.sections] == [1, 1, 0, 1]


def test_filters_narrow_every_section_and_bad_values_name_their_filter(world: World) -> None:
    failing(world, "F1")
    cervical = operated(world, "F2", 40, region="cervical", levels=["C5-C6"])

    def totals(filters: WorklistFilters) -> list[int]:
        listing = open_worklist(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            filters=filters,
            pages={},
        )
        return [page.total for page in listing.sections]

    assert totals(WorklistFilters(region="cervical")) == [0, 0, 0, 1]
    assert totals(WorklistFilters(region="lumbar")) == [0, 1, 0, 0]
    assert totals(WorklistFilters(status="failing")) == [0, 1, 0, 0]
    assert totals(WorklistFilters(surgeon_id=world.surgeon_id + 999)) == [0, 0, 0, 0]
    assert totals(WorklistFilters(procedure="discectomy")) == [0, 0, 0, 0]
    assert cervical
    with pytest.raises(InvalidInput) as refused:
        totals(WorklistFilters(region="knee"))
    assert refused.value.field == "region"


def test_pages_split_a_long_section_and_clamp_to_the_last(world: World) -> None:
    with world.database.sessions.sessionmaker.begin() as session:
        for n in range(PAGE_SIZE + 3):
            patient = register_patient(
                sessions=world.database.sessions,
                actor=world.staff,
                clinic_id=world.clinic,
                patient=new_patient(f"P{n}"),
            ).id
            session.add(
                PatientOutcome(patient_id=patient, clinic_id=world.clinic, status="failing")
            )
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={"failing": 99},
    )
    page = listing.sections[1]
    assert (page.total, page.page, page.pages, len(page.items)) == (PAGE_SIZE + 3, 2, 2, 3)


def test_a_closed_window_is_moved_on_when_the_worklist_opens(world: World) -> None:
    patient = operated(world, "C1", 80)  # 6w window closed 11 days ago, 3m next
    with world.database.sessions.sessionmaker.begin() as session:
        stale = TODAY - timedelta(days=11)
        session.execute(
            update(PatientOutcome)
            .where(PatientOutcome.patient_id == patient)
            .values(next_timepoint="6w", next_due_on=stale, next_window_closes_on=stale)
        )
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={},
    )
    assert listing.advanced == 1
    assert outcome(world, patient).next_timepoint == "3m"


def test_new_consultation_requests_are_counted_urgent_first(world: World) -> None:
    def send(urgent: bool) -> int:
        return submit_consultation(
            sessions=world.database.sessions,
            clinic_slug="north",
            remote=None,
            request=NewConsultation(
                region="back",
                symptoms="pain again",
                screening={
                    "bladder_bowel": urgent,
                    "saddle_numbness": False,
                    "worsening_weakness": False,
                    "fever_wound": False,
                },
                given_name="Ann",
                family_name="Lee",
                phone="0123 456",
                consent=True,
            ),
        ).id

    calm, urgent = send(False), send(True)
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={},
    )
    assert listing.consultations_total == 2
    assert [c.id for c in listing.consultations] == [urgent, calm]
    assert listing.consultations[0].urgent


def test_analysts_and_other_clinics_get_no_worklist(world: World) -> None:
    with pytest.raises(AccessDenied):
        open_worklist(
            sessions=world.database.sessions,
            actor=world.analyst,
            clinic_id=world.clinic,
            filters=WorklistFilters(),
            pages={},
        )
    with pytest.raises(Exception, match="not found"):
        open_worklist(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.clinic,
            filters=WorklistFilters(),
            pages={},
        )


def test_import_triage_assesses_records_plans_and_raises_flags(world: World) -> None:
    worked_up = failing(world, "T1")
    flagged = failing(world, "T2")
    count = import_triage(
        sessions=world.database.sessions,
        actor=system_actor("test"),
        clinic_id=world.clinic,
        items=[
            ImportedTriage(
                mrn="T1",
                findings=[NewFinding(finding="mechanical_pain", observed_on=TODAY)],
                conclusion=Conclusion(confirmed_cause="instability"),
            ),
            ImportedTriage(mrn="T2", findings=[NewFinding(finding="fever", observed_on=TODAY)]),
        ],
        evaluation_date=TODAY,
    )
    assert count == 2
    assert outcome(world, worked_up).latest_assessment_id is not None
    assert outcome(world, worked_up).red_flag is False
    assert outcome(world, flagged).red_flag is True
    with pytest.raises(InvalidInput) as refused:
        import_triage(
            sessions=world.database.sessions,
            actor=system_actor("test"),
            clinic_id=world.clinic,
            items=[ImportedTriage(mrn="T1", findings=[NewFinding(finding="x", observed_on=TODAY)])],
            evaluation_date=TODAY,
        )
    assert refused.value.field == "items.0.findings.0"


def test_failing_patients_are_ordered_by_the_worst_change_not_by_record(world: World) -> None:
    """Issue 18, point 8: urgency, not MRN or id order, within the failing section."""
    milder = operated(world, "U1", 100)
    worse = operated(world, "U2", 100)
    day = TODAY - timedelta(days=100)
    answer(world, milder, 3, day - timedelta(days=5))  # ODI 60 -> 60: no change
    answer(world, milder, 3, day + timedelta(days=91))
    answer(world, worse, 2, day - timedelta(days=5))  # ODI 40 -> 60: 20 points worse
    answer(world, worse, 3, day + timedelta(days=91))
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={},
    )
    failing_section = next(p for p in listing.sections if p.section == "failing")
    assert [i.patient_id for i in failing_section.items] == [worse, milder]
    assert [i.change for i in failing_section.items] == [-20.0, 0.0]


def test_a_patient_losing_ground_is_listed_though_still_succeeding(world: World) -> None:
    """Issue 18, point 3: ODI 60 -> 20 at 6 months -> 40 at 24 months."""
    patient = operated(world, "LG1", 740)
    day = TODAY - timedelta(days=740)
    answer(world, patient, 3, day - timedelta(days=5))
    answer(world, patient, 1, day + timedelta(days=182))
    answer(world, patient, 2, day + timedelta(days=730))
    listing = open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=WorklistFilters(),
        pages={},
    )
    section = next(p for p in listing.sections if p.section == "losing_ground")
    [item] = section.items
    assert (item.patient_id, item.status, item.losing_ground) == (patient, "succeeding", True)


def test_an_administrator_who_does_not_operate_is_not_offered_as_a_surgeon(world: World) -> None:
    surgeons = clinic_surgeons(
        sessions=world.database.sessions, actor=world.clinician, clinic_id=world.clinic
    )
    assert [name for _, name in surgeons] == ["Clinician"]
