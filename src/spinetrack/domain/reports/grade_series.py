"""Muscle grades written as a series over time in one line, each grade with its own time.

Neuro observations and serial examinations put a run of MRC grades in one line, each dated in its
own words: by the clock before it ("06:00 DF 5/5, 10:00 DF 4/5, 14:00 DF 3/5"), by the time since
surgery after it ("4/5 at the 2 week check, 3/5 at 4 weeks and 2/5 today"), or counting back from
today ("hip flexion 4/5 six weeks ago, 3/5 today"). The comparison rules of values.py read a grade
as earlier only beside words such as "was" or "pre-op"; here every grade of the line is placed in
time by its own label, the run is put oldest first, and the weakest grade of each time is compared
with the earlier ones. A grade with no label of its own belongs to the time before it ("14:00 DF
3/5, EHL 2/5"); a line whose first grade has no time is not a series. The words naming parts of
the day ("this morning", "ce soir"), discharge and the time before surgery, and where each sits in
time, are in knowledge/reports/time_words.yaml (read by time_words.py).

What the run means is decided in values.py: here ``fall`` says whether the latest grade is below an
earlier one (a new weakness) and which post-operative grades it fell from; whether that fall is a
progressive weakness is the ``grade_progression`` rule of knowledge/reports/value_rules.yaml. A
pre-operative grade is not among them, so a drop from before surgery alone is never progressive.
"""

import itertools
import re
from dataclasses import dataclass

from spinetrack.domain.reports.spoken_numbers import SMALL_NUMBERS
from spinetrack.domain.reports.time_words import day_key, time_patterns

GRADE = re.compile(r"\b([0-5])([+-]?)/5\b")
"""An MRC grade written "n/5", with its "+" or "-"."""
_BARE_GRADE = re.compile(
    r"(?<!day\s)(?<!pod\s)(?<!\bd\s)(?<!\bat\s)(?<![\w/.:,-])([0-5])([+-]?)(?![\w/.:%]|\s*(?:mm|cm|ml|mg|kg|x|times|weeks?|days?|h\b))",
    re.I,
)
"""A grade written without "/5" ("DF 4 (D1), 3 (D2)"), read only in a line labelled as power."""
_POWER_LINE = re.compile(
    r"^\W*(?:(?:lower|upper)\s+limb\s+)?(?:power|mrc(?:\s+grades?)?|motor(?:\s+power)?|strength)\b",
    re.I,
)
"""A line that gives muscle power: its bare digits are MRC grades."""
_NUMBER_WORDS = {"a": 1, "an": 1, **{w: n for w, n in SMALL_NUMBERS.items() if 1 <= n <= 12}}
"""Counts of hours, days or weeks told in words ("a week ago", "twelve hours later")."""
_COUNT = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT_DAYS = {"h": 1 / 24, "d": 1.0, "w": 7.0, "m": 30.4}
_UNIT = r"(h(?:ours?|rs?)?|d(?:ays?)?|w(?:eeks?|ks?)?|mo(?:nths?)?|months?)"

_CLOCK = re.compile(
    r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b|\b(?:[01]\d|2[0-3])[0-5]\d\s*h(?:rs?)?\b", re.I
)
"""A clock time: "06:00", "14.30", "2200h"."""
_AGO = re.compile(rf"\b{_COUNT}[\s-]*{_UNIT}\s+ago\b", re.I)
"""Time counted back from today: "six weeks ago", "3 days ago"."""
_SINCE_SURGERY = re.compile(
    rf"\b(?:at|by|after)\s+(?:the\s+|his\s+|her\s+)?{_COUNT}[\s-]*{_UNIT}\b|"
    rf"\b{_COUNT}[\s-]*{_UNIT}\s+post[\s-]?op\w*\b|\b(?:day|pod|d)\s?(\d{{1,3}})\b|"
    r"\b(?:at|by|after)\s+(\d{1,2})\s*/\s*(52|12)\b",
    re.I,
)
"""Time since surgery: "at 4 weeks", "at the 2 week wound check", "6 weeks post-op", "day 3"."""
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NAMED_TIME = re.compile(
    r"\b(?:in|on|at|by|during|from|since|(?:the\s+)?end\s+of|mid-?|early|late)\s+(?:the\s+)?"
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)\b",
    re.I,
)
"""A month or weekday a grade is dated by ("4/5 in September, 4-/5 in October, 3/5 in November",
"3/5 on Monday"): read like a clock, in the order the times are written (tune16g)."""
_BEFORE_WINDOW = 25
"""How far back (characters) a label written before its grade may lie: "10:00 DF 4/5"."""


