"""Import pre-operative records from a CSV: a header with `mrn` and any of the record's columns
(risk.md's names: bmi, asa, smoker, ..., plus phq9 and gad7), one row per patient.

Every row is checked as the form and the API check it (the same NewPreop model and domain checks);
a refused cell is reported with its line and column, and then nothing is stored (all or nothing,
like the other CSV imports). Flags are true/false (also yes/no, 1/0); an empty cell is unknown."""

import io
from typing import Any

import polars as pl
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.preop import PREOP_FIELDS, PreopRecord, check_preop
from spinetrack.services.access.actor import Actor
from spinetrack.services.risk.preop_record import NewPreop, import_preop
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

FLAG_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
FLAG_FIELDS = frozenset(
    name
    for name, info in NewPreop.model_fields.items()
    if info.annotation is not None and "bool" in str(info.annotation)
)


def _line_record(line: int, row: dict[str, Any]) -> PreopRecord:
    data: dict[str, Any] = {}
    for name in PREOP_FIELDS:
        raw = (row.get(name) or "").strip()
        if not raw:
            continue
        if name in FLAG_FIELDS:
            if raw.lower() not in FLAG_WORDS:
                raise InvalidInput(name, f"line {line}: {raw!r} is not true or false")
            data[name] = FLAG_WORDS[raw.lower()]
        else:
            data[name] = raw
    try:
        checked = NewPreop.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(field, f"line {line}: {first['msg']}") from exc
    try:
        return check_preop(PreopRecord(**checked.model_dump()))
    except InvalidInput as exc:
        raise InvalidInput(exc.field, f"line {line}: {exc.message}") from exc


def parse_preop_csv(data: bytes) -> dict[str, PreopRecord]:
    """MRN -> checked record; InvalidInput naming the line and column of the first bad cell."""
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise InvalidInput("file", f"not a readable CSV ({exc})") from exc
    if "mrn" not in frame.columns:
        raise InvalidInput("mrn", "the header has no mrn column")
    unknown = sorted(set(frame.columns) - {"mrn", *PREOP_FIELDS})
    if unknown:
        raise InvalidInput(unknown[0], f"unknown column {unknown[0]!r}")
    records: dict[str, PreopRecord] = {}
    for offset, row in enumerate(frame.iter_rows(named=True)):
        line = offset + 2  # the header is line 1
        mrn = (row.get("mrn") or "").strip()
        if not mrn:
            raise InvalidInput("mrn", f"line {line}: the MRN is empty")
        if mrn in records:
            raise InvalidInput("mrn", f"line {line}: MRN {mrn!r} appears twice")
        records[mrn] = _line_record(line, row)
    return records


def import_preop_csv(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, data: bytes
) -> int:
    """Check the whole file, then store every record in one audited transaction."""
    records = parse_preop_csv(data)
    return import_preop(sessions=sessions, actor=actor, clinic_id=clinic_id, records=records)
