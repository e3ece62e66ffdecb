"""Symptom and sign phrasing families (tune16j): a straight leg raise told by the test's other
names, wound redness in lay words, swallowing trouble told by what will not go down, part of the
foot gone numb told with its side after it, and axial pain tied to what the patient does or eased
lying down; pain whose pattern the vocabulary names otherwise (leaning back, sitting on one
buttock, a headache eased lying flat) is not read as mechanical pain.

Every sentence is written for these tests (no corpus text), in the voices a clinician, a nurse, a
patient or a relative might use. ``present`` findings must be read as affirmed or uncertain;
``absent`` findings must not be read present.
"""

import pytest

from spinetrack.domain.reports import find_in_reports

_CASES: list[tuple[str, list[str], list[str]]] = [
    # straight leg raise: the leg raise, leg lift or Lasègue test, told by who did it
    (
        "The GP tried the leg lifting test and told him it was positive at 50 degrees.",
        ["straight_leg_raise_positive"],
        [],
    ),
    ("Lasegue sign positive on the left, pain into the heel.", ["straight_leg_raise_positive"], []),
    ("Straight leg test: positive right at 45 degrees.", ["straight_leg_raise_positive"], []),
    ("She has a positive leg raise on the right.", ["straight_leg_raise_positive"], []),
    (
        "My right leg only goes to about 40 degrees before the pain shoots to my ankle.",
        ["straight_leg_raise_positive"],
        [],
    ),
    ("SLR equivocal on the left at 65 degrees.", ["straight_leg_raise_positive"], []),
    ("Leg raise test negative both sides, full to 90.", [], ["straight_leg_raise_positive"]),
    ("Straight leg raise normal, no pain.", [], ["straight_leg_raise_positive"]),
    # wound redness in lay words
    ("The scar has gone really red along the top end.", ["wound_erythema"], []),
    ("The bottom of the wound is oozing and it's red and hot round it.", ["wound_erythema"], []),
    ("Faint pinkness around the old drain site this morning.", ["wound_erythema"], []),
    ("Skin red 2 cm either side of the incision.", ["wound_erythema"], []),
    ("Wound looks angry along the lower end today.", ["wound_erythema"], []),
    ("Wound clean and dry, no redness, no heat.", [], ["wound_erythema"]),
    # swallowing: what will not go down, and how it feels
    ("Since the neck operation she could not swallow her tablets.", ["dysphagia"], []),
    ("He's struggling to get his food down tonight.", ["dysphagia"], []),
    ("Struggling with his own saliva and drooling.", ["dysphagia"], []),
    ("Sore when I swallow bread, better with soup.", ["dysphagia"], []),
    ("Meat and toast sometimes stick halfway down.", ["dysphagia"], []),
    ("Some difficulty with dry food, eats it with gravy.", ["dysphagia"], []),
    ("Coughs a bit with thin drinks, so thickener started.", ["dysphagia"], []),
    ("Swallowing normally, eating a full diet.", [], ["dysphagia"]),
    ("A lump-in-the-throat feeling on swallowing, but swallowing well.", [], ["dysphagia"]),
    # numbness of part of the foot, its side told after it
    ("Since Sunday my right foot is numb on the outside.", ["dermatomal_numbness"], []),
    ("The inner side of his left shin has no feeling now.", ["dermatomal_numbness"], []),
    ("Feet feel fine, no numbness anywhere.", [], ["dermatomal_numbness"]),
    # mechanical pain: pain only with what the patient does
    ("My back only hurts when I lift the shopping.", ["mechanical_pain"], []),
    ("Pain only after heavy lifting at work.", ["mechanical_pain"], []),
    ("Her back only hurts when she bends backwards.", [], ["mechanical_pain"]),
    ("Back aches after the hoovering and the ironing.", ["mechanical_pain"], []),
    ("Neck stiff after gardening all afternoon.", ["mechanical_pain"], []),
    ("Backache after training, gone by the next day.", ["mechanical_pain"], []),
    ("Sore getting out of the car after a long drive.", ["mechanical_pain"], []),
    # ... or eased lying down or with the feet up, a clause after it is brought on
    (
        "My back is worse whenever I do the housework and better once I lie down.",
        ["mechanical_pain"],
        [],
    ),
    ("Back hurts carrying the baby, stops when I rest.", ["mechanical_pain"], []),
    ("Back's sore by teatime, eases off when he puts his feet up.", ["mechanical_pain"], []),
    # not mechanical: the legs on walking, a headache, the night
    ("His legs ache walking to the shop, better when he sits down.", [], ["mechanical_pain"]),
    ("Headache as soon as she stands, goes away lying flat.", [], ["mechanical_pain"]),
    ("Pain wakes her at night and is better when she sits up.", [], ["mechanical_pain"]),
    # not mechanical: pain worse leaning back or standing straight is extension pain ...
    (
        "Low back pain worse standing up straight and leaning back, eases sitting.",
        ["extension_pain"],
        ["mechanical_pain"],
    ),
    (
        "Back pain worse bending backwards, fine when he sits.",
        ["extension_pain"],
        ["mechanical_pain"],
    ),
    # ... and pain sitting on one buttock is the sacroiliac pattern
    (
        "Right buttock pain, worse sitting on hard chairs.",
        ["unilateral_buttock_pain"],
        ["mechanical_pain"],
    ),
    # night or rest pain in lay and ward words
    ("Severe back pain at rest since the weekend.", ["night_pain"], []),
    ("His back pain is there every night now.", ["night_pain"], []),
    ("The ache is there even in bed at night.", ["night_pain"], []),
    ("Deep pain in the spine, no position helps, waking him.", ["night_pain"], []),
    ("She moans in her sleep and holds her back.", ["night_pain"], []),
    ("Back pain after gardening, eases with rest, sleeps well every night.", [], ["night_pain"]),
    # bowel control lost: a stool that came unnoticed, bowels that cannot be felt to open
    ("Her stool came without her noticing in the chair.", ["bowel_dysfunction"], []),
    ("He cannot tell when he has opened his bowels any more.", ["bowel_dysfunction"], []),
    ("Bowels opened normally today, felt the urge as usual.", [], ["bowel_dysfunction"]),
    # one buttock, placed as patients place it
    ("It hurts on the left side of my bum, nowhere else.", ["unilateral_buttock_pain"], []),
    ("Pain: L buttock, worse on stairs.", ["unilateral_buttock_pain"], []),
    ("The ache is on the left only, low in the bum cheek.", ["unilateral_buttock_pain"], []),
    ("Right side, just under my dimple, like a bruise.", ["unilateral_buttock_pain"], []),
    ("Right-sided pain centred over the buttock below L5.", ["unilateral_buttock_pain"], []),
    ("Pain in both buttocks and down both legs.", [], ["unilateral_buttock_pain"]),
    (
        "Aching in the right side of my bum that runs down to my foot.",
        [],
        ["unilateral_buttock_pain"],
    ),
    # leaning forward to ease a pain is relief, not a stoop the patient is stuck in
    (
        "Calves ache after walking 100 m, eased by sitting or leaning forward.",
        ["neurogenic_claudication"],
        ["forward_stoop"],
    ),
    ("He has to sit on a bench or bend forward before walking on.", [], ["forward_stoop"]),
    ("Can't stand up straight without leaning on the worktop.", ["forward_stoop"], []),
    ("Walks hunched over, cannot straighten.", ["forward_stoop"], []),
]


@pytest.mark.parametrize("case", _CASES, ids=[c[0][:60] for c in _CASES])
def test_family(case: tuple[str, list[str], list[str]]) -> None:
    text, present, absent = case
    found = {m.id for m in find_in_reports([text])}
    for finding in present:
        assert finding in found, f"{finding} not read from {text!r} (read {sorted(found)})"
    for finding in absent:
        assert finding not in found, f"{finding} read from {text!r}"
