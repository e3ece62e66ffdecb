"""Age in completed years on a given day."""

from datetime import date

import pytest

from spinetrack.domain.outcomes.age import age_on


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 5, 19), 44),  # the day before the birthday
        (date(2025, 5, 20), 45),  # the birthday itself counts
        (date(2025, 12, 31), 45),
        (date(1980, 5, 20), 0),
    ],
)
def test_a_year_is_added_on_the_birthday(on: date, expected: int) -> None:
    assert age_on(date(1980, 5, 20), on) == expected


def test_someone_born_on_29_february_is_a_year_older_on_1_march_in_a_common_year() -> None:
    birth = date(2000, 2, 29)
    assert age_on(birth, date(2025, 2, 28)) == 24
    assert age_on(birth, date(2025, 3, 1)) == 25
    assert age_on(birth, date(2024, 2, 29)) == 24
