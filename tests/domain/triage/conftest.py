"""Builders for triage tests: a valid case (as JSON data) and the facts a condition reads."""

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from spinetrack.domain.triage.facts import Facts, months_from_days

EVALUATION = date(2026, 3, 1)

CaseBuilder = Callable[..., dict[str, Any]]
FactsBuilder = Callable[..., Facts]


def build_case(
    *,
    days: int = 400,
    procedure: str = "fusion",
    levels: tuple[str, ...] = ("L4-L5",),
    instrumented: bool = True,
    **fields: Any,
) -> dict[str, Any]:
    """A valid lumbar case whose index surgery was ``days`` before the evaluation date."""
    surgery = {
        "date": (EVALUATION - timedelta(days=days)).isoformat(),
        "procedure": procedure,
        "levels": list(levels),
        "instrumented": instrumented,
    }
    case: dict[str, Any] = {
        "case_id": "t-1",
        "evaluation_date": EVALUATION.isoformat(),
        "region": "lumbar",
        "surgeries": [surgery],
        "findings": [],
    }
    case.update(fields)
    return case


BASE_FACTS = Facts(
    region="lumbar",
    findings=frozenset(),
    course=None,
    pain_free_interval_days=None,
    axial_pain=None,
    limb_pain=None,
    age=None,
    days_since_surgery=400,
    months_since_surgery=months_from_days(400),
    index_procedure="fusion",
    index_instrumented=True,
    index_levels=("L4-L5",),
    procedures=frozenset({"fusion"}),
)


def build_facts(**changes: Any) -> Facts:
    """Facts of a lumbar fusion 400 days ago, with ``changes``; months follow days."""
    for name in ("findings", "signs"):
        if name in changes:
            changes[name] = frozenset(changes[name])
    if "days_since_surgery" in changes:
        changes["months_since_surgery"] = months_from_days(changes["days_since_surgery"])
    return replace(BASE_FACTS, **changes)


@pytest.fixture
def make_case() -> CaseBuilder:
    return build_case


@pytest.fixture
def make_facts() -> FactsBuilder:
    return build_facts
