"""Sets of ids written compactly as ranges ("1-5,9"), for the patients an audit entry names: a
whole clinic's export of consecutive ids stays a few characters."""

from collections.abc import Iterable, Iterator


def encode_ids(ids: Iterable[int]) -> str:
    ordered = sorted(set(ids))
    parts: list[str] = []
    start = previous = None
    for value in ordered:
        if previous is not None and value == previous + 1:
            previous = value
            continue
        if start is not None:
            parts.append(_part(start, previous))
        start = previous = value
    if start is not None:
        parts.append(_part(start, previous))
    return ",".join(parts)


def _part(start: int, end: int | None) -> str:
    return str(start) if end is None or end == start else f"{start}-{end}"


def decode_ids(text: str) -> Iterator[int]:
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        yield from range(int(first), int(last or first) + 1)


def contains(text: str, wanted: int) -> bool:
    """Whether `wanted` is among the encoded ids, without expanding the ranges."""
    for part in filter(None, text.split(",")):
        first, _, last = part.partition("-")
        if int(first) <= wanted <= int(last or first):
            return True
    return False
