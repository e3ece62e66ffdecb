"""Repeated anonymous refusals are folded into counted entries, so guessing links from one address
cannot fill the trail (issue 22, point 13); signed-in users' refusals are each kept."""

import pytest
from sqlalchemy import func, select
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.domain.errors import NotFound
from spinetrack.services.access.patient_links import open_link
from spinetrack.services.audit import audit_log
from spinetrack.services.audit.audit_log import FOLD_AFTER, close_audit
from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.records.enrol_patient import list_patients
from spinetrack.storage.tables import AuditEntry

GUESSES = 200


@pytest.fixture(autouse=True)
def no_address_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-address limit (tests/hostile/test_floods.py) stops a flood sooner; these tests are
    about what the trail keeps of the refusals that get through, so the limit is lifted here."""
    monkeypatch.setattr(get_settings(), "link_requests_per_minute", 100_000)


def _refused(world: World, remote: str) -> list[AuditEntry]:
    with world.database.sessions.sessionmaker() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.remote == remote).order_by(AuditEntry.id)
            )
        )


def _guess(world: World, remote: str, times: int) -> None:
    for i in range(times):
        with pytest.raises(NotFound):
            open_link(
                sessions=world.database.sessions,
                token=f"made-up-{i}.0123456789abcdef",
                remote=remote,
            )


def test_a_flood_of_refused_link_guesses_leaves_a_handful_of_entries(world: World) -> None:
    _guess(world, "198.51.100.7", GUESSES)
    assert len(_refused(world, "198.51.100.7")) == FOLD_AFTER
    close_audit(world.database.sessions)  # the window's count is written when it closes
    entries = _refused(world, "198.51.100.7")
    assert len(entries) == FOLD_AFTER + 1
    assert entries[-1].detail.startswith(f"{GUESSES - FOLD_AFTER} more refused like this")
    assert {(e.action, e.outcome, e.clinic_id, e.patient_id) for e in entries} == {
        ("link.open", "rejected", None, None)
    }
    assert verify_chain(sessions=world.database.sessions).intact


def test_each_address_gets_its_own_count(world: World) -> None:
    _guess(world, "198.51.100.8", FOLD_AFTER + 3)
    _guess(world, "198.51.100.9", 2)
    close_audit(world.database.sessions)
    assert len(_refused(world, "198.51.100.8")) == FOLD_AFTER + 1
    assert len(_refused(world, "198.51.100.9")) == 2


def test_a_window_that_ends_writes_its_count_at_the_next_refusal(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _guess(world, "198.51.100.10", FOLD_AFTER + 4)
    monkeypatch.setattr(audit_log, "FOLD_WINDOW_SECONDS", 0.0)
    _guess(world, "198.51.100.10", 1)
    details = [e.detail for e in _refused(world, "198.51.100.10")]
    assert len(details) == FOLD_AFTER + 2
    assert any(d.startswith("4 more refused like this") for d in details)


def test_refusals_of_a_signed_in_user_are_each_written(world: World) -> None:
    with world.database.sessions.sessionmaker() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    for _ in range(FOLD_AFTER + 3):
        with pytest.raises(NotFound):
            list_patients(
                sessions=world.database.sessions,
                actor=world.outsider,
                clinic_id=world.clinic,
                offset=0,
                limit=5,
            )
    with world.database.sessions.sessionmaker() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    assert after - before == FOLD_AFTER + 3
