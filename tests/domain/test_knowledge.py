"""The knowledge reader: strict models, errors that name the file and the field."""

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, list_files, load_yaml, parse, read_text
from spinetrack.domain.sources import Sources


class Entry(KnowledgeModel):
    name: str
    sources: Sources


def test_a_valid_entry_parses() -> None:
    entry = parse("inline.yaml", Entry, {"name": "x", "sources": ["Someone 2020, Journal"]})
    assert entry.name == "x"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "x", "sources": []}, "sources"),
        ({"name": "x"}, "sources"),
        ({"name": "x", "sources": ["ok source"], "typo": 1}, "typo"),
    ],
)
def test_a_broken_entry_names_file_and_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(KnowledgeError) as error:
        parse("broken.yaml", Entry, data)
    assert error.value.file == "broken.yaml"
    assert error.value.field == field


def test_a_missing_file_is_a_knowledge_error() -> None:
    with pytest.raises(KnowledgeError, match="no such knowledge file"):
        read_text("nowhere/none.yaml")


def test_files_are_listed_sorted_and_parsed_once() -> None:
    files = list_files("registry")
    assert files == sorted(files) and "registry/surgery.yaml" in files
    assert load_yaml("registry/surgery.yaml") is load_yaml("registry/surgery.yaml")
    assert list_files("no-such-folder") == []


def test_a_file_that_is_not_yaml_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from spinetrack.domain import knowledge

    monkeypatch.setattr(knowledge, "read_text", lambda _: "rules: [unclosed")
    with pytest.raises(knowledge.KnowledgeError, match="not valid YAML") as error:
        knowledge.load_yaml("triage/never-shipped.yaml")
    assert "triage/never-shipped.yaml" in str(error.value)
    knowledge.load_yaml.cache_clear()
