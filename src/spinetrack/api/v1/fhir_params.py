"""FHIR search parameters: which each resource type supports, read strictly from the query string.

A parameter the server does not support is refused (400 with an OperationOutcome), never ignored:
a patient-scoped query answered with every patient's data would be a misattribution risk. The
same table feeds the CapabilityStatement, so what it declares is exactly what is read here."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from spinetrack.services.registry_io.fhir_search import DateBound, Query

DEFAULT_COUNT = 20
MAX_COUNT = 100
PREFIXES = ("eq", "lt", "le", "gt", "ge")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    documentation: str


ID = Param("_id", "token", "Resource ids, comma-separated")
PATIENT = Param("patient", "reference", "Patient/{id} or the id: only this patient's resources")
SUBJECT = Param("subject", "reference", "Same as patient")
STATUS = Param("status", "token", "Status codes, comma-separated")


def _code(what: str) -> Param:
    return Param("code", "token", f"{what}: system|code or code, comma-separated")


def _date(name: str, what: str) -> Param:
    return Param(name, "date", f"{what}; prefixes eq, lt, le, gt, ge; repeat to combine")


SEARCH_PARAMS: dict[str, tuple[Param, ...]] = {
    "Patient": (ID, Param("identifier", "token", "system|value, e.g. an MRN")),
    "Procedure": (
        ID,
        PATIENT,
        SUBJECT,
        _code("Our procedure code"),
        _date("date", "performed date"),
        STATUS,
    ),
    "QuestionnaireResponse": (ID, PATIENT, SUBJECT, _date("authored", "when answered"), STATUS),
    "Observation": (
        ID,
        PATIENT,
        SUBJECT,
        _code("LOINC score code or our instrument code"),
        _date("date", "when the answers were given"),
        STATUS,
    ),
    "Condition": (
        ID,
        PATIENT,
        SUBJECT,
        _code("Our complication code, or a PSPS-2 code (ICD-10-CM, SNOMED CT)"),
        _date("onset-date", "onset of a complication"),
    ),
    "RiskAssessment": (ID, PATIENT, SUBJECT, _date("date", "evaluation date"), STATUS),
}
SORTABLE = {
    kind: [p.name for p in params if p.type == "date"] for kind, params in SEARCH_PARAMS.items()
}
RESULT_PARAMS = (
    Param("_count", "number", f"Page size, 1 to {MAX_COUNT} (default {DEFAULT_COUNT})"),
    Param("_sort", "string", "The date parameter, or -it for newest first"),
    Param("_offset", "number", "Where the page starts (used by the next link)"),
)
ALWAYS = frozenset({"clinic"})
"""Our own parameter choosing the clinic (for users of several); not a search parameter."""


class BadParameter(ValueError):
    """A search parameter the server does not support, or a value it cannot read."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name


def _one(params: QueryParams, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, "give it once (comma-separate several values)")
    return values[0] if values else None


def _integer(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    raw = _one(params, name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(name, f"a whole number from {low} to {high}")
    return int(raw)


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _next_month(year: int, month: int) -> datetime:
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def date_bound(name: str, raw: str) -> DateBound:
    """A date parameter's prefix and the UTC interval its value covers at its precision."""
    prefix, value = (raw[:2], raw[2:]) if raw[:2].isalpha() else ("eq", raw)
    if prefix not in PREFIXES:
        raise BadParameter(name, f"prefix {prefix!r} is not supported; use {', '.join(PREFIXES)}")
    try:
        match = _DATE.match(value)
        if match:
            year, month, day = int(match[1]), match[2], match[3]
            if month is None:
                return DateBound(
                    prefix, datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
                )
            if day is None:
                start = datetime(year, int(month), 1, tzinfo=UTC)
                return DateBound(prefix, start, _next_month(year, int(month)))
            start = datetime.combine(date(year, int(month), int(day)), datetime.min.time(), UTC)
            return DateBound(prefix, start, start + timedelta(days=1))
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadParameter(name, f"{value!r} is not a FHIR date or dateTime") from exc
    if moment.tzinfo is None:
        raise BadParameter(name, "a dateTime needs its time zone (e.g. Z or +01:00)")
    moment = moment.astimezone(UTC)
    return DateBound(prefix, moment, moment + timedelta(seconds=1))


def _tokens(raw: str) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for token in raw.split(","):
        system, bar, code = token.partition("|")
        found.append((system or None, code) if bar else (None, system))
    if any(not code for _, code in found):
        raise BadParameter("code", "each value needs a code (system|code or code)")
    return found


def _patient(params: QueryParams) -> str | None:
    given = [(n, v) for n in ("patient", "subject") for v in params.getlist(n)]
    if len(given) > 1:
        raise BadParameter(given[1][0], "name one patient, once")
    if not given:
        return None
    name, value = given[0]
    reference = value.rstrip("/").split("/")
    if len(reference) > 1 and reference[-2] != "Patient":
        raise BadParameter(name, "a reference to a Patient")
    if not reference[-1] or "," in reference[-1]:
        raise BadParameter(name, "one Patient id")
    return reference[-1]


def read_query(resource_type: str, params: QueryParams) -> Query:
    """The search a query string asks for; any parameter not supported is refused."""
    supported = {p.name: p for p in SEARCH_PARAMS[resource_type]}
    results = {p.name for p in RESULT_PARAMS}
    if resource_type == "Patient":
        results.discard("_sort")
    for name in params:
        if name not in supported and name not in results and name not in ALWAYS:
            known = ", ".join([*supported, *sorted(results)])
            raise BadParameter(name, f"not supported for {resource_type}; supported: {known}")
    date_names = [n for n, p in supported.items() if p.type == "date"]
    sort = _one(params, "_sort")
    if sort is not None and sort.removeprefix("-") not in date_names:
        raise BadParameter(
            "_sort", f"sort by {' or '.join(date_names) or 'nothing'} (-x: newest first)"
        )
    identifier = _one(params, "identifier") if "identifier" in supported else None
    ids = _one(params, "_id")
    status = _one(params, "status") if "status" in supported else None
    code = _one(params, "code") if "code" in supported else None
    return Query(
        resource_type=resource_type,
        ids=frozenset(ids.split(",")) if ids else frozenset(),
        patient=_patient(params) if "patient" in supported else None,
        identifier=_tokens(identifier)[0] if identifier else None,
        codes=tuple(_tokens(code)) if code else (),
        dates=tuple(date_bound(n, v) for n in date_names for v in params.getlist(n)),
        statuses=frozenset(status.split(",")) if status else frozenset(),
        count=_integer(params, "_count", DEFAULT_COUNT, 1, MAX_COUNT),
        offset=_integer(params, "_offset", 0, 0, 10**9),
        by_date=sort is not None,
        descending=bool(sort and sort.startswith("-")),
    )


def applied(params: QueryParams, **changes: Any) -> str:
    """The query string of the parameters as applied, with some replaced (e.g. the next offset)."""
    pairs: list[tuple[str, str]] = [
        (k, v) for k, v in params.multi_items() if k not in changes and k != "_offset"
    ]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None]
    return urlencode(sorted(pairs))


def declared(resource_type: str) -> Iterable[Param]:
    yield from SEARCH_PARAMS.get(resource_type, ())
