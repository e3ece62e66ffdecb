"""The index surgery: the latest operation, and the later record between two on one day."""

from dataclasses import dataclass
from datetime import date

from spinetrack.domain.outcomes.index_surgery import index_surgeries_by_patient, index_surgery_of


@dataclass(frozen=True)
class Op:
    id: int
    performed_on: date
    patient_id: int = 1


def test_no_operation_means_no_index_surgery() -> None:
    assert index_surgery_of([]) is None


def test_the_latest_date_wins_whatever_the_order_of_the_records() -> None:
    early, late = Op(9, date(2024, 1, 1)), Op(2, date(2025, 6, 1))
    assert index_surgery_of([early, late]) is late
    assert index_surgery_of([late, early]) is late


def test_two_operations_on_one_day_the_one_recorded_last_wins() -> None:
    first, second = Op(3, date(2025, 6, 1)), Op(4, date(2025, 6, 1))
    assert index_surgery_of([second, first]) is second


def test_each_patient_gets_their_own_index_surgery() -> None:
    ops = [
        Op(1, date(2025, 1, 1), patient_id=1),
        Op(2, date(2025, 3, 1), patient_id=2),
        Op(3, date(2025, 2, 1), patient_id=1),
        Op(4, date(2025, 3, 1), patient_id=2),
        Op(5, date(2024, 3, 1), patient_id=2),
    ]
    chosen = index_surgeries_by_patient(ops, lambda op: op.patient_id)
    assert {patient: op.id for patient, op in chosen.items()} == {1: 3, 2: 4}
