"""FHIR import of outside bundles written blind (tests/interop/fhir/outside/): the share of the
expected patients, surgeries, complications and questionnaire results imported correctly, the share
of the resources to skip that the report lists, the false positives and the crashes, for dev/ (the
bundles the importer was tuned on) and heldout/ (bundles it was never shaped around; only these
aggregate figures are printed for them, never their content).

    .venv/bin/python benchmarks/fhir_outside.py [--folders dev heldout] [--details]

--details prints what each dev bundle missed; it is refused for heldout. Each folder runs in a
fresh SQLite database in a temporary folder, one clinic per bundle. Scoring: tests/support/outside_fhir.py.
"""

import argparse
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from spinetrack.config import get_settings
from spinetrack.services.operations.database import open_database

# The scoring lives beside the tests; loaded by path, since an installed package is named `tests`.
_SCORING = Path(__file__).resolve().parents[1] / "tests" / "support" / "outside_fhir.py"
_spec = importlib.util.spec_from_file_location("outside_fhir", _SCORING)
assert _spec is not None and _spec.loader is not None
scoring = importlib.util.module_from_spec(_spec)
sys.modules["outside_fhir"] = scoring
_spec.loader.exec_module(scoring)
CATEGORIES = scoring.CATEGORIES
BundleResult = scoring.BundleResult


def _run(folder: str, directory: Path) -> list[BundleResult]:
    database = open_database(f"sqlite:///{directory / f'{folder}.sqlite3'}")
    database.upgrade()
    return [scoring.run_bundle(database, path, n) for n, path in enumerate(scoring.bundles(folder))]


def _share(correct: int, expected: int) -> str:
    return f"{correct}/{expected} ({100 * correct / expected:.1f} %)" if expected else "-"


def _print(folder: str, results: list[BundleResult], details: bool) -> None:
    summed = scoring.totals(results)
    print(f"\n{folder}: {len(results)} bundles")
    for category in CATEGORIES:
        tally = summed[category]
        extra = f", {tally.extra} extra" if category != "skipped" else ""
        print(f"  {category:15s} {_share(tally.correct, tally.expected)}{extra}")
    crashed = [r for r in results if r.crashed]
    refused = [r for r in results if r.refused]
    print(f"  crashes         {len(crashed)}")
    print(f"  refused whole   {len(refused)}")
    if details:
        for result in results:
            for problem in result.problems:
                print(f"    {result.name}: {problem}")
            if result.crashed:
                print(f"    {result.name}: CRASH {result.crashed}")
            if result.refused:
                print(f"    {result.name}: refused {result.refused}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", nargs="+", default=["dev", "heldout"])
    parser.add_argument("--details", action="store_true", help="dev only: what each bundle missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("SPINETRACK_AUDIT_KEY", "benchmark-audit-key-0123456789abcdef")
        os.environ["SPINETRACK_AUDIT_CHECKPOINT"] = str(Path(folder) / "checkpoints.jsonl")
        os.environ["SPINETRACK_VAR_DIR"] = folder
        get_settings.cache_clear()
        for name in args.folders:
            results = _run(name, Path(folder))
            _print(name, results, args.details and name != "heldout")


if __name__ == "__main__":
    main()
