"""How well the report reader reads report text written blind: per finding, red flags, certainty, time.

Scores every set under tests/domain/reports/corpus/<set>/*.yaml (``dev`` is the one rules were tuned
on; any other set, such as a held-back ``heldout``, is reported on its own). The format of a snippet
is in tests/domain/reports/corpus/FORMAT.md. For each snippet the reader runs on its text, with the
operated levels of its context as a triage case hands them (procedure and levels):

- findings: expected ``affirmed`` or ``uncertain`` ids are the positives; recall and precision of
  the extracted ids against them, overall and per finding id;
- leaks: the share of negated / historical / family / resolved / hypothetical mentions that were
  extracted anyway;
- certainty: of the positives found, the share whose certainty (affirmed or uncertain) agrees;
- red flags: a triage case is built from the snippet's context with the text as its only report;
  recall of the expected red flags, and the share of cases that raise a red flag not expected;
- time: median milliseconds to read one snippet (reader already loaded), and the wall time of
  ``spinetrack triage`` on a case with reports, start-up included.

Usage:
    python benchmarks/report_reader.py [--list] [--per-finding] [--no-cli] [--sets dev,dev2]

``--list`` prints each disagreement (snippet id and finding) of the development sets only: a
held-back set (any set whose name does not start with ``dev``) is never listed snippet by snippet,
so whoever tunes the rules cannot tune to it by accident. ``--sets`` scores only the named sets.
"""

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from spinetrack.domain.reports import find_in_reports, is_sign
from spinetrack.domain.reports.case_levels import case_levels
from spinetrack.domain.triage import assess

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "domain" / "reports" / "corpus"
POSITIVE = ("affirmed", "uncertain")
NOT_A_FINDING = ("negated", "historical", "family", "resolved", "hypothetical")
EVALUATION_DATE = dt.date(2026, 6, 1)
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class Snippet:
    id: str
    context: dict[str, Any]
    text: str
    expect: dict[str, str]
    red_flags: frozenset[str]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class Scores:
    snippets: int = 0
    findings: Counts = field(default_factory=Counts)
    per_finding: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    not_a_finding: Counter[str] = field(default_factory=Counter)
    leaked: Counter[str] = field(default_factory=Counter)
    certainty_agree: int = 0
    flags_expected: int = 0
    flags_raised: int = 0
    false_raise_cases: int = 0
    read_ms: list[float] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    @property
    def leak_rate(self) -> float:
        total = sum(self.not_a_finding.values())
        return sum(self.leaked.values()) / total if total else 0.0

    @property
    def certainty_agreement(self) -> float:
        found = self.findings.true_positive
        return self.certainty_agree / found if found else 1.0

    @property
    def flag_recall(self) -> float:
        return self.flags_raised / self.flags_expected if self.flags_expected else 1.0

    @property
    def false_raise_rate(self) -> float:
        return self.false_raise_cases / self.snippets if self.snippets else 0.0


def corpus_sets(folder: Path = CORPUS) -> dict[str, list[Path]]:
    """Every set (a sub-folder with YAML files) in the corpus, by name."""
    return {
        sub.name: sorted(sub.glob("*.yaml"))
        for sub in sorted(folder.iterdir())
        if sub.is_dir() and any(sub.glob("*.yaml"))
    }


def load_snippets(files: list[Path]) -> list[Snippet]:
    snippets = []
    for path in files:
        for item in yaml.safe_load(path.read_text()) or []:
            snippets.append(
                Snippet(
                    id=item["id"],
                    context=item.get("context") or {},
                    text=item["text"],
                    expect=dict(item.get("expect") or {}),
                    red_flags=frozenset(item.get("red_flags") or []),
                )
            )
    return snippets


