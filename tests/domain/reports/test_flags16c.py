"""Red flags of issue 16's flags16c pass, from sentences written for these tests (not corpus text).

Each sentence is the only report of a case (a lumbar fusion 60 days before, unless the case says
otherwise), and the red flags raised must be exactly those listed: a relative named in the
opening as the one who translates, types or rings, or who had the operation, speaks of the
patient; weight lost on purpose or with a named cause; a film that could not show the whole
region has not excluded a fracture; lay words for a swollen neck and a hard or noisy breath; a
weakness lost between two named days; night pain that no position eases beside a cancer; sweats
and fevers with a named cause away from the spine. Rules: knowledge/reports/narrators.yaml,
finding_terms.yaml, signs.yaml, context_modifiers.yaml; knowledge/triage/red_flags.yaml.
"""

from typing import Any

from tests.support.report_cases import flag_sentences_test

CERVICAL_DAY_1 = {"region": "cervical", "days": 1}
DISCECTOMY_WEEK_2 = {"procedure": "discectomy", "days": 14}

SENTENCES: list[tuple[str, dict[str, Any], list[str]]] = [
    # a relative who translates, types, rings or had the operation tells the report
    (
        "[Put into English by the patient's daughter]\n"
        "My father's left leg has gone weak since Sunday and the x-ray shows the rod has snapped.",
        {},
        ["hardware_failure_with_deficit"],
    ),
    (
        "Ward phone message - caller: son\n"
        "Mum came home from her spine operation on Tuesday and now she cannot feel the toilet "
        "paper when she wipes and has not passed water since last night.",
        {"procedure": "discectomy", "days": 4},
        ["cauda_equina"],
    ),
    (
        "Text from the clinic app (wife typing)\nMy husband had his back operation two weeks ago "
        "and the bottom of the wound is draining yellow fluid.",
        DISCECTOMY_WEEK_2,
        ["infection"],
    ),
    (
        "hi it's Jo, my dad Ken came home from the neck operation this morning and his neck has "
        "come up like an egg on the left.",
        CERVICAL_DAY_1,
        ["airway_compromise"],
    ),
    (
        "Her sister had a lumbar fusion for a tumour. She herself has never had cancer.",
        {},
        [],
    ),
    # weight lost on purpose or with a named cause is no warning of cancer
    ("He has lost 6 kg since March; the weight loss is deliberate, he is fasting.", {}, []),
    ("She has lost about half a stone but that is the slimming club, on purpose.", {}, []),
    ("He has lost 5 kg because he forgets to eat when his wife is out.", {}, []),
    ("She has lost weight without trying since her husband died; no pain at night.", {}, []),
    (
        "He had prostate cancer four years ago. The back pain is there all night and it does not "
        "matter how he lies.",
        {"days": 300},
        ["malignancy"],
    ),
    # a limited film has not excluded a fracture
    (
        "Slipped on ice yesterday, new low back pain. Lateral view: no fracture seen, but L5/S1 is "
        "poorly seen; CT recommended.",
        {"days": 200},
        ["fracture"],
    ),
    (
        "Tripped on the kerb yesterday with new back pain. CT lumbar spine: no fracture, metalwork "
        "intact.",
        {"days": 200},
        [],
    ),
    # lay and translated words for an airway at risk after anterior neck surgery
    (
        "Since coming home his neck is very big on one side and he finds it hard to take a breath.",
        CERVICAL_DAY_1,
        ["airway_compromise"],
    ),
    (
        "She makes a high-pitched noise when she breathes in and cannot swallow her tablets.",
        CERVICAL_DAY_1,
        ["airway_compromise"],
    ),
    # a weakness lost between two named times, or reaching the other leg
    (
        "On Tuesday he could still walk on his heels, by Thursday not, and today the foot drags.",
        {"procedure": "decompression", "days": 30},
        ["progressive_neurological_deficit"],
    ),
    (
        "At breakfast the right foot was floppy and by teatime the other leg is going weak too.",
        {"procedure": "discectomy", "days": 3},
        ["progressive_neurological_deficit"],
    ),
    (
        "Her left calf is clearly weaker than the right on tiptoe walking, slowly recovering.",
        {"procedure": "discectomy", "days": 70},
        [],
    ),
    # sweats and fevers with a named cause away from the spine
    (
        "Sweats at night since starting the steroids; the dexamethasone makes him sweat, afebrile.",
        {"days": 10},
        [],
    ),
    (
        "Soaked in sweat most nights; his daughter thinks the bedroom heating is too high.",
        {"days": 30},
        [],
    ),
    (
        "On chemotherapy: temperature 38.5, febrile neutropenia; cannula site inflamed; spinal "
        "wound clean and dry.",
        {"days": 25},
        [],
    ),
    # a wound problem or fever told as over, in a patient's or a form's words
    (
        "The scar wept a little in the first week and the nurse gave me tablets; it healed up "
        "completely. I had a temperature too, that went with the antibiotics.",
        {"procedure": "discectomy", "days": 45},
        [],
    ),
    (
        "Pinkness around the staples on day 4 that faded on its own; nothing since.",
        {"procedure": "discectomy", "days": 30},
        [],
    ),
    # a weakness told worse in the next sentence, and a neck hedged as a little swollen
    (
        "Since Saturday my right foot drags and I cannot lift it off the floor. It's worse today "
        "than yesterday.",
        {"procedure": "discectomy", "days": 40},
        ["progressive_neurological_deficit"],
    ),
    (
        'Ward note: neck "maybe slightly swollen on the right", sats 96%, voice normal.',
        {"region": "cervical", "days": 2},
        ["airway_compromise"],
    ),
    # a spinal infection whose treatment is finished, and a ceiling the temperature never reached
    (
        "L3/4 discitis after the discectomy, treated with eight weeks of oral antibiotics, now "
        "completed; CRP 3, afebrile.",
        {"procedure": "discectomy", "days": 120},
        [],
    ),
    (
        "Epidural abscess drained in May; he finished the course of antibiotics last week. Wound "
        "dry.",
        {"days": 150},
        [],
    ),
    ("Temperatures this week 37.4 and 37.8, never above 38; wound dry.", {"days": 20}, []),
]


test_the_red_flags_raised_are_those_the_sentence_calls_for = flag_sentences_test(SENTENCES, days=60)
