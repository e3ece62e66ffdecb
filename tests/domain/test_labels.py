"""One name per vocabulary id: every id named once, names unique within their kind, every finding
in one checklist group."""

import copy

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.labels import KINDS, LABELS_FILE, Labels, _check, labels
from spinetrack.domain.vocabulary import vocabulary


@pytest.mark.parametrize("kind", KINDS)
def test_every_id_has_one_name_and_no_two_ids_share_it(kind: str) -> None:
    names: dict[str, str] = getattr(labels(), kind)
    assert set(names) == set(getattr(vocabulary(), kind))
    assert len(set(names.values())) == len(names), kind
    assert all(name[:1].isupper() or name[:1].isdigit() for name in names.values())


def test_every_finding_sits_in_exactly_one_group() -> None:
    grouped = [f for group in labels().finding_groups for f in group.findings]
    assert sorted(grouped) == sorted(vocabulary().findings)


def test_a_name_for_an_unknown_id_is_refused() -> None:
    data = copy.deepcopy(load_yaml(LABELS_FILE))  # the cached file must stay as shipped
    data["causes"] = {**data["causes"], "not_a_cause": "Not a cause"}
    with pytest.raises(KnowledgeError, match="not_a_cause"):
        _check(Labels.model_validate(data))


def test_an_unknown_id_reads_as_itself() -> None:
    assert labels().of("causes", "pseudarthrosis") == "Pseudarthrosis (failed fusion)"
    assert labels().of("causes", "something_else") == "something_else"
