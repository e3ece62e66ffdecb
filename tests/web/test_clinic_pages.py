"""Vocabulary ids shown as words the way clinicians write them."""

from datetime import UTC, date, datetime

import pytest

from spinetrack.web.routes.clinic_pages import answered_at, humanize


@pytest.mark.parametrize(
    ("identifier", "shown"),
    [
        ("mri_with_gadolinium", "MRI with gadolinium"),
        ("ct_myelogram", "CT myelogram"),
        ("adjacent_segment_disease", "Adjacent segment disease"),
        ("emg", "EMG"),
        (None, ""),
    ],
)
def test_ids_read_as_words_with_abbreviations_in_capitals(
    identifier: str | None, shown: str
) -> None:
    assert humanize(identifier) == shown


def test_a_form_answered_today_before_noon_is_not_stored_in_the_future() -> None:
    morning = datetime(2026, 11, 22, 0, 10, tzinfo=UTC)
    assert answered_at(date(2026, 11, 22), now=morning) == morning
    afternoon = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    assert answered_at(date(2026, 11, 22), now=afternoon) == datetime(2026, 11, 22, 12, tzinfo=UTC)
    assert answered_at(date(2026, 11, 20), now=morning) == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert answered_at(date(2026, 11, 23), now=morning) > morning  # refused later, as it should be
