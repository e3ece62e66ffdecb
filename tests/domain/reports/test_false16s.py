"""False red flags of issue 16's false16s pass, from sentences written for these tests (not corpus text).

Each sentence is the only report of a case (a lumbar fusion 30 days before, unless the case says
otherwise), and the red flags raised must be exactly those listed: a tumour's epidural extension or
soft-tissue part is no epidural collection (no infection from it, a real collection or abscess
still raises it); a raised CRP the writer puts down to the operation, or judges not a deep
infection, or beside a patient who feels fine with a healed wound, is for repeating; a fever from
a line infection, or one the writer says the spine is not the source of, and sweats from low
blood sugar, raise no infection; nor do sweats with weight loss after a past cancer and no fever
(malignancy does); a single drop of power rechecked unchanged is no progressive
deficit, while a later fall still is.
Rules: knowledge/reports/concepts.yaml, finding_terms.yaml, resolution_cues.yaml;
knowledge/triage/red_flags.yaml.
"""

from typing import Any

from tests.support.report_cases import flag_sentences_test

LATE = {"days": 200}
DISCECTOMY_30 = {"procedure": "discectomy", "days": 30}
DAY_1 = {"procedure": "discectomy", "days": 1}
DAY_2 = {"procedure": "discectomy", "days": 2}

SENTENCES: list[tuple[str, dict[str, Any], list[str]]] = [
    # a tumour's epidural part is the tumour, not a collection
    (
        "Lytic metastasis at L3 with an epidural soft tissue component narrowing the canal.",
        LATE,
        ["malignancy"],
    ),
    (
        "Marrow-replacing lesion in the L2 body with a ventral epidural component; conus clear.",
        LATE,
        ["malignancy"],
    ),
    # true collections stay collections
    (
        "Dorsal epidural collection at L4-5 compressing the thecal sac.",
        {"days": 10},
        ["cauda_equina", "infection"],
    ),
    ("Rim-enhancing epidural abscess at L3-4.", LATE, ["infection"]),
    (
        "MRI: epidural tumour recurrence with a dorsal haematoma compressing the thecal sac.",
        {"days": 14},
        ["cauda_equina", "infection", "malignancy"],
    ),
    # a raised CRP the writer judges post-operative or not a deep infection
    (
        "CRP 14 at four weeks, in keeping with the normal post-operative response.",
        DISCECTOMY_30,
        [],
    ),
    ("Not concerned about a deep infection; CRP 12 today, wound dry.", DISCECTOMY_30, []),
    ("I feel fine and the scar's healed, but the GP says my CRP is 15.", {"days": 40}, []),
    # true: the writer calls it an infection, or is concerned, or judges only the wound
    (
        "CRP 60 at five weeks, likely post-operative infection; for MRI.",
        DISCECTOMY_30,
        ["infection"],
    ),
    (
        "CRP 25 at six weeks. I'm not concerned about the wound, which looks clean.",
        {"days": 42},
        ["infection"],
    ),
    (
        "Concerned about deep infection: CRP 45 four weeks after the discectomy.",
        DISCECTOMY_30,
        ["infection"],
    ),
    # a fever with a line as its source, or the spine judged not the source
    (
        "Temperature 38.7 overnight; Hickman line removed for a catheter-related bloodstream "
        "infection.",
        {"days": 20},
        [],
    ),
    ("Pyrexial 38.4; the spine is not thought to be the source.", {"days": 20}, []),
    # true: a wound sign beside the line, the spinal site suspected or named the source
    (
        "Fever 38.9 and the wound is leaking; line removed as a precaution.",
        {"days": 12},
        ["infection"],
    ),
    (
        "Fever 38.6 on day 12; the spinal site is suspected, MRI booked.",
        {"days": 12},
        ["infection"],
    ),
    ("Fever 38.6; the spine is the likely source.", {"days": 12}, ["infection"]),
    # sweats from low blood sugar; true sweats with normal sugars or hypoglycaemia excluded
    ("Night sweats with low blood sugars on insulin; wound healed.", {"days": 20}, []),
    (
        "Drenching night sweats three weeks after the fusion; sugars normal.",
        {"days": 21},
        ["infection"],
    ),
    ("Sweating at night; hypoglycaemia was excluded on the sensor.", {"days": 21}, ["infection"]),
    # sweats and weight loss after a past cancer, no fever: the cancer's picture only
    (
        "Lost 6 kg without trying and soaking the sheets at night; breast cancer treated in 2018. "
        "No temperature.",
        {"days": 40},
        ["malignancy"],
    ),
    # true: a fever beside them, no cancer in the past, or no weight loss
    (
        "Soaking night sweats and 5 kg weight loss; lymphoma in 2015. Temperature 38.6.",
        {"days": 40},
        ["infection", "malignancy"],
    ),
    (
        "Drenching night sweats and 5 kg weight loss since the fusion; never had cancer.",
        {"days": 40},
        ["infection", "malignancy"],
    ),
    (
        "Drenching night sweats since the fusion; bowel cancer in 2019, weight steady.",
        {"days": 40},
        ["infection", "malignancy"],
    ),
    # one drop rechecked unchanged: a new weakness only
    (
        "Left EHL 4/5 at 02:00 (5/5 at midnight). Re-examined at 03:00: no further change.",
        DAY_1,
        [],
    ),
    (
        "Right quads 4/5 this morning, 5/5 yesterday. Quads 4/5 unchanged at the evening review.",
        DAY_2,
        [],
    ),
    # true: a fall after the recheck, or a second fall the same day
    (
        "Right DF 4/5 stable, left DF 2/5 (4/5 this morning).",
        DAY_1,
        ["progressive_neurological_deficit"],
    ),
    (
        "Left DF 2/5 (4/5 this morning); right DF 4/5, unchanged.",
        DAY_1,
        ["progressive_neurological_deficit"],
    ),
    (
        "Power: L DF 3/5, was 4/5 two hours ago and 5/5 yesterday; rechecked by the registrar, "
        "unchanged from her finding.",
        DAY_1,
        ["progressive_neurological_deficit"],
    ),
    (
        "Right quads 4/5 this morning (5/5 yesterday). Evening: quads 3/5, weaker again.",
        DAY_2,
        ["progressive_neurological_deficit"],
    ),
    (
        "08:00 DF 4/5 (5/5 at 06:00). 10:00 DF 4/5, unchanged. 14:00 DF 2/5.",
        DAY_1,
        ["progressive_neurological_deficit"],
    ),
]


test_the_red_flags_raised_are_those_the_sentence_calls_for = flag_sentences_test(SENTENCES, days=30)
