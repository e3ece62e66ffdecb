"""A clinic's disclosure threshold: set by its admin only, never below the knowledge file's floor,
read by the dashboard at once (it is part of the cache key), and the rule file carries sources."""

import pytest
from sqlalchemy import select
from tests.support.world import World

from spinetrack.domain.disclosure import disclosure_rule
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.reporting.analytics_registry import fingerprint, set_disclosure_threshold
from spinetrack.storage.tables import Clinic


def _stored(world: World) -> int | None:
    with world.database.sessions() as uow:
        return uow.session.scalar(
            select(Clinic.disclosure_threshold).where(Clinic.id == world.clinic)
        )


def test_the_default_rule_is_eleven_with_its_sources() -> None:
    rule = disclosure_rule()
    assert rule.threshold == 11 and rule.lowest <= rule.threshold
    assert any("Centers for Medicare" in source for source in rule.sources)


def test_an_admin_raises_the_threshold_and_the_cache_key_follows(world: World) -> None:
    sessions = world.database.sessions
    with sessions() as uow:
        before = fingerprint(uow, world.clinic)
    now = set_disclosure_threshold(
        sessions=sessions, actor=world.admin, clinic_id=world.clinic, threshold=20
    )
    assert now == 20 and _stored(world) == 20
    with sessions() as uow:
        assert fingerprint(uow, world.clinic) == (before[0], 20)
    assert (
        set_disclosure_threshold(
            sessions=sessions, actor=world.admin, clinic_id=world.clinic, threshold=None
        )
        == 11
    )
    assert _stored(world) is None


def test_below_the_floor_or_by_another_role_is_refused_and_changes_nothing(world: World) -> None:
    sessions = world.database.sessions
    floor = disclosure_rule().lowest
    with pytest.raises(InvalidInput, match=f"at least {floor}"):
        set_disclosure_threshold(
            sessions=sessions, actor=world.admin, clinic_id=world.clinic, threshold=floor - 1
        )
    for actor in (world.analyst, world.clinician):
        with pytest.raises(AccessDenied):
            set_disclosure_threshold(
                sessions=sessions, actor=actor, clinic_id=world.clinic, threshold=15
            )
    with pytest.raises(NotFound):  # another clinic's admin does not learn the clinic exists
        set_disclosure_threshold(
            sessions=sessions, actor=world.outsider, clinic_id=world.clinic, threshold=15
        )
    assert _stored(world) is None
