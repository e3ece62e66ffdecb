"""The NLP libraries stay quiet: nothing from spaCy, medspaCy or PyRuSH reaches the user."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.pipeline import pipeline

CASE = {
    "case_id": "quiet-1",
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [{"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"]}],
    "reports": [
        "CT L-spine: no bridging bone across L4-5. Cannot rule out screw loosening at L5.",
        "Clinic: denies fever, saddle numbness or urinary retention.",
    ],
}


def test_triage_of_a_case_with_reports_prints_nothing_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    command = Path(sys.executable).with_name("spinetrack")
    result = subprocess.run(
        [str(command), "triage", str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert result.stderr == ""
    extracted = json.loads(result.stdout)["extracted_findings"]
    assert extracted == [
        {
            "id": "ct_no_bridging_bone",
            "text": "no bridging bone",
            "report": 0,
            "certainty": "affirmed",
        },
        {"id": "screw_lucency", "text": "screw loosening", "report": 0, "certainty": "uncertain"},
    ]


def test_medspacy_s_own_pipeline_misreads_rule_out(capfd: pytest.CaptureFixture[str]) -> None:
    """Why our modifier rules exist: medspaCy's default ConText rules read "cannot rule out" as
    negated. The default pipeline also runs PyRuSH, which logs every token through loguru; the test
    silences it for itself and gives it back, as our pipeline never has to."""
    from loguru import logger

    pipeline()  # imports medspaCy with spaCy's deprecation warning about click kept away
    import medspacy  # type: ignore[import-untyped]
    from medspacy.ner import TargetRule  # type: ignore[import-untyped]

    logger.disable("PyRuSH")
    try:
        nlp = medspacy.load()
        words = [{"LOWER": "screw"}, {"LOWER": "loosening"}]
        target = nlp.get_pipe("medspacy_target_matcher")
        target.add([TargetRule("screw loosening", "X", pattern=words)])
        [span] = nlp("Cannot rule out screw loosening.").ents
    finally:
        logger.enable("PyRuSH")
    assert span._.is_negated
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_reading_reports_leaves_the_process_logging_as_it_was(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Issue 17: the reader is a library; it must not set levels or silence loggers of the process
    that loads it, and it has nothing to say on stderr either."""
    names = ["", "spacy", "medspacy", "PyRuSH"]
    before = {name: logging.getLogger(name).level for name in names}
    handlers = list(logging.getLogger().handlers)
    pipeline.cache_clear()
    try:
        assert find_in_reports(["Cannot rule out screw loosening."])
    finally:
        pipeline.cache_clear()
    assert {name: logging.getLogger(name).level for name in names} == before
    assert logging.getLogger().handlers == handlers
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
