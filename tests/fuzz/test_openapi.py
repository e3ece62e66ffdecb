"""Schema-driven fuzzing: schemathesis generates requests for every operation of our OpenAPI
document, signed in, against a seeded database, and every answer must be a non-5xx response that
the published schema describes (status code, media type, headers and body).

Two checks are left out on purpose: `positive_data_acceptance`, because the schema types some
fields as plain strings that the domain then checks against the knowledge files (instrument ids,
regions, findings) and rightly refuses; and `negative_data_rejection`, because the token this
test adds to every request and ignored unknown query parameters make its "invalid" requests valid.
Requests that should be refused are the subject of tests/hostile/.

Each generated request is sent to the SQLite app and, for the first cases of every operation, to
the PostgreSQL app too: generating a case cost more CPU than sending it (hypothesis and
schemathesis drawing from the schema), and each dialect used to generate its own. PostgreSQL gets
as many cases per operation as when it generated them itself (the first 35, or all there are).
The operations are split in two halves, one test each, so that two workers share the fuzzing.
"""

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.support.seeded import Seeded, seed
from tests.support.snapshot import saved_world
from tests.support.world import TOKENS

from spinetrack.app import create_app
from spinetrack.services.operations.database import Database

pytestmark = pytest.mark.fuzz

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
BUDGET = {"sqlite": 3000, "postgresql": 1500}
"""The least number of generated requests per run (CI budget: both runs well under 10 minutes)."""
EXAMPLES_PER_OPERATION = {"sqlite": 70, "postgresql": 35}
"""Generated cases per operation; the PostgreSQL app gets the first of SQLite's cases. 110 and 55
until issue 21's test-time row: 70 and 35 still send more than the budget (3,294 and 1,649 in all
on 2026-12-07) for about 60 % of the CPU, and their different cases found a real race (two
bulk exports at once) that the larger fixed set never reached."""
HALVES = 2
REQUEST_TIMEOUT = 60.0
"""Seconds an answer may take: schemathesis's default of 10 s failed the test on a loaded machine
(load 11 on 2 cores) when the first request with a report built the report reader's pipeline."""
RANDOM = os.environ.get("SPINETRACK_FUZZ_RANDOM") == "1"
"""Derandomized by default so CI is repeatable; set SPINETRACK_FUZZ_RANDOM=1 to explore."""


def _known_ids(operation: schemathesis.APIOperation, seeded: Seeded) -> dict[str, Any]:
    known = {
        "patient_id": seeded.patient,
        "assessment_id": seeded.assessment,
        "surgery_id": seeded.surgery,
        "link_id": seeded.link,
        "token": seeded.link_token,
    }
    names = {parameter.name for parameter in operation.path_parameters}
    return {name: value for name, value in known.items() if name in names}


def _strategy(
    operation: schemathesis.APIOperation, seeded: Seeded
) -> st.SearchStrategy[schemathesis.Case]:
    """Schema-valid data, schema-invalid data, and schema-valid data aimed at existing records."""
    found = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    known = _known_ids(operation, seeded)
    if known:
        found.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))
    return st.one_of(found)


@dataclass(frozen=True)
class Target:
    """One dialect's app, seeded records and admin token."""

    dialect: str
    app: FastAPI
    seeded: Seeded
    headers: dict[str, str]


def _target(database: Database) -> Target:
    world = saved_world(database)
    seeded = seed(world)
    return Target(
        dialect=database.engine.dialect.name,
        app=create_app(database),
        seeded=seeded,
        headers={"Authorization": f"Bearer {TOKENS['admin@north.example']}"},
    )


def _for_target(case: schemathesis.Case, first: Target, target: Target) -> schemathesis.Case:
    """The case as aimed at `target`: the one id a seed does not repeat on another database,
    the patient link's random token, swapped for the target's own."""
    if case.path_parameters.get("token") != first.seeded.link_token or target is first:
        return case
    derived = case.derive()
    derived.path_parameters["token"] = target.seeded.link_token
    return derived


def _fuzz(
    strategy: st.SearchStrategy[schemathesis.Case],
    targets: list[Target],
    record: Callable[[str, schemathesis.Case, BaseException | None], None],
) -> None:
    sent: Counter[str] = Counter()
    first = targets[0]

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION[first.dialect],
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        for target in targets:
            if sent[target.dialect] >= EXAMPLES_PER_OPERATION[target.dialect]:
                continue
            sent[target.dialect] += 1
            aimed = _for_target(case, first, target)
            try:
                aimed.call_and_validate(
                    app=target.app, headers=target.headers, checks=CHECKS, timeout=REQUEST_TIMEOUT
                )
            except (AssertionError, ExceptionGroup) as failure:
                record(target.dialect, aimed, failure)
            else:
                record(target.dialect, aimed, None)

    run()


@pytest.fixture
def targets(sqlite_only: Database, request: pytest.FixtureRequest) -> list[Target]:
    """SQLite, then PostgreSQL when it answers (`postgres_only` skips when it does not)."""
    found = [_target(sqlite_only)]
    try:
        postgres: Database = request.getfixturevalue("postgres_only")
    except pytest.skip.Exception:
        return found
    found.append(_target(postgres))
    assert found[1].seeded.patient == found[0].seeded.patient, "the seeds' ids differ"
    return found


@pytest.mark.parametrize("half", range(HALVES), ids=lambda half: f"half{half + 1}")
def test_generated_requests_get_no_5xx_and_answers_match_the_schema(
    targets: list[Target], half: int
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", targets[0].app)
    sent: dict[str, Counter[str]] = {target.dialect: Counter() for target in targets}
    failures: dict[str, str] = {}

    def record(dialect: str, case: schemathesis.Case, failure: BaseException | None) -> None:
        sent[dialect][case.operation.label] += 1
        if failure is not None:
            failures.setdefault(f"{dialect} {case.operation.label}", str(failure)[:2000])

    operations = [result.ok() for result in schema.get_all_operations()][half::HALVES]
    for operation in operations:
        _fuzz(_strategy(operation, targets[0].seeded), targets, record)

    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    for dialect, counts in sent.items():
        assert set(counts) == {operation.label for operation in operations}
        print(f"{dialect}: {sum(counts.values())} generated requests over {len(counts)} operations")
        assert sum(counts.values()) >= BUDGET[dialect] // HALVES, counts
