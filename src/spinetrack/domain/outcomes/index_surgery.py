"""Which of a patient's operations their outcome is measured from: the latest one.

Every day count after surgery (time points, follow-up windows, triage intervals, the registry's
condition) starts from this one operation, so the choice is written once: the latest date of
operation, and between two operations on the same day the one recorded last (the higher id), so
the choice is stable whichever order the rows arrive in.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol, TypeVar


class Operation(Protocol):
    """What the choice needs of an operation: a stored row or any record with these two fields."""

    @property
    def id(self) -> int: ...
    @property
    def performed_on(self) -> date: ...


OperationT = TypeVar("OperationT", bound=Operation)


def index_order(operation: Operation) -> tuple[date, int]:
    """The sort key of the rule: later date first wins, then the later record."""
    return operation.performed_on, operation.id


def index_surgery_of(operations: Iterable[OperationT]) -> OperationT | None:
    """The operation outcomes are measured from; None for a patient without one."""
    return max(operations, key=index_order, default=None)


def index_surgeries_by_patient(
    operations: Iterable[OperationT], patient_of: Callable[[OperationT], int]
) -> dict[int, OperationT]:
    """The index operation of each patient among many patients' operations."""
    latest: dict[int, OperationT] = {}
    for operation in operations:
        patient_id = patient_of(operation)
        best = latest.get(patient_id)
        if best is None or index_order(operation) > index_order(best):
            latest[patient_id] = operation
    return latest
