"""The one reader of knowledge/: loads, validates and caches the clinical data files.

Nothing else in the domain touches files. Every parsed model forbids unknown keys, so a typo in a
rule file is a load error naming the file and field, never a silently ignored rule.
"""

import hashlib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from spinetrack.domain.errors import KnowledgeError

M = TypeVar("M", bound=BaseModel)

# libyaml's parser reads the rule files about ten times faster than the pure-Python one, which
# dominated a one-case `spinetrack triage`; both accept the same safe subset of YAML.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KnowledgeModel(BaseModel):
    """Base for every model parsed from knowledge/: strict keys, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _root() -> Traversable:
    return resources.files("spinetrack").joinpath("knowledge")


def _resolve(relpath: str) -> Traversable:
    node = _root()
    for part in relpath.split("/"):
        node = node.joinpath(part)
    return node


def read_text(relpath: str) -> str:
    """Raw text of a knowledge file, e.g. ``education/pseudarthrosis.md``."""
    node = _resolve(relpath)
    if not node.is_file():
        raise KnowledgeError(relpath, "", "no such knowledge file")
    return node.read_text(encoding="utf-8")


@cache
def load_yaml(relpath: str) -> Any:
    """Parsed YAML of a knowledge file (cached; treat the result as read-only)."""
    try:
        return yaml.load(read_text(relpath), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise KnowledgeError(relpath, "", f"not valid YAML: {exc}") from exc


def parse(relpath: str, model: type[M], data: Any | None = None) -> M:
    """Validate a knowledge file (or a part of one) into ``model``; errors name file and field."""
    raw = load_yaml(relpath) if data is None else data
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(relpath, field, first["msg"]) from exc


def list_files(folder: str, suffix: str = ".yaml") -> list[str]:
    """Relative paths of the files in a knowledge folder, sorted for determinism."""
    node = _resolve(folder)
    if not node.is_dir():
        return []
    return sorted(
        f"{folder}/{c.name}" for c in node.iterdir() if c.is_file() and c.name.endswith(suffix)
    )


def list_folders(folder: str) -> list[str]:
    """Names of the sub-folders of a knowledge folder, sorted (e.g. the languages of education/)."""
    node = _resolve(folder)
    if not node.is_dir():
        return []
    return sorted(
        c.name for c in node.iterdir() if c.is_dir() and not c.name.startswith(("_", "."))
    )


def digest(relpath: str) -> str:
    """SHA-256 (hex) of a knowledge file's bytes: what a translation records of its source."""
    node = _resolve(relpath)
    if not node.is_file():
        raise KnowledgeError(relpath, "", "no such knowledge file")
    return hashlib.sha256(node.read_bytes()).hexdigest()


def _walk(node: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        path = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _walk(child, path + "/")
        elif child.name.endswith((".yaml", ".md")):
            yield path, child


def all_files() -> list[str]:
    """Every knowledge file (YAML and Markdown), relative to knowledge/."""
    return [path for path, _ in _walk(_root(), "")]


NOT_RULES = ("education/",)
"""Patient education text: editing it must not change the version stamped on assessments."""


@cache
def rules_version() -> str:
    """A short hash of the rule files, stamped on each assessment so it can be reproduced."""
    digest = hashlib.sha256()
    for path, node in _walk(_root(), ""):
        if path.startswith(NOT_RULES):
            continue
        digest.update(path.encode())
        digest.update(node.read_bytes())
    return digest.hexdigest()[:12]


def load_yaml_at(directory: Path, name: str) -> Any:
    """Parsed YAML of ``name`` inside an explicit folder, e.g. a copy of knowledge/triage/ to check.

    Not cached: the folder is someone's working copy and may change between calls.
    """
    path = directory / name
    if not path.is_file():
        raise KnowledgeError(str(path), "", "no such knowledge file")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeError(str(path), "", f"not valid YAML: {exc}") from exc
