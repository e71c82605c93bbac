"""The one commit point of every entry point: a request, a CLI command, a background task.

Services flush; they never commit. What called them commits once, here:

- a request: :class:`CommittingFlask` runs each view inside :func:`unit_of_work`'s rules. A
  view that returns an answer below 400 (a page, a redirect after POST, an API 2xx) has its
  changes committed; a view that answers 4xx/5xx or raises has them rolled back. The commit
  happens inside the dispatch, so a refusal at commit time (a version check, a unique key) goes
  to the same error handlers as one at flush time (409 page or JSON). A service error that
  escapes a view becomes the page's message or the API's 4xx JSON (``app.core.errors_views``);
  a page that wants it as a flash uses :func:`app.core.forms.attempt`, a form
  :func:`app.core.forms.save`.
- a CLI command or a task: ``with unit_of_work(): ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy.exc import InterfaceError, OperationalError

from app.extensions import db


def rollback() -> None:
    """Roll the session back; a connection already lost (a database restart) has nothing to undo."""
    try:
        db.session.rollback()
    except (OperationalError, InterfaceError):
        db.session.registry.clear()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did when it ends normally; roll it all back when it raises."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    db.session.commit()


class CommittingFlask(Flask):
    """A Flask application whose views end at the commit point (see the module's notes)."""

    def dispatch_request(self) -> Any:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            rollback()
            raise
        if response.status_code < 400:
            db.session.commit()
        else:
            rollback()
        return response
