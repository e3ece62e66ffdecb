"""tune16k: the phrasing families and red-flag signs of the thirteenth blind set's clinical voices
(part A), read from sentences written for these tests (sentences_tune16k.yaml, no corpus text).

Each case gives the findings the sentence must read present (``expect``, affirmed or uncertain;
another status means not read present) or must not (``not_found``), and the red flags a case in
``region`` operated ``days`` before, with the sentence as its only report, raises (``flags``) or
does not (``no_flags``).
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.report_cases import flags_reader

from spinetrack.domain.reports import find_in_reports

_CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "sentences_tune16k.yaml").read_text(encoding="utf-8")
)
_flags = flags_reader(days=30)


@pytest.mark.parametrize("case", _CASES, ids=[case["text"][:60] for case in _CASES])
def test_sentence(case: dict[str, Any]) -> None:
    found = {m.id: m.status for m in find_in_reports([case["text"]])}
    for finding, status in case.get("expect", {}).items():
        if status in {"affirmed", "uncertain"}:
            assert found.get(finding) == status, (finding, found)
        else:
            assert finding not in found, (finding, found)
    for finding in case.get("not_found", []):
        assert finding not in found, (finding, found)
    if "flags" in case or "no_flags" in case:
        flags = _flags(case["text"], region=case.get("region", "lumbar"), days=case.get("days", 30))
        for flag in case.get("flags", []):
            assert flag in flags, (flag, flags)
        for flag in case.get("no_flags", []):
            assert flag not in flags, (flag, flags)
