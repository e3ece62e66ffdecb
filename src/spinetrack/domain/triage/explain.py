"""The assessment as text a clinician reads in seconds: red flags first, then causes, tests, options.

Ids are kept (they are what the JSON says) and followed by their meaning from the vocabulary.
"""

from spinetrack.domain.triage.assessment import Assessment, LikelyCause, RedFlag
from spinetrack.domain.triage.case import Case
from spinetrack.domain.triage.causes import phase_of
from spinetrack.domain.triage.rules import Rules
from spinetrack.domain.triage.rules_check import checked_rules

_STEPS = {1: "conservative", 2: "interventional", 3: "surgical"}


def _named(rules: Rules, item: str) -> str:
    """A finding id with its meaning; other evidence labels (timing, course, pain) are already words."""
    meaning = rules.vocabulary.findings.get(item)
    return f"{item} ({meaning})" if meaning else item


def _header(rules: Rules, case: Case, assessment: Assessment) -> list[str]:
    index = case.index_surgery
    levels = f" {', '.join(index.levels)}" if index.levels else ""
    kit = ", instrumented" if index.instrumented else ""
    days = (case.evaluation_date - index.date).days
    phase = phase_of(rules.causes.time_course, days)
    course = rules.vocabulary.courses.get(case.course or "", "not given")
    interval = case.pain_free_interval_days
    relief = f"; pain-free for {interval} days" if interval is not None else ""
    title = f"case {case.case_id}" if case.case_id else "case"
    return [
        f"Triage of {title} (rules {assessment.rules_version})",
        f"Index surgery: {index.procedure}{levels}{kit} on {index.date}, "
        f"{assessment.months_since_surgery:g} months ago; phase: {phase.label}",
        f"Course: {course}{relief}",
        f"PSPS-2: {assessment.psps2.status.replace('_', ' ')}: {assessment.psps2.basis}",
    ]


def _red_flag(rules: Rules, flag: RedFlag) -> list[str]:
    because = "; ".join(_named(rules, e) for e in flag.evidence)
    return [
        f"  [{flag.urgency.upper()}] {flag.id}: {rules.vocabulary.red_flags[flag.id]}",
        f"    because: {because}",
        f"    action: {flag.action}",
        f"    sources: {'; '.join(flag.sources)}",
    ]


def _red_flags(rules: Rules, assessment: Assessment) -> list[str]:
    if not assessment.red_flags:
        return ["RED FLAGS: none found in the findings given"]
    lines = ["RED FLAGS: act on these first"]
    for flag in assessment.red_flags:
        lines += _red_flag(rules, flag)
    return lines


def _cause(rules: Rules, cause: LikelyCause) -> list[str]:
    for_ = "; ".join(_named(rules, e) for e in cause.evidence_for)
    against = "; ".join(_named(rules, e) for e in cause.evidence_against) or "nothing in this case"
    return [
        f"  {cause.rank}. {cause.id}: {rules.vocabulary.causes[cause.id]} "
        f"(likelihood {cause.likelihood}, score {cause.score:.2f})",
        f"     for: {for_}",
        f"     against: {against}",
        f"     work-up: {', '.join(cause.workup)}",
        f"     sources: {'; '.join(cause.sources)}",
    ]


def _causes(rules: Rules, assessment: Assessment) -> list[str]:
    if not assessment.causes:
        return ["LIKELY CAUSES: none has enough evidence in the findings given"]
    lines = ["LIKELY CAUSES: most likely first"]
    for cause in assessment.causes:
        lines += _cause(rules, cause)
    return lines


def _workup(rules: Rules, assessment: Assessment) -> list[str]:
    lines = ["WORK-UP TO CONSIDER: most decisive first"] if assessment.workup else []
    for item in assessment.workup:
        meaning = rules.vocabulary.workup[item.id]
        lines.append(f"  - {item.id}: {meaning} (tests {', '.join(item.for_)})")
    return lines


def _evidence_note(rules: Rules, treatment: str, causes: list[str]) -> str:
    options = (o for c in causes for o in rules.treatments.causes.get(c, []) if o.id == treatment)
    return next(options).evidence


def _treatments(rules: Rules, assessment: Assessment) -> list[str]:
    lines = ["TREATMENT OPTIONS TO CONSIDER: step 1 first"] if assessment.treatments else []
    for option in assessment.treatments:
        meaning = rules.vocabulary.treatments[option.id]
        lines.append(
            f"  - step {option.step} ({_STEPS[option.step]}) {option.id}: {meaning} "
            f"(fits {', '.join(option.for_)})"
        )
        lines.append(f"      evidence: {_evidence_note(rules, option.id, option.for_)}")
    return lines


def render_text(case: Case, assessment: Assessment) -> str:
    """A readable summary of ``assessment`` (made from ``case``), red flags first."""
    rules = checked_rules()
    sections = [
        _header(rules, case, assessment),
        _red_flags(rules, assessment),
        _causes(rules, assessment),
        _workup(rules, assessment),
        _treatments(rules, assessment),
        [assessment.disclaimer],
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"
