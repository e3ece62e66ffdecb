"""The plain-words course of recovery a patient's own results page shows at each time point.

The page compares a patient with their own starting point and with the usual course after spine
surgery, never with a cause: so the wording lives in knowledge/outcomes/recovery.yaml with its
sources, beside the windows it describes, and is checked to name every time point there."""

from collections.abc import Sequence
from functools import cache

from pydantic import Field

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.outcomes.change import compare
from spinetrack.domain.outcomes.windows import schedule
from spinetrack.domain.sources import Sources

RECOVERY_FILE = "outcomes/recovery.yaml"


class RecoveryWords(KnowledgeModel):
    sources: Sources
    important_change: str = Field(min_length=1)
    acceptable: str = Field(min_length=1)
    timepoints: dict[str, str]
    getting_worse: str = Field(min_length=1)

    def at(self, timepoint: str) -> str:
        return self.timepoints[timepoint]

    def texts(self) -> list[str]:
        """Every sentence a patient may read, for the message catalogue."""
        return [
            self.important_change,
            self.acceptable,
            self.getting_worse,
            *(self.timepoints[t.id] for t in schedule()),
        ]


@cache
def recovery_words() -> RecoveryWords:
    words = parse(RECOVERY_FILE, RecoveryWords)
    known = [t.id for t in schedule()]
    missing = [t for t in known if t not in words.timepoints]
    unknown = [t for t in words.timepoints if t not in known]
    if missing or unknown:
        raise KnowledgeError(
            RECOVERY_FILE, "timepoints", f"must name exactly the time points {', '.join(known)}"
        )
    return words


def getting_worse(instrument: str, scores: Sequence[float], baseline: float | None) -> bool:
    """Whether the latest of a patient's `scores` (in time order; the first is `baseline` when
    there is one) is worse than their starting point, or than the score before it, by the
    instrument's deterioration threshold: their results page then asks them to call their team."""
    if len(scores) < 2:
        return False
    latest = scores[-1]
    if baseline is not None and compare(instrument, baseline, latest).change == "worsened":
        return True
    return compare(instrument, scores[-2], latest).change == "worsened"
