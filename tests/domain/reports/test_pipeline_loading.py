"""How the report reader loads: building it leaves spaCy's command line (its training and project
commands, requests, typer apps) unimported, and the library still reaches it on demand."""

import subprocess
import sys

from spinetrack.domain.reports.rules import READER_FLAGS, alternation

PROBE = """
import sys
from spinetrack.domain.reports.pipeline import pipeline
nlp = pipeline()
doc = nlp("CT: no bridging bone across L4-5.")
print(sorted(span.label_ for span in doc.spans["medspacy_spans"]))
print("spacy.cli._util" in sys.modules, "requests" in sys.modules)
import spacy
print(callable(spacy.info), callable(spacy.cli.download), "spacy.cli._util" in sys.modules)
"""


def test_the_reader_is_built_without_spacys_command_line_which_still_loads_on_demand() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300, check=True
    )
    found, before, after = result.stdout.splitlines()
    assert "ct_no_bridging_bone" in found
    assert before == "False False"  # building and reading never loaded the CLI
    assert after == "True True True"  # asking for it loads the real one


def test_the_checked_alternation_is_the_pattern_the_reader_compiles() -> None:
    import re

    joined = alternation(["no bridging", r"non[- ]?union"])
    assert joined == "(?:no bridging)|(?:non[- ]?union)"
    assert re.compile(joined, READER_FLAGS).search("NON-UNION at L5")


UNUSED_PROBE = """
import sys
from spinetrack.domain.reports.pipeline import pipeline
doc = pipeline()("Clinic: denies fever. Pt c/o chf+cp, CRP 120 mg/L.")
print(sorted(span.label_ for span in doc.spans["medspacy_spans"]))
print([t.text for t in doc][6:11])
def real(name):
    module = sys.modules.get(name)
    return module is not None and not (module.__doc__ or "").startswith("Stand-in")
print([name for name in ("loguru", "asyncio", "langcodes", "tqdm", "srsly.cloudpickle", "nltk",
                         "srsly.ruamel_yaml") if real(name)])
import inspect
inspect.getmodule(pipeline)  # asks every module for its file: loads none of them
import langcodes, srsly, tqdm.auto  # a submodule of a deferred package imports
from loguru import logger
print(langcodes.Language.get("en").language, len(srsly.pickle_loads(srsly.pickle_dumps([1]))),
      srsly.yaml_loads("a: 1"))
print(callable(logger.debug), real("loguru"), real("langcodes"), real("srsly.cloudpickle"))
"""


def test_libraries_the_reader_never_uses_stay_unloaded_and_still_load_on_demand() -> None:
    result = subprocess.run(
        [sys.executable, "-c", UNUSED_PROBE],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found, tokens, loaded, used, real = result.stdout.splitlines()
    assert "crp_elevated" in found
    assert tokens == "['c', '/', 'o', 'chf', '+']"  # medSpaCy's tokenizer splits on punctuation
    assert loaded == "[]"
    assert used == "en 1 {'a': 1}"
    assert real == "True True True True"
