"""The report reader against the sentences written for it: recall, precision, and no leaks.

The scoring is benchmarks/text_report.py's (the script that prints the figures), loaded by path:
the same numbers the script prints are the ones held to the targets here.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from spinetrack.domain.reports.rules import term_rules

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "text_report.py"
TESTED_IN = {"affirmed", "negated", "uncertain", "historical"}
STATUSES = TESTED_IN | {"hypothetical", "family", "resolved"}
# A past cancer is the finding itself ("history of breast cancer"), so it has no historical form.
NO_HISTORICAL_FORM = {"history_of_cancer"}
# A sign that is itself a negative or normal statement ("no fracture", "anal tone normal",
# "temperature not checked") has no negated form.
NO_NEGATED_FORM = {
    "fracture_excluded",
    "plain_film_no_fracture",
    "sacral_function_normal",
    "fever_unmeasured",
    "neck_examined_normal",
    "neuro_exam_normal",
    "crp_normal",
    "spine_not_tender",
    "compression_excluded",
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("text_report", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["text_report"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report() -> ModuleType:
    return _load_script()


@pytest.fixture(scope="module")
def scores(report: ModuleType) -> Any:
    """Every sentence read once for the three tests that score them (reading all of them is the
    slow part, and it grows with every sentence file)."""
    return report.evaluate(report.load_sentences())


def test_at_least_150_sentences_with_a_known_status_for_every_finding(report: ModuleType) -> None:
    sentences = report.load_sentences()
    assert len(sentences) >= 150
    extractable = {terms.finding for terms in term_rules().terms}
    for sentence in sentences:
        assert set(sentence.expect) <= extractable, sentence.text
        assert set(sentence.expect.values()) <= STATUSES, sentence.text


def test_every_extracted_finding_is_tested_affirmed_negated_uncertain_and_historical(
    report: ModuleType,
) -> None:
    covered = report.expected_statuses(report.load_sentences())
    missing = {
        terms.finding: sorted(TESTED_IN - covered.get(terms.finding, set()))
        for terms in term_rules().terms
    }
    missing = {
        finding: [
            s
            for s in gaps
            if not (s == "historical" and finding in NO_HISTORICAL_FORM)
            and not (s == "negated" and finding in NO_NEGATED_FORM)
        ]
        for finding, gaps in missing.items()
    }
    assert {finding: gaps for finding, gaps in missing.items() if gaps} == {}


def test_affirmed_findings_reach_the_recall_and_precision_targets(scores: Any) -> None:
    assert scores.affirmed.recall >= 0.9
    assert scores.affirmed.precision >= 0.95


def test_no_negated_hypothetical_historical_or_family_mention_becomes_a_finding(
    scores: Any,
) -> None:
    assert scores.leaks == {}


def test_uncertain_mentions_are_kept_and_marked_uncertain(scores: Any) -> None:
    assert scores.uncertain.precision >= 0.95
    assert scores.uncertain.recall >= 0.9
