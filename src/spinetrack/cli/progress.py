"""A progress bar on stderr, shown only when stderr is a terminal, so piped output stays clean."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from spinetrack.cli.errors import stderr_console


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a bar only on an interactive stderr (a count without a bar when
    the total is not known in advance, as for a file read in batches)."""
    if not sys.stderr.isatty():
        yield lambda _: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
