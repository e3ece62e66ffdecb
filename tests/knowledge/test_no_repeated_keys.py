"""No knowledge file states a key twice in one mapping.

YAML loaders keep the last of two equal keys without a word, so a block pasted twice, or an edited
copy left above the original, would have the reader silently use one of them. Every file under
knowledge/ is read here with a loader that refuses a repeated key.
"""

from typing import Any

import pytest
import yaml

from spinetrack.domain.knowledge import all_files, read_text


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with a repeated key."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

YAML_FILES = [name for name in all_files() if name.endswith(".yaml")]


def test_the_knowledge_folder_has_yaml_files() -> None:
    assert len(YAML_FILES) > 20


@pytest.mark.parametrize("name", YAML_FILES)
def test_no_mapping_repeats_a_key(name: str) -> None:
    yaml.load(read_text(name), Loader=_StrictLoader)


def test_a_repeated_key_is_refused() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="appears twice"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_StrictLoader)