@dataclass(frozen=True, slots=True)
class _Label:
    """A grade's place in time: ``clock`` (time of day, the order written), ``since`` (days after
    surgery), ``ago`` (days relative to today), ``now`` (today, latest on any clock) or ``preop``
    (before surgery, earliest)."""

    kind: str
    when: float


def _count(word: str) -> float:
    return float(_NUMBER_WORDS.get(word.lower(), 0) or word)


def _named_key(word: str) -> float:
    """A month's or weekday's own number, so that the same name written twice is one time."""
    word = word.lower()
    for index, month in enumerate(_MONTHS):
        if month.startswith(word[:3]):
            return float(index)
    return 100.0 + float(sum(ord(c) for c in word[:3]))


def _named_labels(words: str) -> list[tuple[int, _Label]]:
    """The months and weekdays in a grade's words, each as a clock time at its place."""
    return [
        (match.start(), _Label("clock", 10000.0 + _named_key(match.group(1))))
        for match in _NAMED_TIME.finditer(words)
    ]


def _label(words: str, before: bool) -> _Label | None:
    """The time a grade's own words name; ``before`` says the words precede the grade (the last
    label in them counts) rather than follow it (the first counts)."""
    found: list[tuple[int, _Label]] = []
    for match in _CLOCK.finditer(words):
        digits = re.sub(r"\D", "", match.group(0))
        found.append((match.start(), _Label("clock", float(digits))))
    found += _named_labels(words)
    for match in _AGO.finditer(words):
        days = _count(match.group(1)) * _UNIT_DAYS[match.group(2)[0].lower()]
        found.append((match.start(), _Label("ago", -days)))
    for match in _SINCE_SURGERY.finditer(words):
        if match.group(5) is not None:
            found.append((match.start(), _Label("since", float(match.group(5)))))
            continue
        if match.group(6) is not None:
            per = 7.0 if match.group(7) == "52" else 30.4
            found.append((match.start(), _Label("since", float(match.group(6)) * per)))
            continue
        count, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        days = _count(count) * _UNIT_DAYS[unit[0].lower()]
        found.append((match.start(), _Label("since", days)))
    times = time_patterns()
    for match in times.day_parts.finditer(words):
        when = times.day_part_days[day_key(match.group(1))]
        found.append((match.start(), _Label("now" if when == 0 else "ago", when)))
    for match in times.discharge.finditer(words):
        found.append((match.start(), _Label("since", times.discharge_days)))
    for match in times.preop.finditer(words):
        found.append((match.start(), _Label("preop", 0.0)))
    if not found:
        return None
    found.sort(key=lambda pair: pair[0])
    return found[-1][1] if before else found[0][1]


def _labels(sentence: str, grades: list[re.Match[str]]) -> list[_Label | None]:
    """Each grade's own time: from the words after it (up to a separator or the next grade), else
    from those right before it (back to a separator or the previous grade)."""
    labels: list[_Label | None] = []
    for index, grade in enumerate(grades):
        stop = grades[index + 1].start() if index + 1 < len(grades) else len(sentence)
        after = re.split(
            r"[,;]|\s(?:and|but|with)\s|\s[-–]\s", sentence[grade.end() : stop], maxsplit=1
        )[0]
        floor = grades[index - 1].end() if index > 0 else 0
        before = re.split(
            r"[,;(]", sentence[max(floor, grade.start() - _BEFORE_WINDOW) : grade.start()]
        )[-1]
        labels.append(_label(after, before=False) or _label(before, before=True))
    return labels


def _key(label: _Label, clocks: list[float]) -> tuple[int, float]:
    """Where a label sorts: before surgery first, today last; clock times in the order they are
    first written (a night's series runs past midnight), other times by their days."""
    if label.kind == "preop":
        return (0, 0.0)
    if label.kind == "now":
        return (2, 0.0)
    if label.kind == "clock":
        return (1, float(clocks.index(label.when)))
    return (1, label.when)


def mrc_grade(match: re.Match[str]) -> float:
    """An MRC grade as a number: "4+" a little above 4, "4-" a little below."""
    return int(match.group(1)) + {"+": 0.3, "-": -0.3}.get(match.group(2), 0.0)


@dataclass(frozen=True, slots=True)
class Step:
    """The weakest grade at one time of a series: its value, whether it was before surgery, and
    where it is written."""

    grade: float
    preop: bool
    start: int
    end: int


