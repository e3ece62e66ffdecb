"""Run the CLI against a fresh SQLite file chosen through the environment, as a user would."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from spinetrack.config import get_settings


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SPINETRACK_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
