"""The patient education library: glossary pages on spine conditions, causes, tests and treatments.

Pages are Markdown with front matter in knowledge/education/; ``entries``, ``entry`` and ``search``
read them, validated and rendered once.
"""

from spinetrack.domain.education.glossary import (
    entries,
    entry,
    search,
    stale_pages,
    translated_pages,
    words,
)
from spinetrack.domain.education.languages import SOURCE_LANGUAGE, languages
from spinetrack.domain.education.page import Entry, Section
from spinetrack.domain.education.terms import Term
from spinetrack.domain.education.urgent import UrgentCare, urgent_care

__all__ = [
    "SOURCE_LANGUAGE",
    "Entry",
    "Section",
    "Term",
    "UrgentCare",
    "entries",
    "entry",
    "languages",
    "search",
    "stale_pages",
    "translated_pages",
    "urgent_care",
    "words",
]
