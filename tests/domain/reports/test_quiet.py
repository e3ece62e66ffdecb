"""The NLP libraries stay quiet: reading reports changes no process-wide logging and prints
nothing (the whole `spinetrack triage` command is checked in tests/cli/test_triage_quiet.py)."""

import logging

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.pipeline import pipeline


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
