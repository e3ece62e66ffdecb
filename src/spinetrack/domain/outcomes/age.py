"""A person's age in whole years on a given day, as the clinic states it (the birthday counts)."""

from datetime import date


def age_on(birth: date, on: date) -> int:
    """Completed years from ``birth`` to ``on``: one more only once the birthday has come that
    year. Someone born on 29 February turns a year older on 1 March in common years."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
