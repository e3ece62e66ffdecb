"""What the clinician's pages share: which clinic a page is about, how dates read, how service
errors become field messages (`web.forms`), and the problem page (`web.pages`).

Forms post to the same services as the API; a refused form is rendered again with what the user
typed and one message per field, so nothing is lost and nothing is half-stored.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.errors import NotFound
from spinetrack.domain.labels import labels
from spinetrack.services.access.actor import CLINICAL_ROLES, Actor
from spinetrack.web.deps import Member, Visitor
from spinetrack.web.templating import templates

STATUS_LABELS = {
    "failing": "Failing",
    "relapsed": "Relapsed",
    "succeeding": "Succeeding",
    "too_early": "Too early",
    "no_baseline": "No baseline",
}


def clinical_clinics(actor: Actor) -> list[int]:
    """Clinics where the user may see identified patients, in id order."""
    return sorted(c for c, role in actor.roles.items() if role in CLINICAL_ROLES)


def clinic_for(actor: Actor, requested: int | None) -> int:
    """The clinic a page shows: the one asked for, else the user's only (or first) clinical one.

    Another clinic is passed on to the service, whose `require` answers 'not found' for it."""
    if requested is not None:
        return requested
    mine = clinical_clinics(actor)
    if not mine:
        raise NotFound("clinic", "(no clinic where you see patients)")
    return mine[0]


def date_shower(pattern: str) -> Callable[[date | datetime | None], str]:
    """Format dates the clinic's way (its `date_format`, a strftime pattern)."""

    def show(value: date | datetime | None) -> str:
        if value is None:
            return "—"
        return value.strftime(pattern)

    return show


def answered_at(day: date, now: datetime | None = None) -> datetime:
    """When a questionnaire entered by staff was answered, from the day on the form.

    The form gives only a day, stored as noon UTC; for today, before noon, that moment would lie in
    the future and be refused, so today's answers are stored as 'now'. A future day stays in the
    future and is refused by the service, as it should be."""
    current = now or datetime.now(UTC)
    noon = datetime.combine(day, time(12), UTC)
    return current if day == current.date() and noon > current else noon


ACRONYMS = frozenset(
    {
        "mri",
        "ct",
        "emg",
        "ncs",
        "crp",
        "esr",
        "wbc",
        "si",
        "ssep",
        "psps",
        "odi",
        "ndi",
        "asa",
        "bmi",
    }
)
"""Abbreviations clinicians write in capitals; vocabulary ids spell them in lower case."""


def term(kind: str, identifier: str | None) -> str:
    """The one name of a vocabulary id (`knowledge/triage/labels.yaml`); other ids (evidence that
    is not a finding, say) read as words."""
    if not identifier:
        return ""
    names: dict[str, str] = getattr(labels(), kind)
    return names.get(identifier) or humanize(identifier)


def named(kind: str) -> list[tuple[str, str]]:
    """(id, name) of every id of `kind`, in alphabetical order of the names, for a select."""
    names: dict[str, str] = getattr(labels(), kind)
    return sorted(names.items(), key=lambda item: item[1].casefold())


def humanize(identifier: str | None) -> str:
    """A vocabulary id as words: `adjacent_segment_disease` -> `Adjacent segment disease`,
    `mri_with_gadolinium` -> `MRI with gadolinium`."""
    if not identifier:
        return ""
    words = [w.upper() if w in ACRONYMS else w for w in identifier.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


Viewer = Visitor | Member | None
"""Whoever a page is rendered for (the header shows their name and sign-out when signed in)."""


def render(
    request: Request, name: str, visitor: Viewer, status: int = 200, **context: Any
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        name,
        {
            "visitor": visitor,
            "status_labels": STATUS_LABELS,
            "humanize": humanize,
            "term": term,
            **context,
        },
        status_code=status,
    )
