"""Scoring a batch in one vectorised pass stores exactly what one-by-one checking stores, and
leaves to the one-by-one check every response it must refuse or word (insufficient, invalid,
unknown items or instruments)."""

import random
from datetime import UTC, datetime

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.services.records.record_response import NewResponse, checked_row
from spinetrack.services.registry_io.bulk_scoring import score_in_bulk

MOMENT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _random_response(rng: random.Random, instrument: str) -> NewResponse:
    answers: dict[str, int | float | None] = {}
    for item in get_instrument(instrument).items:
        draw = rng.random()
        if draw < 0.15:
            continue  # not answered
        if draw < 0.2:
            answers[item.id] = None
        else:
            answers[item.id] = rng.randint(int(item.min), int(item.max))
    if not answers:
        answers[get_instrument(instrument).items[0].id] = None
    return NewResponse(instrument=instrument, completed_at=MOMENT, answers=answers, source="import")


def test_every_response_scored_ok_in_bulk_is_stored_as_one_by_one() -> None:
    rng = random.Random(11)
    responses = [
        _random_response(rng, instrument)
        for instrument in sorted(instrument_ids())
        for _ in range(150)
    ]
    rows = score_in_bulk(responses)
    assert len(rows) == len(responses)
    fast = [(r, row) for r, row in zip(responses, rows, strict=True) if row is not None]
    assert len(fast) > len(responses) // 2  # most go the fast way
    for response, row in fast:
        assert row == checked_row(response)
    for response, row in zip(responses, rows, strict=True):
        if row is None:  # left to the caller: exactly the ones not scored ok
            assert checked_row(response)["score_status"] != "ok"


def test_refusals_unknown_items_and_instruments_are_left_to_the_single_check() -> None:
    out_of_range = NewResponse(
        instrument="odi", completed_at=MOMENT, answers={f"odi_{i}": 9 for i in range(1, 11)}
    )
    unknown_item = NewResponse(
        instrument="odi",
        completed_at=MOMENT,
        answers={f"odi_{i}": 1 for i in range(1, 11)} | {"odi_99": 1},
    )
    unknown_instrument = NewResponse(instrument="xyz", completed_at=MOMENT, answers={"a": 1})
    good = NewResponse(
        instrument="odi", completed_at=MOMENT, answers={f"odi_{i}": 2 for i in range(1, 11)}
    )
    rows = score_in_bulk([out_of_range, unknown_item, unknown_instrument, good])
    assert rows[:3] == [None, None, None]
    assert rows[3] == checked_row(good)
    for refused in (out_of_range, unknown_item, unknown_instrument):
        with pytest.raises(InvalidInput):
            checked_row(refused)
