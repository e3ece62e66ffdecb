"""The report wording files: they load, cite sources, name only vocabulary ids, and become
medspaCy rules."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports.pipeline import modifier_dicts, pipeline, target_dicts
from spinetrack.domain.reports.rules import (
    MODIFIERS_FILE,
    TERMS_FILE,
    modifier_rules,
    parse_modifiers,
    parse_terms,
    term_rules,
)
from spinetrack.domain.reports.signs import sign_ids
from spinetrack.domain.vocabulary import vocabulary


def _shipped(path: str) -> Any:
    return copy.deepcopy(load_yaml(path))


def test_both_files_load_with_sources_and_every_term_cites_its_own() -> None:
    assert term_rules().sources and modifier_rules().sources
    assert all(terms.sources for terms in term_rules().terms)


def test_every_term_names_a_finding_of_the_vocabulary_or_a_sign_once() -> None:
    findings = [terms.finding for terms in term_rules().terms]
    assert len(findings) == len(set(findings))
    assert set(findings) <= set(vocabulary().findings) | sign_ids()


def test_signs_are_not_vocabulary_findings_and_each_has_wording() -> None:
    """A sign shadowing a vocabulary id would leave the finding out of extracted_findings; each
    sign is read by a term rule or, for a measured sign (esr_raised), by a value rule, or set by a
    stated cause (fracture_elsewhere, stated_causes.yaml)."""
    from spinetrack.domain.reports.cause_words import signs_set
    from spinetrack.domain.reports.values import value_rules

    assert sign_ids().isdisjoint(vocabulary().findings)
    read_by = {terms.finding for terms in term_rules().terms}
    read_by |= {rule.finding for rule in value_rules().rules}
    read_by |= signs_set()
    assert sign_ids() <= read_by


def test_a_finding_can_only_yield_to_a_known_finding() -> None:
    data = _shipped(TERMS_FILE)
    data["terms"][3]["yields_to"] = ["bowel_dysfunktion"]
    with pytest.raises(KnowledgeError) as error:
        parse_terms(data)
    assert error.value.field == "terms.3.yields_to.0"


def test_an_unknown_finding_id_is_refused_naming_the_field() -> None:
    data = _shipped(TERMS_FILE)
    data["terms"][3]["finding"] = "screw_lucenzy"
    with pytest.raises(KnowledgeError) as error:
        parse_terms(data)
    assert error.value.field == "terms.3.finding"
    assert "screw_lucenzy" in error.value.message


def test_a_regex_that_does_not_compile_is_refused() -> None:
    data = _shipped(TERMS_FILE)
    data["terms"][0]["regexes"] = ["\\bno (bridging"]
    with pytest.raises(KnowledgeError) as error:
        parse_terms(data)
    assert error.value.field == "terms.0.regexes"


def test_a_modifier_needs_a_known_category_and_direction() -> None:
    data = _shipped(MODIFIERS_FILE)
    data["modifiers"][0]["direction"] = "SIDEWAYS"
    with pytest.raises(KnowledgeError) as error:
        parse_modifiers(data)
    assert error.value.field == "modifiers.0.direction"


def test_a_modifier_excluding_an_unknown_finding_is_refused() -> None:
    data = _shipped(MODIFIERS_FILE)
    data["modifiers"][0]["excluded_findings"] = ["cancer"]
    with pytest.raises(KnowledgeError) as error:
        parse_modifiers(data)
    assert error.value.field == "modifiers.0.excluded_findings.0"


def test_a_term_with_no_wording_is_refused() -> None:
    data = _shipped(TERMS_FILE)
    data["terms"][0] = {"finding": "fever", "sources": ["x et al"]}
    with pytest.raises(KnowledgeError):
        parse_terms(data)


def test_every_rule_of_the_data_becomes_one_medspacy_rule() -> None:
    nlp = pipeline()
    targets = nlp.get_pipe("medspacy_target_matcher")
    context = nlp.get_pipe("medspacy_context")
    assert len(targets.rules) == len(target_dicts())
    assert len(context.rules) == len(modifier_dicts())
    assert {rule.category for rule in targets.rules} == {t.finding for t in term_rules().terms}
