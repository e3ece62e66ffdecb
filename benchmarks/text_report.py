"""How well the report reader reads the test sentences: precision and recall, per status.

The sentences (tests/domain/reports/sentences*.yaml) each list the findings they hold and how each is
asserted. Every sentence is read on its own; a finding is extracted when its status is affirmed or
uncertain. Prints precision and recall on affirmed and on uncertain findings, and the mentions that
leaked: a negated, hypothetical, historical or family mention that became a finding.
Usage:
    python benchmarks/text_report.py [--list]     (--list prints every disagreement)
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from spinetrack.domain.reports import read_mentions

SENTENCES = Path(__file__).resolve().parents[1] / "tests" / "domain" / "reports"
FINDING = ("affirmed", "uncertain")
RANK = {"affirmed": 0, "uncertain": 1}


@dataclass(frozen=True)
class Sentence:
    text: str
    expect: dict[str, str]


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
    sentences: int = 0
    affirmed: Counts = field(default_factory=Counts)
    uncertain: Counts = field(default_factory=Counts)
    leaks: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)


def sentence_files(folder: Path = SENTENCES) -> list[Path]:
    return sorted(folder.glob("sentences*.yaml"))


def load_sentences(*paths: Path) -> list[Sentence]:
    """The sentences of the given files (default: every sentences*.yaml file)."""
    sentences = []
    for path in paths or sentence_files():
        raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        sentences += [Sentence(item["text"], dict(item["expect"])) for item in raw]
    return sentences


def read_statuses(texts: list[str]) -> list[dict[str, str]]:
    """Per sentence, each finding's status; a finding mentioned twice keeps its strongest reading
    (affirmed, then uncertain, then the first non-finding status)."""
    found: list[dict[str, str]] = [{} for _ in texts]
    for mention in read_mentions(texts):
        held = found[mention.report].get(mention.id)
        if held is None or RANK.get(mention.status, 9) < RANK.get(held, 9):
            found[mention.report][mention.id] = mention.status
    return found


def _tally(counts: Counts, status: str, expected: str | None, got: str | None) -> None:
    if got == status and expected == status:
        counts.true_positive += 1
    elif got == status:
        counts.false_positive += 1
    elif expected == status:
        counts.false_negative += 1


def evaluate(sentences: list[Sentence]) -> Scores:
    scores = Scores(sentences=len(sentences))
    readings = read_statuses([s.text for s in sentences])
    for sentence, got in zip(sentences, readings, strict=True):
        for finding in sorted(set(sentence.expect) | set(got)):
            expected, status = sentence.expect.get(finding), got.get(finding)
            _tally(scores.affirmed, "affirmed", expected, status)
            _tally(scores.uncertain, "uncertain", expected, status)
            if expected not in (None, *FINDING) and status in FINDING:
                scores.leaks[expected] = scores.leaks.get(expected, 0) + 1
            if expected != status and not (expected not in FINDING and status is None):
                scores.disagreements.append(
                    f"{finding}: want {expected}, got {status}: {sentence.text}"
                )
    return scores


def expected_statuses(sentences: list[Sentence]) -> dict[str, set[str]]:
    """For each finding id, the statuses the sentences test it in."""
    covered: dict[str, set[str]] = {}
    for sentence in sentences:
        for finding, status in sentence.expect.items():
            covered.setdefault(finding, set()).add(status)
    return covered


def _print(title: str, sentences: list[Sentence], listing: bool) -> None:
    scores = evaluate(sentences)
    mentions = sum(len(s.expect) for s in sentences)
    print(f"{title}: {scores.sentences} sentences, {mentions} expected mentions")
    for name in FINDING:
        counts: Counts = getattr(scores, name)
        print(
            f"  {name:9}  precision {counts.precision:.3f}  recall {counts.recall:.3f}  "
            f"(tp {counts.true_positive}, fp {counts.false_positive}, fn {counts.false_negative})"
        )
    print(f"  leaked (non-finding mentions extracted): {scores.leaks or 'none'}")
    print(f"  disagreements on status: {len(scores.disagreements)}")
    if listing:
        for line in scores.disagreements:
            print("    " + line)


def main() -> None:
    listing = "--list" in sys.argv[1:]
    files = sentence_files()
    for path in files:
        _print(path.name, load_sentences(path), listing)
    _print("all", load_sentences(*files), listing=False)


if __name__ == "__main__":
    main()
