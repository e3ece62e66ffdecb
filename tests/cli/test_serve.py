"""`spinetrack serve`: migrates, then hands uvicorn the app factory with the chosen processes."""

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinetrack.cli import serve as serve_module
from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.server import DeadlineProtocol


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(serve_module.uvicorn, "run", lambda *a, **k: calls.append({"args": a, **k}))
    get_settings.cache_clear()
    return calls


def test_serve_runs_one_process_by_default(
    cli_database: str, started: list[dict[str, Any]]
) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    (call,) = started
    assert call["args"] == ("spinetrack.app:create_app",) and call["factory"] is True
    assert call["port"] == 8123 and call["workers"] == 1


def test_serve_takes_workers_from_the_option_or_the_environment(
    cli_database: str, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(app, ["serve", "--workers", "2"]).exit_code == 0
    monkeypatch.setenv("SPINETRACK_WORKERS", "3")
    get_settings.cache_clear()
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    assert [call["workers"] for call in started] == [2, 3]


def test_serve_refuses_zero_workers(cli_database: str, started: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2 and started == []


def test_serve_trusts_proxy_headers_only_from_configured_addresses(
    cli_database: str, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    monkeypatch.setenv("SPINETRACK_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    get_settings.cache_clear()
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    default, configured = started
    assert (default["proxy_headers"], default["forwarded_allow_ips"]) == (False, "")
    assert (configured["proxy_headers"], configured["forwarded_allow_ips"]) == (
        True,
        "10.0.0.5,10.0.0.6",
    )


def test_serve_cuts_slow_and_idle_connections(
    cli_database: str, started: list[dict[str, Any]]
) -> None:
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    (call,) = started
    assert call["http"] is DeadlineProtocol and call["timeout_keep_alive"] == 5
    assert call["h11_max_incomplete_event_size"] == 16 * 1024


def test_fit_demo_model_reaches_the_app_and_needs_one_worker(
    cli_database: str, started: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPINETRACK_FIT_DEMO_MODEL", "0")  # restored after the test
    refused = CliRunner().invoke(app, ["serve", "--fit-demo-model", "--workers", "2"])
    assert refused.exit_code == 2 and "one worker" in refused.stderr
    assert started == [] and not get_settings().fit_demo_model
    result = CliRunner().invoke(app, ["serve", "--fit-demo-model"])
    assert result.exit_code == 0, result.output
    assert len(started) == 1 and get_settings().fit_demo_model
    get_settings.cache_clear()
