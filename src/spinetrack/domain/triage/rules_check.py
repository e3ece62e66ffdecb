"""The rules check: do the triage rules hold together before a clinic relies on them?

Beyond what loading refuses (unknown keys, missing sources), it finds ids the vocabulary does not
know, contract ids with no rule, duplicates, and unreachable rules: a red flag or cause whose
conditions can never hold, evidence that contradicts its cause's requirements, a cause that can
never reach the listing threshold. The engine uses only rules that pass it.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.triage.causes import CauseRule
from spinetrack.domain.triage.conditions import Condition
from spinetrack.domain.triage.reachability import can_hold, can_hold_together
from spinetrack.domain.triage.rules import Problem, Rules, read_rules
from spinetrack.domain.vocabulary import Vocabulary

_SINGULAR = {
    "findings": "finding",
    "regions": "region",
    "courses": "course",
    "procedures": "procedure",
}


@dataclass(frozen=True, slots=True)
class RulesReport:
    problems: list[Problem]
    summary: str

    @property
    def ok(self) -> bool:
        return not self.problems


def _unknown_ids(condition: Condition | None, vocab: Vocabulary) -> Iterator[str]:
    if condition is None:
        return
    for section, value in condition.references():
        if value not in getattr(vocab, section):
            yield f"unknown {_SINGULAR[section]} {value!r}"


def _unknown(file: str, where: str, value: str, known: Iterable[str], kind: str) -> list[Problem]:
    return [] if value in set(known) else [Problem(file, where, f"unknown {kind} {value!r}")]


def _duplicates(file: str, where: str, ids: list[str]) -> list[Problem]:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    return [Problem(file, where, f"{i!r} is listed more than once") for i in repeated]


def _condition(
    file: str, where: str, condition: Condition | None, vocab: Vocabulary
) -> list[Problem]:
    problems = [Problem(file, where, m) for m in _unknown_ids(condition, vocab)]
    if condition is not None and not can_hold(condition):
        problems.append(Problem(file, where, "can never hold (contradictory conditions)"))
    return problems


def _red_flag_problems(rules: Rules) -> list[Problem]:
    file, vocab = "red_flags.yaml", rules.vocabulary
    flags = rules.red_flags.red_flags
    problems = _duplicates(file, "red_flags", [f.id for f in flags])
    for i, flag in enumerate(flags):
        where = f"red_flags.{i}"
        problems += _unknown(file, f"{where}.id", flag.id, vocab.red_flags, "red flag")
        problems += _unknown(file, f"{where}.urgency", flag.urgency, vocab.urgencies, "urgency")
        problems += _condition(file, f"{where}.criteria", flag.criteria, vocab)
        if flag.unless is not None:
            problems += _condition(file, f"{where}.unless", flag.unless, vocab)
    missing = sorted(set(vocab.red_flags) - {f.id for f in flags})
    problems += [Problem(file, "red_flags", f"no rule for red flag {m!r}") for m in missing]
    return problems


def _evidence_problems(where: str, cause: CauseRule, vocab: Vocabulary) -> list[Problem]:
    file = "causes.yaml"
    problems: list[Problem] = []
    for side in ("evidence_for", "evidence_against"):
        items = getattr(cause, side)
        problems += _duplicates(file, f"{where}.{side}", [e.name for e in items])
        for j, item in enumerate(items):
            spot = f"{where}.{side}.{j}"
            problems += _condition(file, spot, item.when, vocab)
            if not can_hold_together(cause.requires, item.when):
                problems.append(Problem(file, spot, "can never hold together with requires"))
    return problems


def _reach_problems(where: str, cause: CauseRule, threshold: float) -> list[Problem]:
    reachable = [e.weight for e in cause.evidence_for if can_hold_together(cause.requires, e.when)]
    if sum(reachable) >= threshold:
        return []
    message = (
        f"its evidence can add up to {sum(reachable):g}, below the listing threshold {threshold:g}"
    )
    return [Problem("causes.yaml", where, message)]


def _cause_problems(rules: Rules) -> list[Problem]:
    file, vocab = "causes.yaml", rules.vocabulary
    causes = rules.causes.causes
    problems = _duplicates(file, "causes", [c.id for c in causes])
    for i, cause in enumerate(causes):
        where = f"causes.{i}"
        problems += _unknown(file, f"{where}.id", cause.id, vocab.causes, "cause")
        problems += _condition(file, f"{where}.requires", cause.requires, vocab)
        problems += _evidence_problems(where, cause, vocab)
        problems += _reach_problems(where, cause, rules.causes.scoring.listing_threshold)
    missing = sorted(set(vocab.causes) - {c.id for c in causes})
    problems += [Problem(file, "causes", f"no rule for cause {m!r}") for m in missing]
    return problems


def _per_cause_problems(
    file: str, entries: dict[str, list[str]], rules: Rules, kind: str
) -> list[Problem]:
    """Shared checks of work-up and treatments: keyed by known causes, known ids, none missing."""
    causes = {c.id for c in rules.causes.causes}
    known = getattr(rules.vocabulary, "workup" if kind == "test" else "treatments")
    problems: list[Problem] = []
    for cause, ids in entries.items():
        problems += _unknown(file, f"causes.{cause}", cause, causes, "cause")
        problems += _duplicates(file, f"causes.{cause}", ids)
        for j, value in enumerate(ids):
            problems += _unknown(file, f"causes.{cause}.{j}.id", value, known, kind)
    missing = sorted(causes - set(entries))
    problems += [Problem(file, "causes", f"no {kind} listed for cause {m!r}") for m in missing]
    return problems


def _workup_problems(rules: Rules) -> list[Problem]:
    entries = {cause: [s.id for s in steps] for cause, steps in rules.workup.causes.items()}
    return _per_cause_problems("workup.yaml", entries, rules, "test")


def _treatment_problems(rules: Rules) -> list[Problem]:
    file, treatments = "treatments.yaml", rules.treatments.causes
    entries = {cause: [o.id for o in options] for cause, options in treatments.items()}
    problems = _per_cause_problems(file, entries, rules, "treatment")
    steps: dict[str, set[int]] = {}
    for cause, options in treatments.items():
        for j, option in enumerate(options):
            steps.setdefault(option.id, set()).add(option.step)
            problems += _condition(file, f"causes.{cause}.{j}.when", option.when, rules.vocabulary)
    mixed = sorted(t for t, s in steps.items() if len(s) > 1)
    problems += [
        Problem(file, "causes", f"{t!r} has different steps for different causes") for t in mixed
    ]
    return problems


def _phases_rise(rules: Rules) -> bool:
    *inner, last = [p.below_days for p in rules.causes.time_course.phases]
    edges = [e for e in inner if e is not None]
    return last is None and len(edges) == len(inner) and edges == sorted(set(edges))


def _scale_problems(rules: Rules) -> list[Problem]:
    problems = []
    bands = rules.causes.scoring.likelihood
    if bands.moderate >= bands.high:
        problems.append(Problem("causes.yaml", "scoring.likelihood", "moderate must be below high"))
    if not _phases_rise(rules):
        message = "each phase but the last needs a below_days, rising; the last has none"
        problems.append(Problem("causes.yaml", "time_course.phases", message))
    return problems


def problems_in(rules: Rules) -> list[Problem]:
    """Every problem the rules have beyond their schema; empty when they hold together."""
    checks = (
        _red_flag_problems,
        _cause_problems,
        _workup_problems,
        _treatment_problems,
        _scale_problems,
    )
    return [problem for check in checks for problem in check(rules)]


def _summary(rules: Rules) -> str:
    sources = {
        s
        for group in (rules.red_flags.red_flags, rules.causes.causes)
        for entry in group
        for s in entry.sources
    }
    tests = {s.id for steps in rules.workup.causes.values() for s in steps}
    options = {o.id for opts in rules.treatments.causes.values() for o in opts}
    return (
        f"{len(rules.red_flags.red_flags)} red flags, {len(rules.causes.causes)} causes, "
        f"{len(tests)} work-up tests, {len(options)} treatments, "
        f"{len(sources)} distinct sources on red flags and causes"
    )


def check_rules(directory: Path | None = None) -> RulesReport:
    """Check the rules in ``directory`` (a copy of knowledge/triage/), or the shipped ones."""
    rules, problems = read_rules(directory)
    if rules is None:
        return RulesReport(problems, f"{len(problems)} problem(s) in the rules files")
    problems = problems_in(rules)
    if problems:
        return RulesReport(problems, f"{len(problems)} problem(s) in the rules")
    return RulesReport([], _summary(rules))


@cache
def checked_rules() -> Rules:
    """The shipped rules, read once; refuses to run on rules that fail the check."""
    rules, problems = read_rules()
    if rules is not None:
        problems = problems_in(rules)
    if rules is None or problems:
        first = problems[0]
        raise KnowledgeError(f"triage/{first.file}", first.field, first.message)
    return rules
