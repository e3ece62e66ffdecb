"""Red flags of issue 16's flags16o pass, from sentences written for these tests (not corpus text).

Each sentence is the only report of a case (a lumbar fusion 30 days before, unless the case says
otherwise), and the red flags raised must be exactly those listed: a haematoma or collection
queried before any scan raises infection (not one of the wound or of the neck after anterior
cervical surgery). Rules: knowledge/reports/finding_terms.yaml, signs.yaml;
knowledge/triage/red_flags.yaml.
"""

from typing import Any

import pytest
from tests.support.report_cases import flags_reader

_flags = flags_reader(days=30)

DAY_1 = {"procedure": "discectomy", "days": 1}
DAY_9 = {"procedure": "laminectomy", "days": 9}
ACDF_DAY_1 = {"region": "cervical", "procedure": "fusion", "days": 1}

SENTENCES: list[tuple[str, dict[str, Any], list[str]]] = [
    # a haematoma or collection queried before imaging: infection (suspected collection)
    (
        "Numb patch on the outer foot since he woke up. Query epidural haematoma; MRI booked.",
        DAY_1,
        ["infection"],
    ),
    (
        "Leaking urine without knowing, 650 ml residual. Scan tonight, ?post-op collection.",
        DAY_9,
        ["cauda_equina", "infection"],
    ),
    (
        "Heel raise weak on the left since waking, 4/5. Concern for a haematoma, for MRI.",
        DAY_1,
        ["infection"],
    ),
    # look-alikes: excluded, the wound's, the past's, the neck's after an anterior operation
    ("Heel raise weaker on the left than before the operation. MRI: no haematoma.", DAY_1, []),
    ("Bruised and boggy round the clips, ?wound haematoma; dressing changed.", DAY_9, []),
    ("A haematoma was excluded on the scan last week; walking well.", DAY_9, []),
    (
        "Neck swollen on the left of the scar, voice hoarse, ?haematoma; surgeon called.",
        ACDF_DAY_1,
        ["airway_compromise"],
    ),
]


@pytest.mark.parametrize(
    ("text", "case", "flags"), [pytest.param(*s, id=f"s{i}") for i, s in enumerate(SENTENCES)]
)
def test_the_red_flags_raised_are_those_the_sentence_calls_for(
    text: str, case: dict[str, Any], flags: list[str]
) -> None:
    assert _flags(text, **case) == sorted(flags)
