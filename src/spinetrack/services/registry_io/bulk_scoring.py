"""Check and score many responses at once, for bulk imports: one vectorised pass per instrument
(`analytics.scoring.score_table`, which agrees with the domain's scorer row for row) instead of one
Python call per response, which cost most of a 100,000-patient demo load.

Only the responses the table scores `ok` with no unknown item take the fast path. The caller
sends any other response through `checked_row`, the one-at-a-time check every door uses, so a refusal reads
word for word as it would from a single entry and an insufficient response keeps its reason.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from spinetrack.domain.errors import UnknownInstrument
from spinetrack.domain.instruments import get_instrument
from spinetrack.services.records.record_response import NewResponse


def _stored(
    response: NewResponse, version: str, answered: int, raw: float | None, percent: float | None
) -> dict[str, Any]:
    """The same columns as `checked_row` returns, from a row of the scored table."""
    return {
        "instrument": response.instrument,
        "instrument_version": version,
        "completed_at": response.completed_at,
        "source": response.source,
        "answers": dict(response.answers),
        "score_status": "ok",
        "score_answered": answered,
        "score_raw": raw,
        "score_percent": percent,
        "score_reason": "",
    }


def _score_instrument(instrument: str, responses: list[NewResponse]) -> list[dict[str, Any] | None]:
    """The stored row of each response scored `ok` here, None for those to check one by one."""
    import polars as pl

    from spinetrack.analytics.scoring import score_table

    definition = get_instrument(instrument)
    items = [item.id for item in definition.items]
    known = set(items)
    # Polars reads the answer dictionaries row by row itself (an item a response leaves out is
    # null, a key that is no item is not read: such a response leaves the fast path below).
    table = pl.DataFrame(
        [r.answers for r in responses], schema={item: pl.Float64 for item in items}
    )
    scored = score_table(instrument, table)
    # Whole columns as lists: a dictionary per row from the table cost more than the scoring.
    results = zip(
        responses,
        *(scored[c].to_list() for c in ("status", "answered", "raw", "percent")),
        strict=True,
    )
    rows: list[dict[str, Any] | None] = []
    for response, status, answered, raw, percent in results:
        fast = status == "ok" and known.issuperset(response.answers)
        rows.append(_stored(response, definition.version, answered, raw, percent) if fast else None)
    return rows


def score_in_bulk(responses: Sequence[NewResponse]) -> list[dict[str, Any] | None]:
    """For each response, in order, its stored row (as `checked_row` builds it) when it scores
    `ok` with known items only; None where the caller must call `checked_row`, which words the
    refusal or keeps the reason an insufficient response was not scored."""
    by_instrument: dict[str, list[int]] = defaultdict(list)
    for position, response in enumerate(responses):
        by_instrument[response.instrument].append(position)
    rows: list[dict[str, Any] | None] = [None] * len(responses)
    for instrument, positions in by_instrument.items():
        try:
            get_instrument(instrument)
        except UnknownInstrument:
            continue
        fast = _score_instrument(instrument, [responses[p] for p in positions])
        for position, row in zip(positions, fast, strict=True):
            rows[position] = row
    return rows
