"""Exact rounding half up to hundredths: the contract compares and prints scores and changes at two
decimals, so results must not depend on floating-point noise (30 % of 41.15 is 12.35, not 12.34).

Scores are read as exact decimals to nine places (integer "units"), and every ratio is rounded from
integers. Half up means away from zero, so a worsening of 2.345 is -2.35 and its deterioration 2.35.
"""

from decimal import Decimal

UNITS_PER_ONE = 10**9
UNITS_PER_HUNDREDTH = 10**7


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded to the nearest integer, halves away from zero."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def to_units(value: float) -> int:
    """A score as an integer count of billionths: the decimal it was written as, made exact."""
    return round(value * UNITS_PER_ONE)


def decimal_units(value: Decimal) -> int:
    """A threshold from the knowledge files as integer billionths."""
    return int(value.scaleb(9).to_integral_value())


def hundredths(units: int) -> int:
    """Units rounded half up to a whole number of hundredths."""
    return half_up(units, UNITS_PER_HUNDREDTH)


def percent_of(units: int, percent: Decimal) -> int:
    """``percent`` % of a value given in units, rounded half up to hundredths."""
    numerator, denominator = percent.as_integer_ratio()
    return half_up(units * numerator, denominator * UNITS_PER_ONE)
