"""Domain errors become one line on stderr and exit status 2, in one place for every command."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from spinetrack.domain.errors import SpinetrackError

P = ParamSpec("P")
R = TypeVar("R")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INVALID = 2


def fail(message: str) -> typer.Exit:
    """Print an error the way every command does and return the exit to raise."""
    stderr.print(f"error: {message}", markup=False)
    return typer.Exit(code=EXIT_INVALID)


@contextmanager
def reported() -> Iterator[None]:
    try:
        yield
    except SpinetrackError as exc:
        raise fail(exc.message) from exc


def explains_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a command so a SpinetrackError ends it with a clear message and exit 2."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with reported():
            return func(*args, **kwargs)

    return wrapper
