"""Sentences written for the phrasing-family rules of issue 16, read as their files say.

Each case in a ``sentences_<branch>.yaml`` listed below is a sentence written for these tests (no
corpus text): the findings it must read present (``expect``, ``affirmed`` or ``uncertain``; the
other statuses of sentences.yaml mean not read present) or must not read present (``not_found``),
and optionally the red flags a fusion case with it as its only report, in ``region`` (lumbar
unless given), must raise (``flags``) or must not raise (``no_flags``) ``days`` after surgery. One
test for every file of this shape, so a new file of cases needs only its name here (a file named
otherwise, such as tune16l's or weak16p's, holds cases that only say what must not be read, which
the sentence corpus's precision score would count against it).
"""

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.report_cases import flags_reader

from spinetrack.domain.reports import find_in_reports

FILES = {
    "sentences_tune16e.yaml": "document shapes and voices of the eleventh blind set",
    "sentences_tune16f.yaml": "imaging, level and block findings as phrasing families",
    "sentences_tune16h.yaml": "lay voices of the twelfth blind set: metaphors, chats, logs",
    "sentences_tune16j.yaml": "symptom and sign families across the twelve blind writers",
    "sentences_tune16i.yaml": "imaging queried before a scan; limb pain the same as before",
    "sentences_tune16k.yaml": "clinical voices of the thirteenth blind set: cord causes, TB, rescue",
    "tune16l_sentences.yaml": "lay voices of the thirteenth blind set: relatives, asides, lay words",
    "tune16q_sentences.yaml": "British spine-department documents of the fourteenth set, part A",
    "fix16m_sentences.yaml": "known reader bugs mended: scope, hedges after, lay weakness, lists",
    "prec16n_sentences.yaml": "precision: words meaning something else, another finding's words",
    "tune16r_sentences.yaml": "EMR documents of the fourteenth blind set: levels, EMG, templates",
    "weak16p_sentences.yaml": "the findings read worst on unseen text, said many ways, and look-alikes",
    "leaks16t_sentences.yaml": "findings told over later: named again as over, re-exams, back to full",
}
_CASES: list[tuple[str, dict[str, Any]]] = [
    (name, case)
    for name in FILES
    for case in yaml.safe_load((Path(__file__).parent / name).read_text(encoding="utf-8"))
]
_flags = flags_reader(days=30)


@pytest.mark.parametrize(
    "case",
    [case for _, case in _CASES],
    ids=[
        f"{name.removeprefix('sentences_').removesuffix('.yaml')}: {case['text'][:60]}"
        for name, case in _CASES
    ],
)
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