def case_of(snippet: Snippet) -> dict[str, Any]:
    """A triage case from the snippet's context, with its text as the only report."""
    context = snippet.context
    days = max(1, round(float(context.get("months_since_surgery", 6)) * DAYS_PER_MONTH))
    surgery: dict[str, Any] = {
        "date": (EVALUATION_DATE - dt.timedelta(days=days)).isoformat(),
        "procedure": context.get("procedure", "decompression"),
        "instrumented": bool(context.get("instrumented", False)),
    }
    if context.get("levels"):
        surgery["levels"] = list(context["levels"])
    return {
        "case_id": snippet.id,
        "evaluation_date": EVALUATION_DATE.isoformat(),
        "region": context.get("region", "lumbar"),
        "surgeries": [surgery],
        "reports": [snippet.text],
    }


def _read(snippet: Snippet) -> tuple[dict[str, str], float]:
    context = snippet.context
    case = case_levels([(context.get("procedure", ""), context.get("levels") or [])])
    start = time.perf_counter()
    found = find_in_reports([snippet.text], case)
    elapsed = (time.perf_counter() - start) * 1000
    statuses: dict[str, str] = {}
    for mention in found:
        if is_sign(mention.id):
            continue  # a warning sign the vocabulary cannot name: the corpus cannot expect it
        if statuses.get(mention.id) != "affirmed":
            statuses[mention.id] = mention.status
    return statuses, elapsed


def _score_findings(scores: Scores, snippet: Snippet, got: dict[str, str]) -> None:
    wanted = {fid: status for fid, status in snippet.expect.items() if status in POSITIVE}
    for fid in set(wanted) | set(got):
        counts = scores.per_finding[fid]
        if fid in wanted and fid in got:
            scores.findings.true_positive += 1
            counts.true_positive += 1
            if got[fid] == wanted[fid]:
                scores.certainty_agree += 1
            else:
                scores.disagreements.append(
                    f"{snippet.id}: {fid} read {got[fid]}, expected {wanted[fid]}"
                )
        elif fid in wanted:
            scores.findings.false_negative += 1
            counts.false_negative += 1
            scores.disagreements.append(f"{snippet.id}: missed {fid} ({wanted[fid]})")
        else:
            scores.findings.false_positive += 1
            counts.false_positive += 1
            said = snippet.expect.get(fid, "not stated")
            scores.disagreements.append(f"{snippet.id}: extracted {fid} ({said})")
            if said in NOT_A_FINDING:
                scores.leaked[said] += 1
    for status in snippet.expect.values():
        if status in NOT_A_FINDING:
            scores.not_a_finding[status] += 1


def _score_flags(scores: Scores, snippet: Snippet) -> None:
    raised = {flag.id for flag in assess(case_of(snippet)).red_flags}
    scores.flags_expected += len(snippet.red_flags)
    scores.flags_raised += len(raised & snippet.red_flags)
    for missed in sorted(snippet.red_flags - raised):
        scores.disagreements.append(f"{snippet.id}: red flag {missed} not raised")
    if raised - snippet.red_flags:
        scores.false_raise_cases += 1
        for extra in sorted(raised - snippet.red_flags):
            scores.disagreements.append(f"{snippet.id}: red flag {extra} raised falsely")


