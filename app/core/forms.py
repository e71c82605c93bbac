"""What the pages' forms share: the service's errors next to the fields, and the one way a form
saves through a service (on failure roll back and keep the user's input; on success the request's
commit point, ``app.core.unit_of_work``, commits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from app.core.errors import Conflict, ServiceError
from app.core.unit_of_work import rollback


def apply_errors(form, error: ServiceError) -> None:
    """Put a service's field errors next to the form's fields; the rest goes to the form top."""
    placed = False
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
            placed = True
    if not placed:
        form.form_errors.append(error.message)


@dataclass
class Saved:
    """What ``save`` did: ``ok`` with the service's ``value``, else a ``conflict`` (someone else
    changed the record) or field errors placed on the form. ``status`` is the HTTP status for a
    page that shows the form again."""

    ok: bool
    value: Any = None
    conflict: Conflict | None = None
    error: ServiceError | None = None  # the refusal (conflicts included)

    @property
    def status(self) -> int:
        return 200 if self.ok else (409 if self.conflict is not None else 422)


def save(form, action: Callable[[], Any], record=None, place=apply_errors) -> Saved:
    """Run ``action`` (one service call) for a validated ``form``. A conflict rolls
    back and moves the form's hidden version to the record's current one (so saving again applies
    the user's input on top); a refused change rolls back and ``place``s its errors on the form."""
    try:
        value = action()
    except Conflict as error:
        rollback()
        if record is not None and hasattr(form, "version"):
            form.version.data = record.version
        return Saved(False, conflict=error, error=error)
    except ServiceError as error:
        rollback()
        place(form, error)
        return Saved(False, error=error)
    return Saved(True, value)


def flash_error(error: ServiceError) -> None:
    flash(error.message, "danger")


def attempt(action: Callable[[], Any], show: Callable[[ServiceError], None] | None = flash_error) -> Saved:
    """Run ``action`` (one service call) for a page without a form to refill: ``ok`` with its
    ``value`` when it went through (the commit point commits it), else its refusal is rolled back
    (so that the page shown next reads the database as it is), ``show``n (a flash by default) and
    returned as ``error`` (and ``conflict``)."""
    try:
        value = action()
    except ServiceError as error:
        rollback()
        if show is not None:
            show(error)
        return Saved(False, conflict=error if isinstance(error, Conflict) else None, error=error)
    return Saved(True, value)
