"""Single-use actions raced against themselves: a double-tapped Send, twenty copies of one link
submission, ten staff registering the same requester. Each must happen once, on SQLite (which
ignores FOR UPDATE) as on PostgreSQL."""

import threading
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.support.apps import shared_app
from tests.support.consultations import request as consultation
from tests.support.links import issued_link
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.patient_links import LinkAnswers, answer_link, save_answer
from spinetrack.services.patient_side.consultations import convert_consultation, submit_consultation
from spinetrack.storage.tables import Patient, PromResponse


def _at_once(count: int, action: Callable[[int], object]) -> tuple[list[object], list[Exception]]:
    """Run `action(i)` on `count` threads released together: (results, exceptions)."""
    start = threading.Barrier(count)
    results: list[object] = []
    raised: list[Exception] = []

    def run(i: int) -> None:
        start.wait()
        try:
            results.append(action(i))
        except Exception as exc:
            raised.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, raised


def _responses(world: World) -> int:
    with world.database.sessions.sessionmaker() as session:
        return int(session.scalar(select(func.count()).select_from(PromResponse)) or 0)


def test_twenty_parallel_submissions_of_one_link_store_one_set_of_answers(world: World) -> None:
    _, token = issued_link(world, ["nrs_back"])
    answers = LinkAnswers(responses=[{"nrs_back": 6}])
    results, raised = _at_once(
        20,
        lambda _: answer_link(
            sessions=world.database.sessions, token=token, answers=answers, remote=None
        ),
    )
    assert results == [1]
    assert len(raised) == 19 and all(isinstance(exc, NotFound) for exc in raised), raised
    assert _responses(world) == 1


def test_a_double_tapped_send_stores_the_questionnaire_once(world: World) -> None:
    _, token = issued_link(world, ["nrs_back"])
    save_answer(
        sessions=world.database.sessions,
        token=token,
        instrument="nrs_back",
        item="nrs_back",
        value=4,
        remote=None,
    )
    client = TestClient(shared_app(world.database), follow_redirects=False)
    for _ in range(5):
        results, raised = _at_once(2, lambda _: client.post(f"/q/{token}/submit").status_code)
        assert not raised, raised
        if _responses(world):
            break
    assert sorted(results) in ([303, 404], [303])
    assert _responses(world) == 1


def test_ten_parallel_registrations_of_one_request_create_one_patient(world: World) -> None:
    received = submit_consultation(
        sessions=world.database.sessions,
        clinic_slug="north",
        request=consultation(),
        remote=None,
    )
    results, raised = _at_once(
        10,
        lambda i: convert_consultation(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            request_id=received.id,
            patient=new_patient(f"CONV-{i}"),
        ),
    )
    assert len(results) == 1
    assert len(raised) == 9 and all(isinstance(exc, InvalidInput) for exc in raised), raised
    with world.database.sessions.sessionmaker() as session:
        assert session.scalar(select(func.count()).select_from(Patient)) == 1
