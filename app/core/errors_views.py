"""Friendly error pages (HTML) and JSON errors for the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.core.errors import Conflict, ServiceError
from app.extensions import db, login_manager

# Pages that live under /api/ but are HTML like every other page (the browsable API reference).
HTML_ENDPOINTS_UNDER_API = {"api_reference.page"}


def wants_json() -> bool:
    """Requests under /api/ are answered in JSON, errors included."""
    return request.path.startswith("/api/") and request.endpoint not in HTML_ENDPOINTS_UNDER_API


def _json_error(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    return jsonify({"code": status, "message": message, "errors": errors or {}}), status, headers or {}


def _conflict_errors(error: Conflict) -> dict[str, list[str]]:
    """{field: [what the other edit changed]} for the API's 409 answers."""

    def shown(value) -> str:
        return "—" if value is None or value == "" else str(value)

    return {
        field: [
            _(
                "Changed by someone else from “%(before)s” to “%(after)s”.",
                before=shown(values[0]),
                after=shown(values[-1]),
            )
        ]
        for field, values in error.changes.items()
    }


MESSAGES = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Please log in."),
    403: lambda: _("You do not have permission to see this page."),
    404: lambda: _("This page does not exist."),
    405: lambda: _("This action is not allowed here."),
    409: lambda: _("This record was changed by someone else."),
    413: lambda: _("What you sent is too large."),
    414: lambda: _("The address is too long."),
    429: lambda: _("Too many requests. Wait a moment, then try again."),
    431: lambda: _("The request's headers are too large."),
    500: lambda: _("Something went wrong on our side. The error was logged; please try again."),
    503: lambda: _("The database is not available at the moment. Nothing was saved; try again in a few seconds."),
}
# The API speaks of resources, not pages.
JSON_MESSAGES = {
    403: lambda: _("You do not have permission to do this."),
    404: lambda: _("There is nothing at this address."),
}


def _message(status: int) -> str:
    if wants_json() and status in JSON_MESSAGES:
        return JSON_MESSAGES[status]()
    return MESSAGES.get(status, MESSAGES[400])()


def _page(status: int, message: str | None = None):
    message = message or _message(status)
    if wants_json():
        return _json_error(status, message)
    return render_template("errors/error.html", status=status, message=message), status


# Pages that answer an error themselves (the login page shows its form with the reason):
# {(endpoint, status or "csrf"): page(error)}, registered by their domain; a page that returns
# None leaves the usual answer.
_OWN_PAGES: dict[tuple[str, int | str], Callable[[Exception], Any]] = {}


def register_error_page(endpoint: str, kind: int | str, page: Callable[[Exception], Any]) -> None:
    _OWN_PAGES[(endpoint, kind)] = page


def _own_page(kind: int | str, error: Exception):
    page = _OWN_PAGES.get((request.endpoint or "", kind))
    return None if page is None else page(error)


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        own = _own_page("csrf", error)
        if own is not None:
            return own
        return _page(
            400,
            _("The form expired or was sent from elsewhere (missing security token). Reload the page and try again."),
        )

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if wants_json():
            errors = _conflict_errors(error) if isinstance(error, Conflict) else error.errors
            return _json_error(error.status, error.message, errors)
        return _page(error.status, error.message)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: Exception):
        """The database could not be reached, or dropped the connection mid-request (a restart):
        nothing of this request was saved; the next request gets a fresh connection (the pool
        checks connections before use)."""
        db.session.rollback()
        if app.testing and not app.config.get("RENDER_500_IN_TESTS"):
            raise error
        # The answer must not need the database: the page is made for an anonymous user (loading
        # the account, or refreshing it after the rollback, would fail again).
        g._login_user = login_manager.anonymous_user()
        app.logger.warning(
            "Database unavailable on %s %s: %s",
            request.method,
            request.path,
            str(error).splitlines()[0] if str(error) else type(error).__name__,
        )
        response = make_response(_page(503))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def concurrent_change(error: Exception):
        """Two requests raced: the version check of the other one's UPDATE, or a unique key it
        took first, refused this one. Nothing of this request was saved."""
        db.session.rollback()
        app.logger.info("Refused a concurrent change on %s %s: %s", request.method, request.path, error)
        return _page(409, _("This record was changed by someone else at the same time. Reload it and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        own = _own_page(error.code or 500, error)
        if own is not None:
            return own
        if wants_json():
            # webargs' abort (the API's request parsing) attaches a message and per-field errors.
            data = getattr(error, "data", None) or {}
            headers = {"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None) else {}
            status = error.code or 500
            return _json_error(status, data.get("message") or _message(status), data.get("errors"), headers)
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        if app.testing and not app.config.get("RENDER_500_IN_TESTS"):
            raise error
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _page(500)
