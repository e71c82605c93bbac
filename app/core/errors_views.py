"""Friendly error pages (HTML) and JSON errors for the API."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.errors import ServiceError
from app.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _json_error(status: int, message: str, errors: dict | None = None):
    return jsonify({"code": status, "message": message, "errors": errors or {}}), status


MESSAGES = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Please log in."),
    403: lambda: _("You do not have permission to see this page."),
    404: lambda: _("This page does not exist."),
    405: lambda: _("This action is not allowed here."),
    409: lambda: _("This record was changed by someone else."),
    413: lambda: _("What you sent is too large."),
    429: lambda: _("Too many requests. Wait a moment, then try again."),
    500: lambda: _("Something went wrong on our side. The error was logged; please try again."),
}


def _page(status: int, message: str | None = None):
    message = message or MESSAGES.get(status, MESSAGES[400])()
    if _wants_json():
        return _json_error(status, message)
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, _("The form expired or was sent from elsewhere (missing security token). "
                            "Reload the page and try again."))

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if _wants_json():
            return _json_error(error.status, error.message, error.errors)
        return _page(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429 and request.endpoint == "auth.login":
            from app.auth.forms import LoginForm
            from app.auth.views import render_login

            minutes = max(1, round(error.limit.limit.get_expiry() / 60)) if getattr(error, "limit", None) else 15
            form = LoginForm()
            form.form_errors.append(_("Too many failed login attempts. Wait %(num)d minutes, then try again.",
                                      num=minutes))
            return render_login(form, 429)
        return _page(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        if app.testing and not app.config.get("RENDER_500_IN_TESTS"):
            raise error
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _page(500)
