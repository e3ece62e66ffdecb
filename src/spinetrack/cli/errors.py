"""Domain errors become one line on stderr and exit status 2, in one place for every command."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

from spinetrack.domain.errors import SpinetrackError

P = ParamSpec("P")
R = TypeVar("R")


@cache
def stderr_console() -> "Console":
    """The rich console on stderr, made on first use: importing rich costs a tenth of a second
    that a command printing nothing on stderr need not pay."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class _Stderr:
    """``stderr.print(...)`` for every command, forwarding to the console made on first use."""

    def print(self, *objects: Any, **options: Any) -> None:
        stderr_console().print(*objects, **options)


stderr = _Stderr()

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
