"""The background fit `make run` relies on: it fits only a clinic without a model, in a child
process whose news (a model, too few outcomes, a failure, a sudden end) reaches the server's log,
never leaves a clinic marked as being fitted, and ends with the server."""

import functools
import logging
import os
from datetime import date
from pathlib import Path

import pytest
from tests.support.fit_jobs import child_importable

from spinetrack.demo.load import DEMO_SLUG, load_demo
from spinetrack.services.operations.database import Database
from spinetrack.services.risk import model_fitting


def _url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def test_nothing_is_fitted_without_the_clinic(database: Database) -> None:
    assert model_fitting.fit_missing_model(database.sessions, _url(database), DEMO_SLUG) is None


def test_a_clinic_too_small_for_a_model_is_said_in_the_log_and_left_unmarked(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clinic = load_demo(database, patients=30, seed=3, today=date(2026, 6, 1), triage=False)
    with caplog.at_level(logging.WARNING, logger=model_fitting.__name__):
        thread = model_fitting.fit_missing_model(database.sessions, _url(database), DEMO_SLUG)
        assert thread is not None
        thread.join(timeout=120)
    assert not thread.is_alive()
    assert not model_fitting.fitting_now(clinic)
    assert "no outcome model" in caplog.text


def test_a_failed_fit_is_logged_with_the_childs_error_and_the_clinic_is_no_longer_marked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    unmigrated = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with caplog.at_level(logging.ERROR, logger=model_fitting.__name__):
        thread = model_fitting.fit_in_background(unmigrated, 41)
        assert thread is not None
        thread.join(timeout=120)
    assert not model_fitting.fitting_now(41)
    assert "clinic 41 failed" in caplog.text and "no such table" in caplog.text


def test_a_child_that_dies_without_a_word_is_logged_with_its_exit_code(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fit_jobs = child_importable(monkeypatch)
    with caplog.at_level(logging.ERROR, logger=model_fitting.__name__):
        thread = model_fitting.fit_in_background("sqlite://", 42, job=fit_jobs.dies_without_a_word)
        assert thread is not None
        thread.join(timeout=120)
    assert not model_fitting.fitting_now(42)
    assert "clinic 42 failed: its process ended with code 7" in caplog.text


def test_a_fit_runs_below_the_servers_priority_and_ends_with_the_server(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    fit_jobs = child_importable(monkeypatch)
    never = functools.partial(fit_jobs.waits_for, str(tmp_path / "never"))
    with caplog.at_level(logging.WARNING, logger=model_fitting.__name__):
        thread = model_fitting.fit_in_background("sqlite://", 43, job=never)
        assert thread is not None
        assert model_fitting.fit_in_background("sqlite://", 43, job=never) is None
        assert model_fitting.fitting_now(43)
        children = model_fitting.children()
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert all(
            os.getpriority(os.PRIO_PROCESS, c.pid or 0) == min(ours + 10, 19) for c in children
        )
        model_fitting.stop_fits()
    assert not thread.is_alive()
    assert children and all(child.exitcode is not None for child in children)
    assert not model_fitting.fitting_now(43)
    assert "clinic 43 stopped with the server" in caplog.text
