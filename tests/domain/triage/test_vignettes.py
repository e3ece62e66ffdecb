"""Clinical vignettes: exact red flags, the expected cause in the top three, the PSPS-2 status.

Each folder under cases/ holds case.json (a case in the contract's vocabulary) and expected.json.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from spinetrack.domain.triage import assess

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = CASES / name
    case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return case, expected


@pytest.mark.parametrize("name", NAMES)
def test_vignette(name: str) -> None:
    case, expected = load(name)
    assessment = assess(case)
    assert sorted(f.id for f in assessment.red_flags) == expected["red_flags"]
    assert expected["cause_in_top_three"] in [c.id for c in assessment.causes[:3]]
    assert assessment.psps2.status == expected["psps2"]


def test_the_vignettes_cover_every_cause_and_red_flag_both_regions_and_every_psps2_status() -> None:
    expected = [load(name)[1] for name in NAMES]
    cases = [load(name)[0] for name in NAMES]
    assert len(NAMES) >= 40
    assert len({e["cause_in_top_three"] for e in expected}) == 19
    assert {f for e in expected for f in e["red_flags"]} >= {
        "cauda_equina",
        "progressive_neurological_deficit",
        "airway_compromise",
        "infection",
        "myelopathy",
        "hardware_failure_with_deficit",
        "malignancy",
        "fracture",
    }
    assert {c["region"] for c in cases} == {"cervical", "thoracic", "lumbar"}
    assert {e["psps2"] for e in expected} == {"met", "not_met", "too_early"}
    assert sum(1 for e in expected if not e["red_flags"]) >= 20


def test_the_expected_cause_ranks_first_in_most_and_in_the_top_three_in_nine_of_ten() -> None:
    firsts = threes = 0
    for name in NAMES:
        case, expected = load(name)
        ranked = [c.id for c in assess(case).causes]
        firsts += ranked[:1] == [expected["cause_in_top_three"]]
        threes += expected["cause_in_top_three"] in ranked[:3]
    print(f"vignettes: {len(NAMES)}, top-1 {firsts}/{len(NAMES)}, top-3 {threes}/{len(NAMES)}")
    assert threes >= 0.9 * len(NAMES)
    assert firsts > 0.5 * len(NAMES)
