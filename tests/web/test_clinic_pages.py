"""Vocabulary ids shown as words the way clinicians write them."""

import pytest

from spinetrack.web.routes.clinic_pages import humanize


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
