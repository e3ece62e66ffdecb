"""Duplicate submissions: a client that resends a questionnaire with the same Idempotency-Key gets
the first result back and nothing is stored twice, even when the copies race each other; reusing a
key for a different questionnaire is refused with the reason."""

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select
from tests.api.conftest import auth
from tests.support.hostile import data_counts, unchanged
from tests.support.seeded import seed
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.storage.tables import AuditEntry, IdempotencyKey, PromResponse

NRS = {"instrument": "nrs_back", "completed_at": "2025-06-01T09:00:00Z", "answers": {"nrs_back": 4}}


def _submit(client: TestClient, patient: int, body: dict[str, Any], key: str | bytes) -> Response:
    return client.post(
        f"/api/v1/patients/{patient}/responses",
        json=body,
        headers={"Idempotency-Key": key},
        auth=auth("staff"),
    )


def test_a_repeated_key_with_the_same_body_returns_the_first_result_and_writes_nothing(
    client: TestClient, world: World
) -> None:
    patient = seed(world).patient
    first = _submit(client, patient, NRS, "retry-1")
    assert first.status_code == 201, first.text
    with unchanged(world.database, reads=True):
        again = _submit(client, patient, NRS, "retry-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    with world.database.sessions.sessionmaker() as session:
        replays = session.scalar(
            select(func.count()).where(AuditEntry.detail.contains("Idempotency-Key"))
        )
    assert replays == 1


def test_the_same_key_with_another_body_or_patient_is_a_422_naming_the_key(
    client: TestClient, world: World
) -> None:
    seeded = seed(world)
    other = seed(world, mrn="SEED-2").patient
    assert _submit(client, seeded.patient, NRS, "k-1").status_code == 201
    changed = {**NRS, "answers": {"nrs_back": 5}}
    with unchanged(world.database):
        for patient, body in ((seeded.patient, changed), (other, NRS)):
            refused = _submit(client, patient, body, "k-1")
            assert refused.status_code == 422, refused.text
            assert refused.json()["field"] == "Idempotency-Key"
            assert "different submission" in refused.json()["detail"]


@pytest.mark.parametrize("key", ["", "with space", "é".encode("latin-1"), "x" * 201])
def test_a_malformed_key_is_refused(client: TestClient, world: World, key: str | bytes) -> None:
    patient = seed(world).patient
    with unchanged(world.database):
        refused = _submit(client, patient, NRS, key)
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "Idempotency-Key"


def test_keys_are_scoped_per_clinic_and_without_a_key_each_post_is_new(
    client: TestClient, world: World
) -> None:
    north = seed(world).patient
    south_patient = client.post(
        "/api/v1/patients",
        json={
            "mrn": "S-1",
            "given_name": "Bo",
            "family_name": "Lie",
            "birth_date": "1970-01-01",
            "sex": "male",
        },
        auth=auth("clinician", "south"),
    ).json()["id"]
    ours = _submit(client, north, NRS, "shared")
    theirs = client.post(
        f"/api/v1/patients/{south_patient}/responses",
        json=NRS,
        headers={"Idempotency-Key": "shared"},
        auth=auth("clinician", "south"),
    )
    assert ours.status_code == theirs.status_code == 201, theirs.text
    assert ours.json()["id"] != theirs.json()["id"]
    before = data_counts(world.database)["prom_responses"]
    for _ in range(2):
        plain = client.post(f"/api/v1/patients/{north}/responses", json=NRS, auth=auth("staff"))
        assert plain.status_code == 201
    assert data_counts(world.database)["prom_responses"] == before + 2


def test_racing_copies_of_one_submission_store_it_once(world: World) -> None:
    patient = seed(world).patient
    response = NewResponse.model_validate(NRS)
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        try:
            view = record_response(
                sessions=world.database.sessions,
                actor=world.staff,
                clinic_id=world.clinic,
                patient_id=patient,
                response=response,
                idempotency_key="race-1",
            )
            results.append(view.id)
        except (InvalidInput, OSError) as exc:
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 6 and len(set(results)) == 1
    with world.database.sessions.sessionmaker() as session:
        stored = session.scalar(
            select(func.count()).select_from(PromResponse).where(PromResponse.id == results[0])
        )
        keys = session.scalar(select(func.count()).select_from(IdempotencyKey))
    assert stored == 1 and keys == 1
