"""The status rules file is checked against the instruments and the windows it names."""

from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml, parse
from spinetrack.domain.outcomes.rules import STATUS_FILE, StatusRules, checked
from spinetrack.domain.outcomes.windows import rank


def rules_with(**changes: Any) -> StatusRules:
    data: dict[str, Any] = {**load_yaml(STATUS_FILE), **changes}
    return parse(STATUS_FILE, StatusRules, data)


@pytest.mark.parametrize(
    ("instruments", "message"),
    [
        (["odi", "eq5d"], "unknown instrument 'eq5d'"),
        (["nrs_back"], "nrs_back is a pain instrument"),
    ],
)
def test_the_disability_instruments_must_exist_and_measure_disability(
    instruments: list[str], message: str
) -> None:
    with pytest.raises(KnowledgeError, match=message) as raised:
        checked(rules_with(disability_instruments=instruments))
    assert raised.value.file == STATUS_FILE


def test_the_time_point_judged_from_must_be_in_the_schedule() -> None:
    broken = dict(load_yaml(STATUS_FILE)["judged_from"], timepoint="9m")
    with pytest.raises(KnowledgeError) as raised:
        checked(rules_with(judged_from=broken))
    assert raised.value.field == "judged_from.timepoint"


def test_the_shipped_rules_pass_the_check() -> None:
    assert checked(rules_with()).judged_from.timepoint == "3m"


def test_an_unknown_time_point_has_no_rank() -> None:
    assert rank("12m") == 4
    with pytest.raises(KeyError):
        rank("9m")
