"""Access errors raised by services (the domain knows nothing of users)."""

from spinetrack.domain.errors import SpinetrackError


class AccessDenied(SpinetrackError):
    """The user is known but their role does not allow this action in this clinic."""


class NotAuthenticated(SpinetrackError):
    """No valid credentials were presented."""


class TooManyRequests(SpinetrackError):
    """An address made more requests than an anonymous door allows; it may try again later."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
