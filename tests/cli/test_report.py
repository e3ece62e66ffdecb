"""`spinetrack report` and `spinetrack letter` on a small demo clinic: the files a person gets,
that the report needs nothing outside itself, and clear errors for bad input."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.reporting.analytics_registry import PREPARED

runner = CliRunner()


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", url)
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def loaded_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The 150-patient demo, loaded once for the module: every test here only reads it (a report
    or a letter adds audit entries, which no test counts), and loading it was most of each test."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'cli.sqlite3'}"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use(url, monkeypatch)
        loaded = runner.invoke(app, ["demo", "--patients", "150", "--seed", "5"])
        assert loaded.exit_code == 0, loaded.output
        yield url
    get_settings.cache_clear()


@pytest.fixture
def demo_clinic(loaded_demo: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    PREPARED.clear()
    _use(loaded_demo, monkeypatch)
    yield loaded_demo
    get_settings.cache_clear()


def test_report_writes_a_self_contained_html_and_a_pdf(demo_clinic: str, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "report.html"
    result = runner.invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(out), str(out.with_suffix(".pdf"))]
    html = out.read_text(encoding="utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 4
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing to fetch: opens offline
    assert "<style>" in html and "Registry report: Riverside Spine Centre (demo)" in html
    assert "Shown: case-mix-adjusted surgeon comparison" in html
    assert out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


def test_report_for_a_period_names_it(demo_clinic: str, tmp_path: Path) -> None:
    out = tmp_path / "r2025.html"
    result = runner.invoke(app, ["report", "--period", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "operated in 2025" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "25", "--out", "r.html"], "--period must be a year"),
        (["--out", "r.pdf"], "must name an .html file"),
        (["--clinic", "nowhere", "--out", "r.html"], "no clinic 'nowhere'"),
    ],
)
def test_report_refuses_bad_input(
    demo_clinic: str, tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_letter_for_a_patient_and_for_an_unknown_record(demo_clinic: str, tmp_path: Path) -> None:
    out = tmp_path / "letter.html"
    result = runner.invoke(app, ["letter", "MRN0000001", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "The referring doctor" in html and "record MRN0000001" in html
    assert "data:image/svg+xml;base64," in html and "<style>" in html
    missing = runner.invoke(app, ["letter", "NOPE", "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 2 and not (tmp_path / "x.html").exists()
