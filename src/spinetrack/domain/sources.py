"""Source: the citation every rule, threshold and recommendation in knowledge/ carries."""

from typing import Annotated

from pydantic import Field, StringConstraints

Citation = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
Sources = Annotated[list[Citation], Field(min_length=1)]
"""A non-empty list of citations; an entry without one does not load."""
