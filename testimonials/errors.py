"""Domain errors raised by services; `problems.py` turns them into problem+json answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ServiceError(Exception):
    """A request the service understood but will not carry out."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors) if errors else None


class NotFoundError(ServiceError):
    """The object does not exist in the caller's workspace (or at all: we don't say which)."""

    status = 404
    title = "Not found"


class ConflictError(ServiceError):
    """The request clashes with existing data (a duplicate e-mail, slug, ...)."""

    status = 409
    title = "Conflict"


class InvalidInputError(ServiceError):
    """Input that passed the schema but breaks a business rule; `errors` names the fields."""

    status = 422
    title = "Unprocessable content"


class PermissionDeniedError(ServiceError):
    """The caller is known but their role or key scope does not allow this."""

    status = 403
    title = "Forbidden"