def _grades(sentence: str) -> list[re.Match[str]]:
    """The sentence's MRC grades: written "n/5", or bare digits in a line labelled as power."""
    grades = list(GRADE.finditer(sentence))
    if not grades and _POWER_LINE.match(sentence):
        grades = list(_BARE_GRADE.finditer(sentence))
    return grades


def labelled_series(sentence: str) -> list[Step] | None:
    """The grades of one sentence as a series oldest first, one step per time (its weakest grade),
    or None when the sentence is not a series: fewer than two times, a first grade without a time,
    labels on different clocks, or two grades given the same time by different labels."""
    grades = _grades(sentence)
    if len(grades) < 2:
        return None
    labels = _labels(sentence, grades)
    if labels[0] is None:
        return None
    kinds = {label.kind for label in labels if label is not None} - {"now", "preop"}
    if len(kinds) > 1:
        return None
    clocks: list[float] = []
    for label in labels:
        if label is not None and label.kind == "clock" and label.when not in clocks:
            clocks.append(label.when)
    times: list[tuple[tuple[int, float], re.Match[str], bool]] = []
    current: tuple[tuple[int, float], bool] | None = None
    for grade, label in zip(grades, labels, strict=True):
        if label is not None:
            current = (_key(label, clocks), label.kind == "preop")
        assert current is not None
        times.append((current[0], grade, current[1]))
    keys = [key for key, _, _ in times]
    if len(set(keys)) < 2:
        return None
    steps: list[Step] = []
    for key in sorted(set(keys)):
        at = [(grade, preop) for k, grade, preop in times if k == key]
        weakest, preop = min(at, key=lambda pair: mrc_grade(pair[0]))
        steps.append(Step(mrc_grade(weakest), preop, weakest.start(), weakest.end()))
    return steps


def fall(steps: list[Step]) -> list[float] | None:
    """The earlier post-operative grades a series' latest grade fell below (empty when it fell
    only below a pre-operative one), or None when the latest grade is below no earlier one."""
    latest = steps[-1]
    higher = [step for step in steps[:-1] if step.grade > latest.grade]
    if not higher:
        return None
    return [step.grade for step in higher if not step.preop]


_BARE = r"([0-5])([+-]?)(?![\d/%]|\.\d|\s*(?:mm|cm|ml|mg|kg|x\b|%))"
_STEP = r"\s*(?:->|→|=>|>|\bthen\b|\bto\b)\s*"
_ARROW_RUN = re.compile(rf"{_BARE}(?:{_STEP}{_BARE})+")
_LEVEL = re.compile(r"^[clts]\d", re.I)


def arrow_runs(sentence: str, muscles: str) -> list[list[tuple[float, int, int]]]:
    """Grades written bare after a muscle's name and chained by arrows ("quads 4 -> 3", "EHL 4 → 2",
    "MRC hip flexion 5 -> 4 -> 3"), each run oldest first as (grade, start, end). The name must
    come within a few characters ("quads L 4 -> 3"); a spinal level ("L4") is not a muscle."""
    runs: list[list[tuple[float, int, int]]] = []
    for name in re.finditer(muscles, sentence, re.I):
        if _LEVEL.match(name.group(0)):
            continue
        run = _ARROW_RUN.match(sentence, name.end() + _gap(sentence, name.end()))
        if run is None:
            continue
        steps = [
            (mrc_grade(grade), grade.start(), grade.end())
            for grade in re.finditer(_BARE, run.group(0))
        ]
        runs.append([(value, run.start() + a, run.start() + b) for value, a, b in steps])
    return runs


_BETWEEN = re.compile(
    r"\s*(?:\((?:[lr]|left|right|bilat\w*)\)|[lr]\b|left|right|bilat\w*|power|:|=|\s)*\s*", re.I
)


def _gap(sentence: str, at: int) -> int:
    """How many characters of side or "power" words lie between a muscle's name and its grades."""
    found = _BETWEEN.match(sentence, at)
    return 0 if found is None else found.end() - at


def rising(sentence: str) -> bool:
    """Whether the sentence's grades recover: in the order written they never fall, the last is
    above the first, and the last is today's ("TA 2/5 ..., 3/5 at 6 weeks and 4/5 today", "3/5 day
    1, 4-/5 yesterday, 4/5 today"). Such a run is a weakness getting better, whatever the earlier
    grades' own labels, so no comparison of its grades is a fall."""
    grades = _grades(sentence)
    if len(grades) < 2:
        return False
    values = [mrc_grade(grade) for grade in grades]
    if (
        any(later < earlier for earlier, later in itertools.pairwise(values))
        or values[-1] <= values[0]
    ):
        return False
    last = _labels(sentence, grades)[-1]
    return last is not None and last.kind == "now"
