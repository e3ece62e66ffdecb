"""The medspaCy pipeline that reads reports: built once per process, quiet, with no model download.

A blank spaCy English pipeline with medspaCy's tokenizer, sentence splitter (pysbd), target matcher
and ConText, its rules built from knowledge/reports/. medspaCy is imported here, lazily, so a triage
case without report text never pays its import and build time (about a second).
"""

import importlib.util
import sys
import types
import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

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
SPANS = "medspacy_spans"
"""The span group every finding mention goes to: overlapping mentions all stay, so one stretch of
text can give several findings ("progressive weakness of both legs")."""
# medspaCy's pysbd splitter, not its default PyRuSH: PyRuSH measured ~20 ms per 1,000 characters
# here (1,000 reports would take 10-20 s), pysbd ~3 ms, and pysbd splits report lines more cleanly.
SENTENCES = "medspacy_pysbd"


def _defer_nltk() -> None:
    """Load NLTK only if something uses it. medspaCy imports QuickUMLS at import time, and
    QuickUMLS imports NLTK (2-3 s here) though it only touches it inside a QuickUMLS matcher,
    which this pipeline never builds. A stand-in module takes NLTK's place in ``sys.modules``; the
    first attribute anyone asks of it imports the real NLTK and hands over (PEP 562 module
    ``__getattr__``). The standard library's LazyLoader cannot do this on Python 3.11: the import
    system reads ``__spec__`` of a module already imported, which would load it at once."""
    if "nltk" in sys.modules or importlib.util.find_spec("nltk") is None:
        return
    stand_in = types.ModuleType("nltk", "Stand-in that imports NLTK on first use.")

    def load(name: str) -> Any:
        del sys.modules["nltk"]
        real = importlib.import_module("nltk")
        stand_in.__dict__.update(real.__dict__)
        return getattr(real, name)

    stand_in.__getattr__ = load  # type: ignore[method-assign]
    sys.modules["nltk"] = stand_in


def _defer_spacy_cli() -> None:
    """Keep spaCy's command line unloaded. ``import spacy`` imports ``spacy.cli.info`` only to
    re-export ``info``, and with it the whole ``spacy.cli`` package (every training and project
    command, typer apps, requests): a third of a second or more on every triage with reports. A
    stand-in package (its ``__path__`` the real folder, so a submodule still imports) and a
    stand-in ``info`` take their places; touching the package, or calling ``info``, imports the
    real ones and hands over, as for NLTK above."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.submodule_search_locations is None:
        return
    package = types.ModuleType("spacy.cli", "Stand-in that imports spaCy's CLI on first use.")
    package.__path__ = [f"{folder}/cli" for folder in spec.submodule_search_locations]
    package.__package__ = "spacy.cli"
    info_module = types.ModuleType("spacy.cli.info", "Stand-in for spacy.cli.info.")

    def real_cli() -> types.ModuleType:
        for name in ("spacy.cli", "spacy.cli.info"):
            if sys.modules.get(name) in (package, info_module):
                del sys.modules[name]
        real = importlib.import_module("spacy.cli")
        package.__dict__.update({k: v for k, v in real.__dict__.items() if k != "__path__"})
        return real

    def load(name: str) -> Any:
        if name.startswith("__"):  # `__file__` and the like, asked by tools that only look
            raise AttributeError(name)
        return getattr(real_cli(), name)

    def info(*args: Any, **kwargs: Any) -> Any:
        return real_cli().info(*args, **kwargs)

    package.__getattr__ = load  # type: ignore[method-assign]
    info_module.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = package
    sys.modules["spacy.cli.info"] = info_module


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
    _defer_nltk()
    _defer_spacy_cli()
    # spaCy 3.7 imports a name click has deprecated; the warning is about spaCy's CLI, which we do
    # not use, so it is kept from the user. Runs once, at first use.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import medspacy  # type: ignore[import-untyped]
        from medspacy.context import ConTextRule  # type: ignore[import-untyped]
        from medspacy.ner import TargetRule  # type: ignore[import-untyped]

    spacy: Any = sys.modules.get("spacy")
    if spacy is not None and not hasattr(spacy, "cli"):
        # spaCy was imported with the stand-in CLI in place, which the import system does not
        # bind as an attribute: bind it, so `spacy.cli.…` still reaches (and loads) the real one.
        spacy.cli = sys.modules["spacy.cli"]
    from spinetrack.domain.reports import (  # registers the components
        concept_component,
        level_component,
        sections,
        value_component,
    )

    nlp: Language = medspacy.load("default", medspacy_enable=["medspacy_tokenizer"])
    nlp.add_pipe(SENTENCES)
    nlp.add_pipe(sections.COMPONENT, name=SECTIONS)
    # medspaCy's components are untyped; spaCy types them as plain doc -> doc callables.
    targets: Any = nlp.add_pipe(
        TARGETS, config={"result_type": "group", "span_group_name": SPANS, "prune": False}
    )
    nlp.add_pipe(value_component.COMPONENT, name=VALUES, config={"span_group_name": SPANS})
    nlp.add_pipe(concept_component.COMPONENT, name=CONCEPTS, config={"span_group_name": SPANS})
    nlp.add_pipe(level_component.COMPONENT, name=LEVELS, config={"span_group_name": SPANS})
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
    return nlp
