"""The site header's links, by role: a link a role cannot use is never offered.

An analyst who clicks "Worklist" and meets "Not allowed" learns nothing but that the header lied;
so each link carries the roles whose pages answer it, and the header shows the links the visitor
holds one of those roles for (in any of their clinics). Visitors who are not signed in see the
public pages, including the consultation request a patient can send without an account.
"""

from dataclasses import dataclass

from spinetrack.services.access.actor import CLINICAL_ROLES, Actor

ANALYTICS_ROLES = frozenset({"admin", "clinician", "analyst"})
"""The registry dashboard's roles (`services.analytics_registry.DASHBOARD_ROLES`, which a test
compares with this; that module is not imported here because it loads the analytics stack)."""


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    roles: frozenset[str]


SIGNED_IN = (
    Link("/worklist", "Worklist", CLINICAL_ROLES),
    Link("/consultations", "Consultations", CLINICAL_ROLES),
    Link("/chase", "Follow-ups", CLINICAL_ROLES),
    Link("/analytics", "Analytics", ANALYTICS_ROLES),
)
PUBLIC = (Link("/consult", "Ask for a consultation", frozenset()),)


def finds_patients(actor: Actor | None) -> bool:
    """Whether the header offers the patient search box: to clinical roles (and the system),
    never to analysts, patients or visitors, who may not list identified patients."""
    if actor is None:
        return False
    return actor.system or bool(CLINICAL_ROLES & set(actor.roles.values()))


def menu(actor: Actor | None) -> list[Link]:
    """The header links for this visitor, in the header's order."""
    if actor is None:
        return list(PUBLIC)
    held = set(actor.roles.values())
    return [link for link in SIGNED_IN if actor.system or held & link.roles]
