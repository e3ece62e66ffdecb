"""The background fit `make run` relies on: it fits only a clinic without a model, says in the log
when there are too few outcomes, and never leaves a clinic marked as being fitted."""

import logging
from datetime import date

import pytest
from tests.support.world import World

from spinetrack.demo.load import DEMO_SLUG, load_demo
from spinetrack.services.operations.database import Database
from spinetrack.services.risk import model_fitting


def test_nothing_is_fitted_without_the_clinic(database: Database) -> None:
    assert model_fitting.fit_missing_model(database.sessions, DEMO_SLUG) is None


def test_a_clinic_too_small_for_a_model_is_said_in_the_log_and_left_unmarked(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clinic = load_demo(database, patients=30, seed=3, today=date(2026, 6, 1), triage=False)
    with caplog.at_level(logging.WARNING, logger=model_fitting.__name__):
        thread = model_fitting.fit_missing_model(database.sessions, DEMO_SLUG)
        assert thread is not None
        thread.join(timeout=120)
    assert not thread.is_alive()
    assert not model_fitting.fitting_now(clinic)
    assert "no outcome model" in caplog.text


def test_a_failed_fit_is_logged_and_the_clinic_is_no_longer_marked(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(model_fitting, "fit_clinic", broken)
    with caplog.at_level(logging.ERROR, logger=model_fitting.__name__):
        thread = model_fitting.fit_in_background(world.database.sessions, world.clinic)
        assert thread is not None
        thread.join(timeout=60)
    assert not model_fitting.fitting_now(world.clinic)
    assert "failed" in caplog.text and "disk full" in caplog.text
