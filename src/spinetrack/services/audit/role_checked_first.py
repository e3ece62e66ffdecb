"""A page may check the visitor's role before it reads a form, so that a refused visitor is told
"not allowed" rather than shown form errors; that early refusal must reach the audit trail exactly
as the service's own refusal would, or a denied write leaves no trace."""

from spinetrack.domain.errors import NotFound
from spinetrack.services.access.actor import CLINICAL_ROLES, Actor
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def require_role(
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    allowed: frozenset[str] = CLINICAL_ROLES,
    *,
    action: str,
    patient_id: int | None = None,
) -> None:
    """Refuse unless the actor holds an allowed role in the clinic; a refusal is audited under the
    service's action name ("denied" for a role, "rejected" for a clinic not theirs) and raised."""
    try:
        actor.require(clinic_id, allowed)
    except (AccessDenied, NotFound) as refusal:
        with audited(sessions, actor, action, clinic_id=clinic_id, patient_id=patient_id):
            raise refusal from None
        raise  # pragma: no cover - `audited` re-raises what it records
