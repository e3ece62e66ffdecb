"""One name per vocabulary id (knowledge/triage/labels.yaml): what every page, the letter and the
report call a finding, cause, work-up step, treatment, procedure or course.

The vocabulary keeps each id's long description (a hint, or the title of a name); without one name
per id, the same finding read as a sentence in a dropdown and as its id made words on a chip, and a
cause as "Pseudarthrosis" in the ranking and "failed fusion" in the list a surgeon confirms from.
"""

from functools import cache

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

LABELS_FILE = "triage/labels.yaml"
KINDS = ("procedures", "courses", "findings", "red_flags", "causes", "workup", "treatments")


class FindingGroup(KnowledgeModel):
    id: str
    label: str
    findings: list[str]


class Labels(KnowledgeModel):
    sources: Sources
    finding_groups: list[FindingGroup]
    procedures: dict[str, str]
    courses: dict[str, str]
    findings: dict[str, str]
    red_flags: dict[str, str]
    causes: dict[str, str]
    workup: dict[str, str]
    treatments: dict[str, str]

    def of(self, kind: str, identifier: str) -> str:
        """The name of `identifier` among `kind` (the id itself if it is not in the vocabulary)."""
        names: dict[str, str] = getattr(self, kind)
        return names.get(identifier, identifier)


def _check(found: Labels) -> Labels:
    words = vocabulary()
    for kind in KINDS:
        named, known = set(getattr(found, kind)), set(getattr(words, kind))
        if named != known:
            wrong = sorted(named ^ known)
            raise KnowledgeError(LABELS_FILE, kind, f"names must match the vocabulary: {wrong}")
    grouped = [f for group in found.finding_groups for f in group.findings]
    if sorted(grouped) != sorted(words.findings):
        raise KnowledgeError(LABELS_FILE, "finding_groups", "every finding in exactly one group")
    return found


@cache
def labels() -> Labels:
    """The names, checked against the vocabulary: every id named once, nothing else."""
    return _check(parse(LABELS_FILE, Labels))
