"""Jobs for the background model fit's child process (services/risk/model_fitting.py) that stand in
for a real fit: a spawned child imports its job by name, so they live in an importable module."""

import importlib
import os
import time
from pathlib import Path
from types import ModuleType

import pytest


def dies_without_a_word(database_url: str, clinic_id: int, actor_name: str) -> str:
    """A child that ends abruptly, as one killed by the system would."""
    os._exit(7)


def waits_for(flag: str, database_url: str, clinic_id: int, actor_name: str) -> str:
    """A fit that lasts until the test creates ``flag`` (at most a minute)."""
    deadline = time.monotonic() + 60
    while not Path(flag).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"released for clinic {clinic_id}"


def child_importable(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """This module under a name a spawned child can import: the child unpickles its job by module
    name, and there ``tests`` is another package (a ``tests`` in site-packages wins over this
    project's folder, which pytest imports by path)."""
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    return importlib.import_module("fit_jobs")
