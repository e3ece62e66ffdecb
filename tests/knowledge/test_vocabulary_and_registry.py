"""The registry's data files load, carry sources, and keep the contract's vocabulary exactly."""

from pathlib import Path

import pytest
import yaml

from spinetrack.domain.knowledge import all_files, rules_version
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.vocabulary import vocabulary

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "triage-vocabulary.yaml"


def test_every_procedure_of_the_vocabulary_has_a_place_in_the_surgical_matrix() -> None:
    matrix = surgery_matrix()
    assert set(matrix.procedures) == set(vocabulary().procedures)
    for entry in matrix.procedures.values():
        assert entry.principle in matrix.principles
        assert set(entry.usual_approaches) <= set(matrix.approaches)


def test_registry_files_cite_their_sources() -> None:
    assert surgery_matrix().sources and catalogue().sources and vocabulary().sources


def test_the_rules_version_is_a_stable_short_hash() -> None:
    version = rules_version()
    assert len(version) == 12 and all(c in "0123456789abcdef" for c in version)
    rules_version.cache_clear()
    assert rules_version() == version
    assert "triage/vocabulary.yaml" in all_files()


@pytest.mark.skipif(not SPEC.exists(), reason="shared/spec is not beside the repository")
def test_the_vocabulary_keeps_every_id_of_the_contract() -> None:
    spec = yaml.safe_load(SPEC.read_text())
    ours = vocabulary().model_dump()
    for section, ids in spec.items():
        wanted = set(ids) if isinstance(ids, (list, dict)) else {ids}
        assert wanted <= set(ours[section]), section
