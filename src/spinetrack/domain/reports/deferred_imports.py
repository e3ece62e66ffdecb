"""Libraries that importing medspaCy and spaCy drags in but the report reader never uses, kept
unloaded until something really asks for them.

Importing medspaCy imports every one of its components, and with them NLTK (through QuickUMLS),
loguru and asyncio (through the PyRuSH sentence splitter this reader replaces with pysbd), and
spaCy imports its command line, langcodes (only to match a language code it cannot find; ``en``
is always found), tqdm (training progress bars), cloudpickle (pickling pipelines) and srsly's copy
of ruamel.yaml. Together they
were a third of the reader's import time. Each gets a stand-in module in ``sys.modules``: the first
attribute anyone asks of it imports the real library and hands over (PEP 562 module
``__getattr__``), so nothing is lost, only deferred. The standard library's LazyLoader cannot do
this on Python 3.11: the import system reads ``__spec__`` of a module already imported, which would
load it at once.

Each stand-in is installed only when the library is not imported yet (a process that already uses
it keeps the real one) and is installed at all only if the library is installed.
"""

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

LIBRARIES = ("nltk", "langcodes", "tqdm", "srsly.cloudpickle")
"""Imported by medspaCy or spaCy as whole modules (``import x`` or ``from package import x``) and
only touched inside functions this reader never calls."""


def _spec(name: str) -> importlib.machinery.ModuleSpec | None:
    """Where ``name`` would be imported from, found without importing it nor its parent package
    (``find_spec`` of a submodule imports the parent, which would import the very submodule)."""
    top, _, rest = name.partition(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    for part in rest.split(".") if rest else []:
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(
            f"{spec.name}.{part}", list(spec.submodule_search_locations)
        )
    return spec


LOOKED_AT = frozenset({"__file__", "__cached__", "__path__", "__wrapped__"})
"""Names tools ask of every module in ``sys.modules`` (``inspect.getmodule`` asks each for its
``__file__``) without using the module: answered "none" rather than by importing the library."""


def _real(name: str, stand_in: types.ModuleType) -> types.ModuleType:
    """Import the real module in the stand-in's place, and copy its names into the stand-in, so
    whoever kept a reference to the stand-in reaches the real names from then on."""
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    real = importlib.import_module(name)
    stand_in.__dict__.update(
        {key: value for key, value in real.__dict__.items() if key not in ("__getattr__",)}
    )
    return real


def defer(
    name: str, attributes: dict[str, Callable[[Callable[[], Any]], Any]] | None = None
) -> None:
    """Put a stand-in for module ``name`` in ``sys.modules`` unless it is imported already or not
    installed. ``attributes`` names what importers take from it at import time (``from x import
    y``): each maker receives a function that returns the real module and gives the stand-in's
    value of that name (a proxy that loads the library on first use)."""
    spec = None if name in sys.modules else _spec(name)
    if spec is None:
        return
    stand_in = types.ModuleType(name, f"Stand-in that imports {name} on first use.")
    if spec.submodule_search_locations is not None:
        # A package: its submodules still import (`import tqdm.auto`), from the real folder.
        stand_in.__path__ = list(spec.submodule_search_locations)

    def load(attribute: str) -> Any:
        if attribute in LOOKED_AT:
            raise AttributeError(attribute)
        return getattr(_real(name, stand_in), attribute)

    stand_in.__getattr__ = load  # type: ignore[method-assign]
    for attribute, make in (attributes or {}).items():
        setattr(stand_in, attribute, make(lambda: _real(name, stand_in)))
    sys.modules[name] = stand_in


class _LoguruLogger:
    """Stands for loguru's ``logger`` in a module that imported it with ``from loguru import
    logger``: the first call on it imports loguru and forwards there, then and every time after."""

    def __init__(self, real: Callable[[], types.ModuleType]) -> None:
        self._real = real
        self._logger: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._logger is None:
            self._logger = self._real().logger
        return getattr(self._logger, name)


def _forwarding(name: str) -> Callable[[Callable[[], types.ModuleType]], Any]:
    """Stands for function ``name`` of a deferred module: the first call imports the module, and
    every call is the real function's."""

    def make(real: Callable[[], types.ModuleType]) -> Any:
        def forward(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), name)(*args, **kwargs)

        forward.__name__ = forward.__qualname__ = name
        return forward

    return make


SRSLY_YAML = ("read_yaml", "write_yaml", "yaml_dumps", "yaml_loads", "is_yaml_serializable")
"""What srsly imports from its YAML module (and with it a copy of ruamel.yaml) to re-export;
spaCy reads and writes JSON and msgpack through srsly, never YAML."""


def defer_unused_libraries() -> None:
    """Install every stand-in; called before medspaCy is imported. loguru is imported by PyRuSH
    (``from loguru import logger``), a sentence splitter this pipeline does not use."""
    for name in LIBRARIES:
        defer(name)
    defer("loguru", {"logger": _LoguruLogger})
    defer("srsly._yaml_api", {name: _forwarding(name) for name in SRSLY_YAML})
    defer_spacy_cli()


def defer_spacy_cli() -> None:
    """Keep spaCy's command line unloaded. ``import spacy`` imports ``spacy.cli.info`` only to
    re-export ``info``, and with it the whole ``spacy.cli`` package (every training and project
    command, typer apps, requests): a third of a second or more on every triage with reports. A
    stand-in package (its ``__path__`` the real folder, so a submodule still imports) and a
    stand-in ``info`` take their places; touching the package, or calling ``info``, imports the
    real ones and hands over."""
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


def bind_spacy_cli() -> None:
    """After ``import spacy`` with the stand-in CLI in place (which the import system does not
    bind as an attribute): bind it, so ``spacy.cli.…`` still reaches (and loads) the real one."""
    spacy: Any = sys.modules.get("spacy")
    if spacy is not None and not hasattr(spacy, "cli"):
        spacy.cli = sys.modules["spacy.cli"]
