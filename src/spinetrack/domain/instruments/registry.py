"""The instruments spinetrack scores: an explicit map from each id to its definition file and to its
scoring method. The two are checked against each other when a definition is first loaded."""

from functools import cache

from spinetrack.domain.errors import KnowledgeError, UnknownInstrument
from spinetrack.domain.instruments.definition import InstrumentDefinition
from spinetrack.domain.instruments.methods import ScoringMethod, comi, percent_of_max, single_item
from spinetrack.domain.knowledge import parse

_DEFINITION_FILES: dict[str, str] = {
    "odi": "instruments/odi.yaml",
    "ndi": "instruments/ndi.yaml",
    "nrs_back": "instruments/nrs_back.yaml",
    "nrs_leg": "instruments/nrs_leg.yaml",
    "nrs_neck": "instruments/nrs_neck.yaml",
    "nrs_arm": "instruments/nrs_arm.yaml",
    "comi_back": "instruments/comi_back.yaml",
    "comi_neck": "instruments/comi_neck.yaml",
}

_METHODS: dict[str, ScoringMethod] = {
    "odi": percent_of_max,
    "ndi": percent_of_max,
    "nrs_back": single_item,
    "nrs_leg": single_item,
    "nrs_neck": single_item,
    "nrs_arm": single_item,
    "comi_back": comi,
    "comi_neck": comi,
}

# The method name a definition file declares, so the file and this registry cannot disagree.
_METHOD_NAMES: dict[str, ScoringMethod] = {
    "percent_of_max": percent_of_max,
    "comi": comi,
    "single_item": single_item,
}


def instrument_ids() -> list[str]:
    """Every registered instrument id, in registry order."""
    return list(_DEFINITION_FILES)


def definition_file(instrument_id: str) -> str:
    """The knowledge file that defines an instrument (relative to knowledge/)."""
    try:
        return _DEFINITION_FILES[instrument_id]
    except KeyError:
        raise UnknownInstrument(instrument_id) from None


@cache
def _load(instrument_id: str) -> InstrumentDefinition:
    path = definition_file(instrument_id)
    definition = parse(path, InstrumentDefinition)
    if definition.id != instrument_id:
        raise KnowledgeError(path, "id", f"expected {instrument_id!r}, found {definition.id!r}")
    method = _METHODS[instrument_id]
    if _METHOD_NAMES[definition.scoring.method] is not method:
        raise KnowledgeError(path, "scoring.method", "differs from the method in the registry")
    try:
        method.check(definition)
    except ValueError as exc:
        raise KnowledgeError(path, "scoring", str(exc)) from exc
    return definition


def get_instrument(instrument_id: str) -> InstrumentDefinition:
    """The definition of a registered instrument; raises UnknownInstrument otherwise."""
    definition_file(instrument_id)
    return _load(instrument_id)


def method_of(instrument_id: str) -> ScoringMethod:
    get_instrument(instrument_id)
    return _METHODS[instrument_id]
