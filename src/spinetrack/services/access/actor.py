"""Who is acting: a signed-in user with a role per clinic, or the system itself (CLI, demo loader)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from spinetrack.domain.errors import NotFound
from spinetrack.services.access.errors import AccessDenied

CLINICAL_ROLES = frozenset({"admin", "clinician", "staff"})
"""Roles that may see and record identified patient data; analysts see de-identified views only."""

ROLES = frozenset({"admin", "clinician", "staff", "analyst"})


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None
    roles: Mapping[int, str] = field(default_factory=dict)
    remote: str | None = None
    system: bool = False
    full_name: str | None = None
    """The person's name as colleagues know it; `name` (the e-mail) stays the audit's identity."""

    @property
    def shown_name(self) -> str:
        """What pages call this person: their full name, else the name they act under."""
        return self.full_name or self.name

    def require(self, clinic_id: int, allowed: frozenset[str] = CLINICAL_ROLES) -> None:
        """Refuse unless the actor works in the clinic with an allowed role.

        Another clinic's data answers 'not found', so its existence is never revealed.
        """
        if self.system:
            return
        role = self.roles.get(clinic_id)
        if role is None:
            raise NotFound("clinic", clinic_id)
        if role not in allowed:
            raise AccessDenied(f"the {role} role may not do this")

    def default_clinic(self) -> int:
        if len(self.roles) != 1:
            raise NotFound("clinic", "(choose one with ?clinic=)")
        return next(iter(self.roles))


def system_actor(name: str) -> Actor:
    """The command line and the demo loader act as the system, recorded by name in the audit."""
    return Actor(name=name, system=True)
