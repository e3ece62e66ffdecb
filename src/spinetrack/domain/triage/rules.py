"""The triage rules as one bundle: vocabulary, red flags, causes, work-up, treatments and PSPS-2.

Read from the shipped knowledge/triage/ folder or from a copy of it in another folder (to check an
edited copy before it ships). Reading only parses; ``rules_check`` judges whether the rules hold
together, and the engine uses only rules that passed it.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml, load_yaml_at
from spinetrack.domain.triage.causes import CauseRules
from spinetrack.domain.triage.plan import TreatmentRules, WorkupRules
from spinetrack.domain.triage.psps2 import Psps2Rule
from spinetrack.domain.triage.red_flags import RedFlagRules
from spinetrack.domain.vocabulary import Vocabulary

M = TypeVar("M", bound=BaseModel)

FOLDER = "triage"
FILES: dict[str, type[BaseModel]] = {
    "vocabulary.yaml": Vocabulary,
    "red_flags.yaml": RedFlagRules,
    "causes.yaml": CauseRules,
    "workup.yaml": WorkupRules,
    "treatments.yaml": TreatmentRules,
    "psps2.yaml": Psps2Rule,
}


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a rules file: which file, where in it (dotted path), and what."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.field}: {self.message}"
            if self.field
            else f"{self.file}: {self.message}"
        )


@dataclass(frozen=True, slots=True)
class Rules:
    vocabulary: Vocabulary
    red_flags: RedFlagRules
    causes: CauseRules
    workup: WorkupRules
    treatments: TreatmentRules
    psps2: Psps2Rule


def _raw(directory: Path | None, name: str) -> Any:
    if directory is None:
        return load_yaml(f"{FOLDER}/{name}")
    return load_yaml_at(directory, name)


def _parse(directory: Path | None, name: str, problems: list[Problem]) -> BaseModel | None:
    try:
        return FILES[name].model_validate(_raw(directory, name))
    except KnowledgeError as exc:
        problems.append(Problem(name, "", exc.message.removeprefix(f"{exc.file}: {exc.field}: ")))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"])
            problems.append(Problem(name, where, error["msg"]))
    return None


def _typed(parsed: dict[str, BaseModel], name: str, model: type[M]) -> M:
    value = parsed[name]
    assert isinstance(value, model)
    return value


def read_rules(directory: Path | None = None) -> tuple[Rules | None, list[Problem]]:
    """The rules in ``directory`` (default: the shipped ones), or None and every schema problem."""
    problems: list[Problem] = []
    parsed = {name: _parse(directory, name, problems) for name in FILES}
    complete = {name: model for name, model in parsed.items() if model is not None}
    if problems or len(complete) != len(FILES):
        return None, problems
    rules = Rules(
        vocabulary=_typed(complete, "vocabulary.yaml", Vocabulary),
        red_flags=_typed(complete, "red_flags.yaml", RedFlagRules),
        causes=_typed(complete, "causes.yaml", CauseRules),
        workup=_typed(complete, "workup.yaml", WorkupRules),
        treatments=_typed(complete, "treatments.yaml", TreatmentRules),
        psps2=_typed(complete, "psps2.yaml", Psps2Rule),
    )
    return rules, []
