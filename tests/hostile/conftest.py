"""The API client of tests/api, shared here so hostile requests hit the same whole app."""

from tests.api.conftest import client

__all__ = ["client"]
