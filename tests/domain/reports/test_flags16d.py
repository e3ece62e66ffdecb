"""Red flags of issue 16's flags16d pass, from sentences written for these tests (not corpus text).

Each sentence is the only report of a case (a lumbar fusion 60 days before, unless the case says
otherwise), and the red flags raised must be exactly those listed: weight loss beside a fever
with no cancer history is infection's picture, not malignancy's; sweats, weight loss and night
pain with no cancer history raise infection too; a sensory level told by the landmark the loss
reaches; cord signs told as unchanged or recorded before surgery; new weakness of both arms from
a named root palsy or beside unchanged cord signs; a retention after an MRI that found nothing
compressing the sac; displaced hardware beside no new deficit; raised markers in a well patient
with a healed wound; "pain and temperature" examined as a sensation is no fever. Rules:
knowledge/reports/finding_terms.yaml, signs.yaml, value_rules.yaml; knowledge/triage/red_flags.yaml.
"""

from typing import Any

from tests.support.report_cases import flag_sentences_test

CERVICAL = {"region": "cervical", "days": 120}
CERVICAL_DAY_2 = {"region": "cervical", "procedure": "laminectomy", "days": 2}
THORACIC = {"region": "thoracic", "days": 40}
LAMINECTOMY_DAY_4 = {"procedure": "laminectomy", "days": 4}

SENTENCES: list[tuple[str, dict[str, Any], list[str]]] = [
    # weight loss beside a current fever, no cancer history: infection only
    (
        "Lost 7 kg over two months without trying, sweats at night, temperature 38.6 today.",
        {"days": 200},
        ["infection"],
    ),
    (
        "Lost 7 kg over two months without trying, sweats at night, temperature 38.6 today. "
        "Treated for bowel cancer in 2016.",
        {"days": 200},
        ["infection", "malignancy"],
    ),
    ("He has lost 8 kg this year without any change in diet.", {"days": 300}, ["malignancy"]),
    # sweats, weight loss and night pain together, no cancer history: infection and malignancy
    (
        "Drenching sweats most nights, a stone lost without trying, and the back aches all night "
        "whatever way she lies. No history of cancer.",
        {"days": 330},
        ["infection", "malignancy"],
    ),
    (
        "Drenching sweats most nights, a stone lost without trying, and the back aches all night "
        "whatever way she lies. Breast cancer treated in 2012.",
        {"days": 330},
        ["malignancy"],
    ),
    # a sensory level told by the landmark the loss reaches or starts from
    (
        "Legs weaker each day for a week; numbness now up to the waist; some hesitancy passing "
        "urine.",
        THORACIC,
        ["myelopathy", "progressive_neurological_deficit"],
    ),
    (
        "Numb from the belly button downwards, bladder leaking without warning.",
        THORACIC,
        ["myelopathy"],
    ),
    ("Loss of pain and temperature sensation to T8 on both sides.", THORACIC, ["myelopathy"]),
    ("Numbness from the knee to the ankle on the left.", THORACIC, []),
    # cord signs told as unchanged or recorded before the operation
    ("Brisk knee jerks, unchanged. Walks with a frame.", CERVICAL, []),
    ("Hyperreflexia in both arms, stable; hands working well.", CERVICAL, []),
    (
        "Hoffmann sign positive on the left; the pre-op notes record bilateral Hoffmann signs.",
        CERVICAL,
        [],
    ),
    ("Bilateral Hoffmann's (pre-op also). Grip and gait normal.", CERVICAL, []),
    ("Brisk knee jerks, new since last month.", CERVICAL, ["myelopathy"]),
    # new weakness of both arms from a root palsy or beside unchanged cord signs
    (
        "New weakness of both deltoids this morning, 3/5 each side; sensation intact. "
        "Impression: C5 palsy.",
        CERVICAL_DAY_2,
        [],
    ),
    (
        "New weakness of both hands since Friday, grip 3/5. Reflexes unchanged, no new clonus.",
        CERVICAL,
        [],
    ),
    ("New weakness of both hands since Friday, grip 3/5.", CERVICAL, ["myelopathy"]),
    # a retention after an MRI that found nothing compressing the sac
    (
        "Residual 700 ml after a failed trial without catheter. MRI showed no compression; saddle "
        "sensation normal.",
        LAMINECTOMY_DAY_4,
        [],
    ),
    (
        "Retention of 800 ml on day 4. MRI lumbar: no haematoma, the sac is well decompressed.",
        LAMINECTOMY_DAY_4,
        [],
    ),
    (
        "Retention of 800 ml on day 4; MRI requested for tonight.",
        LAMINECTOMY_DAY_4,
        ["cauda_equina"],
    ),
    (
        "Retention of 800 ml and numb around the back passage. MRI: the cauda equina is not "
        "compressed.",
        LAMINECTOMY_DAY_4,
        ["cauda_equina"],
    ),
    (
        "MRI cervical spine. Findings: No cord compression or cord signal abnormality. No "
        "adjacent level disease.",
        CERVICAL,
        [],
    ),
    # "pain and temperature" is a sensory modality, not a thermometer reading
    (
        "Loss of pain and temperature to T10 on both sides, weakness of both legs since this "
        "morning; residual 900 ml.",
        {"days": 150},
        ["cauda_equina", "myelopathy"],
    ),
    ("Temperature 38.7 tonight and the wound is red.", {"days": 20}, ["infection"]),
    # raised markers in a patient found well with a healed wound are for repeating; a "no fever"
    # between the two halves of that statement stays a negation
    (
        "CRP 16 mg/L and ESR 40 mm/h at the 3-month review. Pt feels well, no fever, wound healed.",
        {"days": 95},
        [],
    ),
    ("ESR 50 and CRP 25 at nine months. Wound healed. Afebrile, well.", {"days": 270}, []),
    ("ESR 50 and CRP 25 at nine months.", {"days": 270}, ["infection"]),
    # displaced hardware with leg symptoms the examiner calls no new deficit
    (
        "X-ray: the interspinous spacer has migrated 6 mm posteriorly. Aching in both legs after 200 m "
        "as before the operation. No new deficit.",
        {"procedure": "dynamic_stabilization", "days": 300},
        [],
    ),
    (
        "X-ray: the interspinous spacer has migrated 6 mm posteriorly. New weakness of ankle "
        "dorsiflexion on the left, 4/5.",
        {"procedure": "dynamic_stabilization", "days": 300},
        ["hardware_failure_with_deficit"],
    ),
]


test_the_red_flags_raised_are_those_the_sentence_calls_for = flag_sentences_test(SENTENCES, days=60)
