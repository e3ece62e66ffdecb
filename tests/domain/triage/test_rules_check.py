"""The rules check passes on the shipped rules and finds each kind of fault in a broken copy."""

import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.triage import rules_check
from spinetrack.domain.triage.conditions import Condition
from spinetrack.domain.triage.reachability import can_hold, can_hold_together
from spinetrack.domain.triage.rules import read_rules
from spinetrack.domain.triage.rules_check import check_rules, checked_rules

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    source = resources.files("spinetrack").joinpath("knowledge", "triage")
    target = tmp_path / "triage"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    return target


def edit(folder: Path, name: str, change: Edit) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    return [str(p) for p in check_rules(folder).problems]


def cause(data: dict[str, Any], cause_id: str) -> dict[str, Any]:
    return next(c for c in data["causes"] if c["id"] == cause_id)


def test_the_shipped_rules_pass() -> None:
    report = check_rules()
    assert report.ok, report.problems
    assert report.summary.startswith("8 red flags, 19 causes")


def test_an_unchanged_copy_passes(rules_copy: Path) -> None:
    assert problems(rules_copy) == []


def _misspell_red_flag_finding(data: dict[str, Any]) -> None:
    data["red_flags"][-1]["criteria"] = {"type": "finding", "id": "significant_truama"}


def _drop_sources(data: dict[str, Any]) -> None:
    data["causes"][0]["sources"] = []


def _impossible_requirement(data: dict[str, Any]) -> None:
    cause(data, "arachnoiditis")["requires"] = {
        "type": "all_of",
        "of": [
            {"type": "region", "one_of": ["cervical"]},
            {"type": "region", "one_of": ["lumbar"]},
        ],
    }


def _evidence_against_its_requirement(data: dict[str, Any]) -> None:
    cause(data, "pseudarthrosis")["evidence_for"].append(
        {
            "label": "after discectomy",
            "when": {"type": "procedure", "one_of": ["discectomy"]},
            "weight": 1,
        }
    )


def _too_little_evidence(data: dict[str, Any]) -> None:
    cause(data, "csf_leak")["evidence_for"] = [
        {"when": {"type": "finding", "id": "pseudomeningocele"}, "weight": 1}
    ]


def _drop_red_flag(data: dict[str, Any]) -> None:
    data["red_flags"] = [f for f in data["red_flags"] if f["id"] != "fracture"]


def _unknown_urgency(data: dict[str, Any]) -> None:
    data["red_flags"][0]["urgency"] = "soon"


def _duplicate_cause(data: dict[str, Any]) -> None:
    data["causes"].append(dict(data["causes"][0]))


def _reverse_likelihood(data: dict[str, Any]) -> None:
    data["scoring"]["likelihood"] = {"high": 0.4, "moderate": 0.6}


def _unknown_test(data: dict[str, Any]) -> None:
    data["causes"]["stenosis"][0]["id"] = "pet_scan"


def _no_tests_for_a_cause(data: dict[str, Any]) -> None:
    del data["causes"]["instability"]


def _two_steps(data: dict[str, Any]) -> None:
    data["causes"]["stenosis"][0]["step"] = 2


def _unknown_region_in_when(data: dict[str, Any]) -> None:
    data["causes"]["adjacent_segment_disease"][-1]["when"] = {"type": "region", "one_of": ["neck"]}


