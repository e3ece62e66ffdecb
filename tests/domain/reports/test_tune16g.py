"""Symptom and neurological phrasing families (tune16g): constant pain told by the postures that do
not change it, saddle numbness found by touch or by the seat, weakness compared with the other side
or with the time before surgery, and weakness that spreads, climbs or worsens between named times.

Every sentence is written for these tests (no corpus text), in the voices a clinician, a nurse, a
patient or a relative might use. ``present`` findings must be read as affirmed or uncertain;
``absent`` findings must not be read present.
"""

import pytest

from spinetrack.domain.reports import find_in_reports

_CASES: list[tuple[str, list[str], list[str]]] = [
    # constant pain: the day's postures listed as making no difference
    (
        "His back ache is no different whether he is sitting at his desk or out walking.",
        ["constant_pain"],
        [],
    ),
    (
        "It doesn't matter whether I'm lying on the sofa or standing at the sink, the pain stays.",
        ["constant_pain"],
        [],
    ),
    ("Standing, sitting or lying, it's all the same - a steady 7/10.", ["constant_pain"], []),
    ("The leg pain does not vary with walking or position.", ["constant_pain"], []),
    ("She says the burning in her shins is there every hour of the day.", ["constant_pain"], []),
    ("Sciatica started a month after the discectomy and is now constant.", ["constant_pain"], []),
    ("Aching pain across the lower back since the fall, constant, 6/10.", ["constant_pain"], []),
    ("Pain worse when sitting or standing for long, eases lying down.", [], ["constant_pain"]),
    ("Constant worry about going back to work.", [], ["constant_pain"]),
    # saddle numbness: found by touch, by the seat, or charted as still patchy
    (
        "When I dried her bottom after the shower she said she could not feel the towel.",
        ["saddle_anesthesia"],
        [],
    ),
    ("He says he can't feel the seat when he sits on the commode.", ["saddle_anesthesia"], []),
    (
        "Perianal sensation better than last week but still reduced on the left.",
        ["saddle_anesthesia"],
        [],
    ),
    ("Numb right across where she sits, since this morning.", ["saddle_anesthesia"], []),
    (
        "Says she can not feel when she needs to open her bowels, and her bum is numb.",
        ["saddle_anesthesia"],
        [],
    ),
    ("Perianal sensation intact to pinprick; anal tone normal.", [], ["saddle_anesthesia"]),
    # new weakness: a grade, the other side, the calf raise, time without a movement
    ("Ankle dorsiflexion weakness 4-/5 on the right after the fixation.", ["new_weakness"], []),
    ("My left ankle won't push down as hard as the right one any more.", ["new_weakness"], []),
    ("Since the op his right leg is weaker than the good one.", ["new_weakness"], []),
    ("Unable to do a single-leg heel raise on the left (15 on the right).", ["new_weakness"], []),
    ("She hasn't been able to lift her right foot properly for a week.", ["new_weakness"], []),
    ("Her hand is weaker than before the operation.", ["new_weakness"], []),
    ("Finger abduction weakness 4/5, which was not there before surgery.", ["new_weakness"], []),
    ("No weakness before or after the operation; power 5/5 throughout.", [], ["new_weakness"]),
    # progressive weakness: spreading, climbing, worsening between named times or months
    (
        "His right leg went weak on Tuesday and now the left one is starting to go as well.",
        ["progressive_weakness"],
        [],
    ),
    ("Her legs are getting floppier by the hour.", ["progressive_weakness"], []),
    (
        "The numb weak feeling is moving up from his feet to his knees.",
        ["progressive_weakness"],
        [],
    ),
    ("Grip power weakening steadily over the last fortnight.", ["progressive_weakness"], []),
    (
        "Motor examination worse than on the morning round: hip flexion now 3/5.",
        ["progressive_weakness"],
        [],
    ),
    ("At first only the toes were weak, now the whole foot hangs.", ["progressive_weakness"], []),
    (
        "First thing he could still lift his toes a little, by lunchtime nothing.",
        ["progressive_weakness"],
        [],
    ),
    (
        "Deltoid 4+/5 in March, 4/5 in May and 3/5 in July.",
        ["progressive_weakness", "new_weakness"],
        [],
    ),
    ("Deltoid 3/5 in March, 4/5 in May and 5/5 in July.", [], ["progressive_weakness"]),
    ("Biceps 5/5 in May and 4/5 in June.", ["new_weakness"], ["progressive_weakness"]),
    # psychological distress: a worry tied to one thing at a visit is not distress
    (
        "Seen in clinic, a little anxious about the bruising round the scar.",
        [],
        ["psychological_distress"],
    ),
    (
        "He was nervous regarding the anaesthetic; otherwise settled.",
        [],
        ["psychological_distress"],
    ),
    ("Worried about the wound, and low in mood most days.", ["psychological_distress"], []),
    # both limbs: a sensory symptom written straight before them, reflexes following in the clause
    ("Tingling both hands to the wrists, biceps jerks brisk.", ["bilateral_limb_symptoms"], []),
    ("Pins and needles in both soles since Friday.", ["bilateral_limb_symptoms"], []),
    ("No tingling in both hands; reflexes normal.", [], ["bilateral_limb_symptoms"]),
    # weight loss: the amount first, other verbs, the weight "down" by an amount
    (
        "Eight kilos? No - 8 kg lost since the spring, and he is eating well.",
        ["unexplained_weight_loss"],
        [],
    ),
    (
        "Her daughter says she has shed nearly 6 kg without meaning to.",
        ["unexplained_weight_loss"],
        [],
    ),
    ("Weight down by 5 kg over three months, not dieting.", ["unexplained_weight_loss"], []),
    ("Dropped 5 kg on a slimming club diet, very pleased.", [], ["unexplained_weight_loss"]),
    # hands: things that slip from the fingers are the hand's, not a fall
    (
        "The pegs keep slipping from her fingers - no, the coins fall out of her hand.",
        ["hand_clumsiness"],
        ["falls", "significant_trauma"],
    ),
    ("He can't write his own name any more since the neck got worse.", ["hand_clumsiness"], []),
    ("She fell from the second step and hit her back.", ["falls", "significant_trauma"], []),
    # an inability is a symptom: its "not" negates nothing after it
    ("She cannot grip the kettle, and both hands tingle.", ["bilateral_limb_symptoms"], []),
    # gait: tripping over nothing a steady walker would
    ("Keeps tripping over her own feet in the kitchen.", ["gait_disturbance"], []),
]


@pytest.mark.parametrize("case", _CASES, ids=[c[0][:60] for c in _CASES])
def test_family(case: tuple[str, list[str], list[str]]) -> None:
    text, present, absent = case
    found = {m.id for m in find_in_reports([text])}
    for finding in present:
        assert finding in found, (finding, found)
    for finding in absent:
        assert finding not in found, (finding, found)
