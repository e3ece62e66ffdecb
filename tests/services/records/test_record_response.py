"""Recording a questionnaire scores it, stores answers and score, and updates the patient's status."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from tests.conftest import row_counts
from tests.support.records import SURGERY_DAY, odi, operated_patient
from tests.support.world import TOKENS, World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.clinic_calendar import today_in
from spinetrack.services.access.credentials import digest
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.patient_status import refresh_outcome
from spinetrack.services.records.record_response import (
    NewResponse,
    record_response,
    record_response_by_token,
)
from spinetrack.storage.tables import (
    AnalyticsChange,
    ApiToken,
    AuditEntry,
    Clinic,
    PatientOutcome,
    PromResponse,
)


def _record(world: World, patient_id: int, response: NewResponse) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        response=response,
    )


def _status(world: World, patient_id: int) -> str:
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    assert record.outcome is not None
    return record.outcome.status


def test_a_response_is_stored_with_its_score(world: World) -> None:
    patient_id = operated_patient(world)
    # Ten ODI sections answered 3: sum 30 of a possible 50, so 60 %.
    view = record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        response=odi(3, day=-7),
    )
    assert (view.score_status, view.score_answered, view.score_percent) == ("ok", 10, 60.0)
    assert view.instrument_version


def test_the_status_follows_the_responses_as_they_arrive(world: World) -> None:
    patient_id = operated_patient(world)
    _record(world, patient_id, odi(3, day=-7))  # baseline 60 %
    assert _status(world, patient_id) == "too_early"
    _record(world, patient_id, odi(1, day=91))  # 20 % at 3 months: improved and within PASS
    assert _status(world, patient_id) == "succeeding"
    _record(world, patient_id, odi(3, day=365))  # back to 60 % at 12 months
    assert _status(world, patient_id) == "relapsed"


def test_a_response_with_too_many_gaps_is_stored_as_insufficient(world: World) -> None:
    patient_id = operated_patient(world)
    _record(world, patient_id, odi(2, day=-3, missing=3))
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    assert record.responses[0].score_status == "insufficient"
    assert record.responses[0].score_percent is None


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"odi_1": 6}, "answers"),
        ({"odi_1": 2.5}, "answers"),
        ({"odi_1": -1}, "answers"),
        ({"odi_11": 1}, "answers.odi_11"),
        ({"ndi_1": 1}, "answers.ndi_1"),
    ],
)
def test_an_invalid_answer_is_refused_and_nothing_is_stored(
    world: World, answers: dict[str, int | float | None], field: str
) -> None:
    patient_id = operated_patient(world)
    response = odi(2, day=-3)
    response.answers.update(answers)
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        _record(world, patient_id, response)
    assert error.value.field == field
    after = row_counts(world.database)
    assert after["prom_responses"] == before["prom_responses"] == 0
    assert after["patient_outcomes"] == before["patient_outcomes"]


def test_an_unknown_instrument_is_refused(world: World) -> None:
    patient_id = operated_patient(world)
    response = odi(2, day=-3).model_copy(update={"instrument": "sf36"})
    with pytest.raises(InvalidInput) as error:
        _record(world, patient_id, response)
    assert error.value.field == "instrument"


def test_a_questionnaire_from_the_future_is_refused(world: World) -> None:
    patient_id = operated_patient(world)
    response = odi(2, day=-3).model_copy(
        update={"completed_at": datetime.now(UTC) + timedelta(days=2)}
    )
    with pytest.raises(InvalidInput) as error:
        _record(world, patient_id, response)
    assert error.value.field == "completed_at"


def test_a_moment_sent_without_its_zone_is_read_as_utc(world: World) -> None:
    patient_id = operated_patient(world)
    answers = dict(odi(2, day=-3).answers)
    naive = datetime.combine(SURGERY_DAY + timedelta(days=-3), datetime.min.time())
    sent = NewResponse(instrument="odi", completed_at=naive, answers=answers)
    assert sent.completed_at == naive.replace(tzinfo=UTC)
    _record(world, patient_id, sent)
    future = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=2)
    with pytest.raises(InvalidInput, match="future"):
        _record(
            world, patient_id, NewResponse(instrument="odi", completed_at=future, answers=answers)
        )


def _by_token(world: World, token: str, patient_id: int, clinic_id: int | None = None) -> None:
    record_response_by_token(
        sessions=world.database.sessions,
        token=token,
        remote="10.0.0.7",
        clinic_id=clinic_id,
        patient_id=patient_id,
        response=odi(3, day=-7),
    )


def test_signing_in_with_the_submission_records_it_as_the_token_holder(world: World) -> None:
    patient_id = operated_patient(world)
    token = TOKENS["staff@north.example"]
    with world.database.sessions() as uow:
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        assert row is not None
        row.last_used_at = None
        uow.commit()
    _by_token(world, token, patient_id)  # the staff member's only clinic
    assert _status(world, patient_id) == "too_early"
    with world.database.sessions() as uow:
        [entry] = [
            e for e in uow.session.scalars(select(AuditEntry)) if e.action == "response.create"
        ]
        assert (entry.actor, entry.outcome, entry.remote) == (
            "staff@north.example",
            "ok",
            "10.0.0.7",
        )
        row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        assert row is not None and row.last_used_at is not None  # touched, after the write


def test_a_refused_token_stores_nothing_and_writes_no_audit_entry(world: World) -> None:
    patient_id = operated_patient(world)
    before = row_counts(world.database)
    for token in ("st_unknown", "not-a-token"):
        with pytest.raises(NotAuthenticated):
            _by_token(world, token, patient_id)
    assert row_counts(world.database) == before


def test_a_token_of_another_clinic_finds_no_patient_and_is_audited(world: World) -> None:
    patient_id = operated_patient(world)
    before = row_counts(world.database)
    with pytest.raises(NotFound):
        _by_token(world, TOKENS["staff@north.example"], patient_id, clinic_id=world.other_clinic)
    after = row_counts(world.database)
    assert after["prom_responses"] == before["prom_responses"]
    assert after["audit_entries"] == before["audit_entries"] + 1  # the refusal, as ever


def test_the_outcome_row_written_with_the_response_is_the_one_a_recompute_gives(
    world: World,
) -> None:
    """Most submissions store the response and overwrite the outcome row in one statement, the
    row computed before the response has its id; it must be the row a full recompute would
    store (two answers of the same moment included), and the write must still bump the clinic's
    data version and log the patient for the dashboard."""
    compared = [c.key for c in PatientOutcome.__table__.columns if c.key != "computed_at"]
    patient_id = operated_patient(world)
    _record(world, patient_id, odi(3, day=-7))  # the first: the outcome row is created
    with world.database.sessions() as uow:
        version = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == world.clinic))
    _record(world, patient_id, odi(2, day=91))
    _record(world, patient_id, odi(1, day=91))  # same moment: the later id counts last
    _record(world, patient_id, odi(2, day=180))
    with world.database.sessions() as uow:
        stored = uow.session.scalar(
            select(PatientOutcome).where(PatientOutcome.patient_id == patient_id)
        )
        assert stored is not None
        written = {c: getattr(stored, c) for c in compared}
        after = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == world.clinic))
        logged = uow.session.scalars(
            select(AnalyticsChange.patient_id).where(AnalyticsChange.clinic_id == world.clinic)
        ).all()
    assert after == version + 3
    assert patient_id in logged
    with world.database.sessions() as uow:
        uow.session.expunge_all()
        repo = uow.patients(world.clinic)
        today = today_in(repo.lock(patient_id).zone)
        recomputed = refresh_outcome(repo, patient_id, today)
        uow.rollback()
    expected = {c: getattr(recomputed, c) for c in compared}
    assert written == expected


def test_a_submission_by_token_runs_three_statements_on_postgresql(world: World) -> None:
    """Sign-in with the patient's lock, the status inputs, then one write that stores the
    response, the outcome row, the data version's bump and log and the audit entry naming the
    response (BEGIN and COMMIT aside); the stored result is the one the separate statements
    gave."""
    if world.database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs the statements one by one, in one process")
    patient_id = operated_patient(world)
    _record(world, patient_id, odi(3, day=-7))  # the outcome row exists: the common case
    with world.database.sessions() as uow:
        version = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == world.clinic))
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(world.database.engine, "before_cursor_execute", record)
    try:
        _by_token(world, TOKENS["staff@north.example"], patient_id)
    finally:
        event.remove(world.database.engine, "before_cursor_execute", record)
    # The submission's own statements: up to the write, before the sealer's and the token's
    # touch (both after commit, outside the submission's transaction).
    ours = statements[: next(i for i, s in enumerate(statements) if "bumped" in s) + 1]
    assert len(ours) == 3, [s[:60] for s in statements]
    assert "FOR UPDATE" in ours[0] and "api_tokens" in ours[0]
    assert "INSERT INTO audit_entries" in ours[2] and "bumped" in ours[2]
    with world.database.sessions() as uow:
        stored = uow.session.execute(
            select(
                AuditEntry.actor,
                AuditEntry.outcome,
                AuditEntry.target,
                AuditEntry.patient_id,
                AuditEntry.remote,
            )
            .where(AuditEntry.action == "response.create")
            .order_by(AuditEntry.id.desc())
        ).first()
        newest = uow.session.scalar(
            select(PromResponse.id)
            .where(PromResponse.patient_id == patient_id)
            .order_by(PromResponse.id.desc())
        )
        after = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == world.clinic))
        logged = uow.session.scalar(
            select(AnalyticsChange.data_version).where(AnalyticsChange.patient_id == patient_id)
        )
    assert stored is not None
    assert tuple(stored) == (
        "staff@north.example",
        "ok",
        f"response:{newest}",
        patient_id,
        "10.0.0.7",
    )
    assert after == version + 1 and logged == after
