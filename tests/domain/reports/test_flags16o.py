"""Red flags of issue 16's flags16o pass, from sentences written for these tests (not corpus text).

Each sentence is the only report of a case (a lumbar fusion 30 days before, unless the case says
otherwise), and the red flags raised must be exactly those listed: a haematoma or collection
queried before any scan raises infection (not one of the wound or of the neck after anterior
cervical surgery); "no fracture" on plain films after a fall leaves the fracture flag up while
new pain is still told (not after the pain has settled, nor for a new root pain, nor after a CT);
a new cord deficit beside a known cancer raises malignancy (not a deficit told unchanged); the
help needed to walk now against the help told in brackets or over months raises
progressive_neurological_deficit (not help that is lessening or dates from before surgery).
Rules: knowledge/reports/finding_terms.yaml, signs.yaml;
knowledge/triage/red_flags.yaml.
"""

from typing import Any

from tests.support.report_cases import flag_sentences_test

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
    # plain films with no fracture and the new pain still there: fracture stays up
    (
        "Tripped on the stairs on Sunday and landed on her back; back pain much worse since. "
        "Radiographs in A&E: no acute fracture.",
        {"days": 120},
        ["fracture"],
    ),
    (
        "Fell off his bike last week. The X-ray showed no obvious fracture,\nbut the new low back "
        "pain is keeping him awake.",
        {"days": 120},
        ["fracture"],
    ),
    # look-alikes: pain back to baseline, a new root pain, a CT
    (
        "Tripped on the stairs on Sunday and landed on her back. Radiographs: no fracture. The "
        "ache is back to how it was before the fall.",
        {"days": 120},
        [],
    ),
    (
        "Fell off a step a fortnight ago; since then new sciatica in the right leg, a different "
        "distribution from before. X-ray shows no fracture; back pain as before.",
        {"days": 120},
        [],
    ),
    (
        "Fell off his bike last week with new severe low back pain. CT: no fracture, screws intact.",
        {"days": 120},
        [],
    ),
    # a new cord deficit beside a known cancer: malignancy too
    (
        "Known breast cancer with bone deposits. Over three days her legs have become progressively "
        "weaker and she is numb from the navel down.",
        {"region": "thoracic", "days": 40},
        ["malignancy", "myelopathy", "progressive_neurological_deficit"],
    ),
    (
        "Prostate cancer on hormone therapy. Both legs weaker since Tuesday, and numbness has "
        "crept up from the knees to the groin.",
        {"region": "thoracic", "days": 40},
        ["malignancy", "myelopathy", "progressive_neurological_deficit"],
    ),
    # look-alikes: the deficit told unchanged, the same picture with no cancer, a past cancer alone
    (
        "Fixed for a renal cancer deposit a week ago. Legs 4/5 as before surgery; sensory level "
        "unchanged at T9.",
        {"region": "thoracic", "days": 7},
        [],
    ),
    (
        "Over three days her legs have become progressively weaker and she is numb from the navel down.",
        {"region": "thoracic", "days": 40},
        ["myelopathy", "progressive_neurological_deficit"],
    ),
    ("Bowel cancer treated in 2015, discharged from oncology. Walking well.", {"days": 200}, []),
    # more help to walk now than at an earlier look: progressive_neurological_deficit
    (
        "Physio visit: now cannot walk to the bathroom (using a rollator last week).",
        {"days": 20},
        ["progressive_neurological_deficit"],
    ),
    (
        "Daughter says: a cane in March, then a walker by May, and now he needs a wheelchair.",
        {"days": 150},
        ["progressive_neurological_deficit"],
    ),
    # look-alikes: less help now, or the earlier help from before the operation
    ("Now walking with one stick (walker last week).", {"days": 20}, []),
    ("Now needs a frame (used a stick before the operation).", {"days": 20}, []),
    ("Walker in March, a cane by May, and now walking without any aid.", {"days": 150}, []),
]


test_the_red_flags_raised_are_those_the_sentence_calls_for = flag_sentences_test(SENTENCES, days=30)
