"""The medspaCy pipeline that reads reports: built once per process, quiet, with no model download.

A blank spaCy English pipeline with medspaCy's tokenizer, sentence splitter (pysbd), target matcher
and ConText, its rules built from knowledge/reports/. medspaCy is imported here, lazily, so a triage
case without report text never pays its import and build time (about a second).
"""

import types
import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

from spinetrack.domain.reports import deferred_imports
from spinetrack.domain.reports.rules import (
    ModifierRule,
    alternation,
    modifier_rules,
    term_rules,
)

if TYPE_CHECKING:
    from spacy.language import Language

TARGETS = "medspacy_target_matcher"
CONTEXT = "medspacy_context"
SECTIONS = "spinetrack_sections"
VALUES = "spinetrack_values"
CONCEPTS = "spinetrack_concepts"
LEVELS = "spinetrack_levels"
CAUSES = "spinetrack_stated_causes"
SPANS = "medspacy_spans"
"""The span group every finding mention goes to: overlapping mentions all stay, so one stretch of
text can give several findings ("progressive weakness of both legs")."""
# medspaCy's pysbd splitter, not its default PyRuSH: PyRuSH measured ~20 ms per 1,000 characters
# here (1,000 reports would take 10-20 s), pysbd ~3 ms, and pysbd splits report lines more cleanly.
SENTENCES = "medspacy_pysbd"


def _medspacy_tokenizer(nlp: "Language") -> Any:
    """medSpaCy's clinical tokenizer, made as the pipeline's own tokenizer (spaCy's
    ``create_tokenizer``), so spaCy's default English tokenizer is never built only to be
    replaced: building one loads every tokenizer exception, a fifth of the pipeline's build.

    ``create_medspacy_tokenizer`` reads the language's defaults, its vocabulary and the default
    tokenizer's ``token_match``, which for a blank English pipeline is the defaults' own; while
    spaCy makes the tokenizer the pipeline has none yet, so it is handed a view with exactly those.
    """
    from medspacy.custom_tokenizer import create_medspacy_tokenizer  # type: ignore[import-untyped]

    view = types.SimpleNamespace(
        Defaults=nlp.Defaults,
        vocab=nlp.vocab,
        tokenizer=types.SimpleNamespace(token_match=nlp.Defaults.token_match),
    )
    return create_medspacy_tokenizer(view)


def _rule_dicts(
    base: dict[str, Any], phrases: list[str], regexes: list[str], tokens: list[Any]
) -> list[dict[str, Any]]:
    """medspaCy rule dictionaries: phrases match lower-case tokens, a string pattern is a regex,
    a list pattern is a spaCy token pattern (the literal is then only its name).

    An entry's regexes are joined into one alternation: medspaCy's regex matcher rebuilds the
    document text for every pattern, so one pattern per entry instead of one per regex roughly
    halves the time spent matching.
    """
    rules = [{**base, "literal": phrase} for phrase in phrases]
    if regexes:
        joined = alternation(regexes)  # compiled (and cached by `re`) when the rules were read
        rules.append({**base, "literal": joined, "pattern": joined})
    rules += [{**base, "literal": f"tokens {i}", "pattern": t} for i, t in enumerate(tokens)]
    return rules


def _modifier_base(rule: ModifierRule) -> dict[str, Any]:
    base: dict[str, Any] = {"category": rule.category, "direction": rule.direction}
    if rule.max_scope is not None:
        base["max_scope"] = rule.max_scope
    if rule.excluded_findings:
        base["excluded_types"] = rule.excluded_findings
    if rule.allowed_findings:
        base["allowed_types"] = rule.allowed_findings
    return base


def target_dicts() -> list[dict[str, Any]]:
    """Every target rule as medspaCy's ``TargetRule.from_dict`` reads it; the category is the
    finding id."""
    return [
        rule
        for terms in term_rules().terms
        for rule in _rule_dicts(
            {"category": terms.finding}, terms.phrases, terms.regexes, terms.tokens
        )
    ]


def modifier_dicts() -> list[dict[str, Any]]:
    """Every ConText modifier rule as medspaCy's ``ConTextRule.from_dict`` reads it."""
    return [
        rule
        for modifier in modifier_rules().modifiers
        for rule in _rule_dicts(
            _modifier_base(modifier), modifier.phrases, modifier.regexes, modifier.tokens
        )
    ]


@cache
def pipeline() -> "Language":
    """The report pipeline, built on first use and then shared by every caller in the process.

    It leaves the process's logging as it found it (issue 17): no logger's level is changed and no
    library is silenced. Nothing here needs it: the only noisy component, PyRuSH (which logs every
    token through loguru), is not in this pipeline, which splits sentences with pysbd."""
    deferred_imports.defer_unused_libraries()
    # spaCy 3.7 imports a name click has deprecated; the warning is about spaCy's CLI, which we do
    # not use, so it is kept from the user. Runs once, at first use.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import medspacy  # type: ignore[import-untyped]  # noqa: F401  (registers its components)
        from medspacy.context import ConTextRule  # type: ignore[import-untyped]
        from medspacy.ner import TargetRule  # type: ignore[import-untyped]

    from spacy.lang.en import English

    deferred_imports.bind_spacy_cli()
    from spinetrack.domain.reports import (  # registers the components
        cause_component,
        concept_component,
        level_component,
        sections,
        value_component,
    )

    # What medspacy.load("default", medspacy_enable=["medspacy_tokenizer"]) builds (a blank
    # English pipeline with medSpaCy's tokenizer), without the default tokenizer it replaces.
    nlp: Language = English(create_tokenizer=_medspacy_tokenizer)
    nlp.add_pipe(SENTENCES)
    nlp.add_pipe(sections.COMPONENT, name=SECTIONS)
    # medspaCy's components are untyped; spaCy types them as plain doc -> doc callables.
    targets: Any = nlp.add_pipe(
        TARGETS, config={"result_type": "group", "span_group_name": SPANS, "prune": False}
    )
    nlp.add_pipe(value_component.COMPONENT, name=VALUES, config={"span_group_name": SPANS})
    nlp.add_pipe(concept_component.COMPONENT, name=CONCEPTS, config={"span_group_name": SPANS})
    nlp.add_pipe(level_component.COMPONENT, name=LEVELS, config={"span_group_name": SPANS})
    nlp.add_pipe(cause_component.COMPONENT, name=CAUSES, config={"span_group_name": SPANS})
    context: Any = nlp.add_pipe(
        CONTEXT,
        config={
            "rules": None,
            "prune_on_target_overlap": True,
            "span_attrs": "default",
            "input_span_type": "group",
            "span_group_name": SPANS,
        },
    )
    nlp.add_pipe(value_component.NEGATION_REACH, config={"span_group_name": SPANS})
    # Literal phrases are tokenized through the pipeline; with the components off, only the
    # tokenizer runs, so building the rules does not run the matchers on them.
    with nlp.select_pipes(disable=nlp.pipe_names):
        targets.add([TargetRule.from_dict(rule) for rule in target_dicts()])
        context.add([ConTextRule.from_dict(rule) for rule in modifier_dicts()])
    from spinetrack.domain.reports.regex_matching import read_text_once

    read_text_once(targets)
    read_text_once(context)
    return nlp
