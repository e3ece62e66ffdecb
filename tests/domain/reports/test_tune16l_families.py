"""Sentences for the rules added for the thirteenth blind set's lay and community voices (tune16l).

Each case in tune16l_sentences.yaml is a sentence written for these tests (no corpus text): the
findings it must read present (``expect``, ``affirmed`` or ``uncertain``; any other status means
not read present), those it must not read present (``not_found``), and the red flags a case with
it as its only report, in ``region`` (lumbar unless given) ``days`` after a fusion (30 unless
given), must raise (``flags``) or must not raise (``no_flags``).
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.report_cases import flags_reader

from spinetrack.domain.reports import find_in_reports

_CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "tune16l_sentences.yaml").read_text(encoding="utf-8")
)
_flags = flags_reader(days=30)


@pytest.mark.parametrize("case", _CASES, ids=[case["text"][:70] for case in _CASES])
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
