"""The disclosure rule the registry analytics apply: the smallest count of patients that may be
published, with its source (knowledge/analytics/disclosure.yaml)."""

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinetrack.domain.knowledge import parse

PATH = "analytics/disclosure.yaml"


class DisclosureRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: list[str] = Field(min_length=1)
    threshold: int = Field(ge=2)
    """Counts from 1 to threshold - 1 are suppressed."""
    lowest: int = Field(ge=2)
    """The smallest threshold a clinic may set."""

    @model_validator(mode="after")
    def _ordered(self) -> "DisclosureRule":
        if self.lowest > self.threshold:
            raise ValueError("lowest must not exceed the default threshold")
        return self

    def check(self, threshold: int) -> int:
        """A clinic's chosen threshold, refused with a clear message when below ``lowest``."""
        if threshold < self.lowest:
            raise ValueError(
                f"the disclosure threshold must be at least {self.lowest} (see {PATH})"
            )
        return threshold


@cache
def disclosure_rule() -> DisclosureRule:
    return parse(PATH, DisclosureRule)
