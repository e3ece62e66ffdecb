"""The blind outside bundles of dev/ (tests/interop/fhir/outside/README.md), imported into fresh
clinics and compared with their expect files: no bundle crashes the importer, and each category
stays at or above the floor reached so far. heldout/ is measured only by benchmarks/fhir_outside.py."""

from tests.support.outside_fhir import CATEGORIES, bundles, run_bundle, totals

from spinetrack.services.operations.database import Database

FLOORS = {
    "patients": 1.0,
    "surgeries": 1.0,
    "complications": 1.0,
    "questionnaires": 0.86,
    "skipped": 1.0,
}
"""Share of each category's expected records imported correctly (skipped: listed as skipped).
Before issue 19's outside work: 100, 30, 20, 38 and 97 %. The questionnaires left out: local
Observation codes the clinic would map (no such setting yet), an ODI given only as a total, an
out-of-range response refused rather than stored as invalid, and a contained Questionnaire known
only by its title."""
MAX_EXTRA = {"patients": 0, "surgeries": 0, "complications": 0, "questionnaires": 0}
"""False positives: stored records no expect file asked for."""


def test_the_dev_bundles_import_without_a_crash_and_above_the_floors(
    sqlite_only: Database,
) -> None:
    results = [run_bundle(sqlite_only, path, n) for n, path in enumerate(bundles("dev"))]
    assert len(results) == 21
    assert [r.name for r in results if r.crashed] == []
    summed = totals(results)
    shares = {c: summed[c].correct / summed[c].expected for c in CATEGORIES}
    assert {c: s for c, s in shares.items() if s < FLOORS[c]} == {}
    assert {c: summed[c].extra for c in MAX_EXTRA if summed[c].extra > MAX_EXTRA[c]} == {}
