"""The per-address sign-in throttle counts in the database (so every server process shares one
count), forgets an address once its windows are a day old, and moves with an injected clock."""

from sqlalchemy import func, select
from tests.support.world import World

from spinetrack.services.access.login_throttle import MAX_ATTEMPTS, WINDOW_SECONDS, login_allowed
from spinetrack.services.operations.database import open_database
from spinetrack.storage.tables import RateWindow

START = 1_800_000_000.0  # a window edge: a multiple of five minutes


def test_an_address_is_refused_after_its_attempts_and_others_are_not(world: World) -> None:
    sessions = world.database.sessions
    assert all(login_allowed(sessions, "203.0.113.9", lambda: START) for _ in range(MAX_ATTEMPTS))
    assert not login_allowed(sessions, "203.0.113.9", lambda: START + 1)
    assert login_allowed(sessions, "198.51.100.7", lambda: START + 1)
    assert login_allowed(sessions, "203.0.113.9", lambda: START + WINDOW_SECONDS)


def test_the_count_is_shared_by_every_process_on_the_database(world: World) -> None:
    """A second engine on the same database (as a second server process has) adds to one count."""
    url = world.database.engine.url.render_as_string(hide_password=False)
    other = open_database(url)
    try:
        for _ in range(MAX_ATTEMPTS // 2):
            login_allowed(world.database.sessions, "203.0.113.9", lambda: START)
            login_allowed(other.sessions, "203.0.113.9", lambda: START)
        assert not login_allowed(other.sessions, "203.0.113.9", lambda: START)
    finally:
        other.close()


def test_addresses_are_forgotten_after_a_day(world: World) -> None:
    sessions = world.database.sessions
    for n in range(50):
        login_allowed(sessions, f"192.0.2.{n}", lambda: START)
    login_allowed(sessions, "192.0.2.200", lambda: START + 2 * 24 * 3600)
    with sessions.sessionmaker() as session:
        kept = session.scalar(
            select(func.count()).select_from(RateWindow).where(RateWindow.scope == "login")
        )
    assert kept == 1
