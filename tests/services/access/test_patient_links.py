"""Patient links: one patient, one purpose, until expiry, submission or withdrawal."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from tests.conftest import row_counts
from tests.support.links import issued_link
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.patient_links import (
    LinkAnswers,
    NewLink,
    answer_link,
    issue_link,
    open_link,
    revoke_link,
)
from spinetrack.services.records.patient_record import open_record
from spinetrack.storage.tables import AuditEntry, PatientLink

ODI = {f"odi_{i}": 2 for i in range(1, 11)}


def test_a_patient_answers_through_the_link_once(world: World) -> None:
    patient_id, token = issued_link(world)
    view = open_link(sessions=world.database.sessions, token=token, remote="10.0.0.9")
    assert view.instruments == ["odi", "nrs_back"]
    assert set(view.__dataclass_fields__) == {"instruments", "expires_at"}  # nothing identifying
    stored = answer_link(
        sessions=world.database.sessions,
        token=token,
        remote="10.0.0.9",
        answers=LinkAnswers(responses=[ODI, {"nrs_back": 6}]),
    )
    assert stored == 2
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    assert {r.source for r in record.responses} == {"patient_link"}
    with pytest.raises(NotFound):
        open_link(sessions=world.database.sessions, token=token, remote=None)


def test_a_forged_or_altered_link_is_refused(world: World) -> None:
    _, token = issued_link(world)
    with pytest.raises(NotFound):
        open_link(
            sessions=world.database.sessions,
            token=token[:-1] + ("0" if token[-1] != "0" else "1"),
            remote=None,
        )
    with pytest.raises(NotFound):
        open_link(sessions=world.database.sessions, token="made-up.0123456789abcdef", remote=None)


def test_every_refused_link_leaves_a_rejected_audit_entry_naming_nobody(world: World) -> None:
    """Someone guessing links must show up in the audit trail, and the trail must not say whose
    link a near miss belonged to."""
    _, token = issued_link(world)
    before = row_counts(world.database)
    for attempt in ("made-up.0123456789abcdef", token[:-1] + ("0" if token[-1] != "0" else "1")):
        with pytest.raises(NotFound):
            open_link(sessions=world.database.sessions, token=attempt, remote="203.0.113.9")
    with world.database.sessions.sessionmaker() as session:
        refused = session.scalars(
            select(AuditEntry).where(AuditEntry.remote == "203.0.113.9").order_by(AuditEntry.seq)
        ).all()
    assert [(e.action, e.outcome, e.clinic_id, e.patient_id) for e in refused] == [
        ("link.open", "rejected", None, None)
    ] * 2
    after = row_counts(world.database)
    # ...and both guesses count toward the address's request limit (one counter row).
    assert after == before | {
        "audit_entries": before["audit_entries"] + 2,
        "rate_windows": before["rate_windows"] + 1,
    }


def test_an_expired_or_withdrawn_link_is_refused(world: World) -> None:
    patient_id, expiring = issued_link(world)
    second = issue_link(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        link=NewLink(instruments=["ndi"]),
    )
    with world.database.engine.begin() as connection:
        connection.execute(
            update(PatientLink)
            .where(PatientLink.id != second.id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    with pytest.raises(NotFound):
        open_link(sessions=world.database.sessions, token=expiring, remote=None)
    still_open = open_link(sessions=world.database.sessions, token=second.token, remote=None)
    assert still_open.instruments
    revoke_link(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        link_id=second.id,
    )
    with pytest.raises(NotFound):
        open_link(sessions=world.database.sessions, token=second.token, remote=None)


def test_bad_answers_store_nothing_and_leave_the_link_open(world: World) -> None:
    _, token = issued_link(world)
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        answer_link(
            sessions=world.database.sessions,
            token=token,
            remote=None,
            answers=LinkAnswers(responses=[{**ODI, "odi_1": 9}, {"nrs_back": 6}]),
        )
    assert error.value.field == "responses.0.answers"
    assert row_counts(world.database)["prom_responses"] == before["prom_responses"]
    assert open_link(sessions=world.database.sessions, token=token, remote=None).instruments


def test_a_link_for_an_unknown_questionnaire_cannot_be_issued(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        issued_link(world, ["odi", "sf36"])
    assert error.value.field == "instruments.1"