def evaluate(snippets: list[Snippet]) -> Scores:
    scores = Scores()
    find_in_reports(["Warm-up: the reader loads once per process."])
    for snippet in snippets:
        got, elapsed = _read(snippet)
        scores.snippets += 1
        scores.read_ms.append(elapsed)
        _score_findings(scores, snippet, got)
        _score_flags(scores, snippet)
    return scores


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def triage_cli_seconds(snippet: Snippet) -> tuple[float, float]:
    """Wall time and CPU time of one ``spinetrack triage CASE.json`` run, start-up included. On a
    shared machine the wall time includes waiting for a core; the CPU time does not."""
    executable = Path(sys.executable).with_name("spinetrack")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(case_of(snippet), handle)
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run([str(executable), "triage", handle.name], check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    Path(handle.name).unlink()
    return elapsed, _children_cpu() - cpu


def warm_assessment_ms(snippets: list[Snippet]) -> float:
    """Median milliseconds of one assessment of a case with a report, in a process where the
    reader is already loaded (as in the running server)."""
    times = []
    for snippet in snippets:
        case = case_of(snippet)
        start = time.perf_counter()
        assess(case)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _print(name: str, scores: Scores, per_finding: bool) -> None:
    f = scores.findings
    leaks = ", ".join(
        f"{k} {scores.leaked[k]}/{n}" for k, n in sorted(scores.not_a_finding.items())
    )
    print(f"\n== {name}: {scores.snippets} snippets ==")
    print(f"{'measure':<44}{'value':>10}")
    rows = [
        (
            "findings recall (affirmed+uncertain)",
            f.recall,
            f"{f.true_positive}/{f.true_positive + f.false_negative}",
        ),
        (
            "findings precision",
            f.precision,
            f"{f.true_positive}/{f.true_positive + f.false_positive}",
        ),
        ("not-a-finding mentions extracted", scores.leak_rate, leaks),
        ("certainty agreement (of found)", scores.certainty_agreement, ""),
        (
            "red flags raised (recall)",
            scores.flag_recall,
            f"{scores.flags_raised}/{scores.flags_expected}",
        ),
        (
            "cases with a false red flag",
            scores.false_raise_rate,
            f"{scores.false_raise_cases}/{scores.snippets}",
        ),
    ]
    for label, value, detail in rows:
        print(f"{label:<44}{value:>9.1%}  {detail}")
    print(f"{'median ms to read one snippet':<44}{statistics.median(scores.read_ms):>9.1f}")
    if per_finding:
        print(f"\n{'finding':<32}{'recall':>8}{'precision':>11}{'tp':>5}{'fn':>5}{'fp':>5}")
        for fid, c in sorted(scores.per_finding.items()):
            print(
                f"{fid:<32}{c.recall:>8.0%}{c.precision:>11.0%}"
                f"{c.true_positive:>5}{c.false_negative:>5}{c.false_positive:>5}"
            )


def is_development(name: str) -> bool:
    """Whether a set may be tuned on (and so listed snippet by snippet): ``dev``, ``dev2``, ..."""
    return name.startswith("dev")


def _chosen(sets: dict[str, list[Path]], names: str | None) -> dict[str, list[Path]]:
    if names is None:
        return sets
    wanted = names.split(",")
    unknown = [name for name in wanted if name not in sets]
    if unknown:
        raise SystemExit(f"no such corpus set: {', '.join(unknown)} (have {', '.join(sets)})")
    return {name: sets[name] for name in wanted}


def _arguments(argv: list[str]) -> argparse.Namespace:
    """An unknown option or ``--help`` stops before anything is scored: a mistyped option once
    scored every set, held-back ones included, when a tuner only meant to ask for the usage."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="each disagreement (dev sets only)")
    parser.add_argument("--per-finding", action="store_true", help="recall and precision per id")
    parser.add_argument("--no-cli", action="store_true", help="skip timing `spinetrack triage`")
    parser.add_argument("--sets", help="comma-separated set names (default: every set)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    arguments = _arguments(argv)
    sets = _chosen(corpus_sets(), arguments.sets)
    for name, files in sets.items():
        scores = evaluate(load_snippets(files))
        _print(name, scores, arguments.per_finding)
        if arguments.list and is_development(name):
            print("\n".join(scores.disagreements))
    if "dev" not in sets:
        return
    dev = load_snippets(sets["dev"])
    print(f"\nassessment with a report, reader loaded (median): {warm_assessment_ms(dev):.1f} ms")
    if not arguments.no_cli:
        runs = [triage_cli_seconds(dev[0]) for _ in range(3)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"`spinetrack triage` with a report, median of 3: {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main(sys.argv[1:])
