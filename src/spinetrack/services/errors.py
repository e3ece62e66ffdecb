"""Access errors raised by services (the domain knows nothing of users)."""

from spinetrack.domain.errors import SpinetrackError


class AccessDenied(SpinetrackError):
    """The user is known but their role does not allow this action in this clinic."""


class NotAuthenticated(SpinetrackError):
    """No valid credentials were presented."""
