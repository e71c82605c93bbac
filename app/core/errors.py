"""Errors that services raise and views and the API turn into messages next to fields."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request that breaks a rule. ``errors`` maps field names to messages; ``message`` is
    the overall sentence. Views show both next to the form; the API answers 4xx with them."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    @classmethod
    def field(cls, field: str, message: str) -> ServiceError:
        return cls(message, {field: [message]})


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    """The object changed since the client read it. ``changes`` lists what the other edit did:
    {field: [value the client saw, value now]}."""

    status = 409

    def __init__(self, message: str, changes: dict[str, Any] | None = None):
        super().__init__(message)
        self.changes = changes or {}