BROKEN: list[tuple[str, str, Edit, str]] = [
    (
        "red flag names an unknown finding",
        "red_flags.yaml",
        _misspell_red_flag_finding,
        "red_flags.yaml: red_flags.7.criteria: unknown finding 'significant_truama'",
    ),
    (
        "a cause without sources",
        "causes.yaml",
        _drop_sources,
        "causes.yaml: causes.0.sources: List should have at least 1 item",
    ),
    (
        "a cause whose requirements can never hold",
        "causes.yaml",
        _impossible_requirement,
        "requires: can never hold",
    ),
    (
        "evidence that contradicts its requirement",
        "causes.yaml",
        _evidence_against_its_requirement,
        "can never hold together with requires",
    ),
    (
        "a cause that can never be listed",
        "causes.yaml",
        _too_little_evidence,
        "below the listing threshold",
    ),
    (
        "a contract red flag without a rule",
        "red_flags.yaml",
        _drop_red_flag,
        "no rule for red flag 'fracture'",
    ),
    ("an unknown urgency", "red_flags.yaml", _unknown_urgency, "unknown urgency 'soon'"),
    (
        "a cause listed twice",
        "causes.yaml",
        _duplicate_cause,
        "'epidural_hematoma' is listed more than once",
    ),
    (
        "likelihood bands reversed",
        "causes.yaml",
        _reverse_likelihood,
        "moderate must be below high",
    ),
    (
        "an unknown test",
        "workup.yaml",
        _unknown_test,
        "workup.yaml: causes.stenosis.0.id: unknown test 'pet_scan'",
    ),
    (
        "a cause without tests",
        "workup.yaml",
        _no_tests_for_a_cause,
        "no test listed for cause 'instability'",
    ),
    (
        "a treatment with two steps",
        "treatments.yaml",
        _two_steps,
        "'physical_therapy' has different steps",
    ),
    (
        "an unknown id inside a treatment condition",
        "treatments.yaml",
        _unknown_region_in_when,
        "unknown region 'neck'",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "expected"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_copy_reports_the_fault(
    rules_copy: Path, name: str, change: Edit, expected: str
) -> None:
    edit(rules_copy, name, change)
    found = problems(rules_copy)
    assert any(expected in p for p in found), found


def test_a_missing_file_and_bad_yaml_are_reported(rules_copy: Path) -> None:
    (rules_copy / "workup.yaml").unlink()
    (rules_copy / "psps2.yaml").write_text("chronic_from_days: [91\n", encoding="utf-8")
    found = problems(rules_copy)
    assert any(p.startswith("workup.yaml: no such knowledge file") for p in found), found
    assert any(p.startswith("psps2.yaml: not valid YAML") for p in found), found


def test_an_unknown_key_is_reported_with_its_place(rules_copy: Path) -> None:
    edit(rules_copy, "causes.yaml", lambda d: d["causes"][1].update({"wieght": 2}))
    assert "causes.yaml: causes.1.wieght: Extra inputs are not permitted" in problems(rules_copy)


def test_the_engine_refuses_rules_that_fail_the_check(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(rules_copy, "red_flags.yaml", _misspell_red_flag_finding)
    broken = read_rules(rules_copy)
    monkeypatch.setattr(rules_check, "read_rules", lambda: broken)
    with pytest.raises(KnowledgeError) as error:
        checked_rules.__wrapped__()
    assert "triage/red_flags.yaml: red_flags.7.criteria: unknown finding" in error.value.message


CONDITION: TypeAdapter[Condition] = TypeAdapter(Condition)


@pytest.mark.parametrize(
    ("data", "possible"),
    [
        ({"type": "pain_score", "site": "limb", "at_least": 10}, True),
        ({"type": "pain_score", "site": "limb", "at_least": 10.5}, False),
        ({"type": "age", "below": 0}, False),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "months_since_surgery", "at_least": 12},
                    {"type": "days_since_surgery", "below": 300},
                ],
            },
            False,
        ),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "months_since_surgery", "at_least": 12},
                    {"type": "days_since_surgery", "below": 400},
                ],
            },
            True,
        ),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "finding", "id": "fever"},
                    {"type": "not", "of": {"type": "finding", "id": "fever"}},
                ],
            },
            False,
        ),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "pain_pattern", "predominant": "axial"},
                    {"type": "all_of", "of": [{"type": "pain_pattern", "predominant": "limb"}]},
                ],
            },
            False,
        ),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "course", "one_of": ["improving"]},
                    {"type": "course", "one_of": ["improving", "never_improved"]},
                ],
            },
            True,
        ),
        (
            {
                "type": "all_of",
                "of": [
                    {"type": "procedure", "one_of": ["fusion"]},
                    {"type": "procedure", "one_of": ["discectomy"], "surgery": "any"},
                ],
            },
            True,
        ),
        ({"type": "not", "of": {"type": "days_since_surgery", "at_least": 0}}, False),
        ({"type": "not", "of": {"type": "pain_free_interval_days"}}, True),
        (
            {
                "type": "at_least",
                "n": 2,
                "of": [{"type": "age", "below": 0}, {"type": "finding", "id": "fever"}],
            },
            False,
        ),
        (
            {
                "type": "any_of",
                "of": [{"type": "age", "below": 0}, {"type": "finding", "id": "fever"}],
            },
            True,
        ),
    ],
)
def test_reachability_finds_contradictions(data: dict[str, Any], possible: bool) -> None:
    assert can_hold(CONDITION.validate_python(data)) is possible


def test_no_condition_can_always_hold_together() -> None:
    assert can_hold_together(None, None)
