"""Complication kinds and reporters come from the ICHOM list in knowledge/registry/; anything else
is refused naming the field and what would do."""

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.complications import catalogue, check_kind, check_reporter


def test_every_catalogued_kind_and_reporter_is_accepted_as_is() -> None:
    for kind in catalogue().kinds:
        assert check_kind(kind) == kind
    for reporter in catalogue().reporters:
        assert check_reporter(reporter) == reporter


def test_an_unknown_kind_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_kind("broken heart", field="complications.0.kind")
    assert refused.value.field == "complications.0.kind"
    assert "unknown complication 'broken heart'" in str(refused.value)
    assert next(iter(catalogue().kinds)) in str(refused.value)


def test_an_unknown_reporter_is_refused_on_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_reporter("neighbour")
    assert refused.value.field == "reported_by"
    assert all(r in str(refused.value) for r in catalogue().reporters)
