"""The browsable API reference: Swagger UI (served from app/static/vendor/swagger-ui) on the
OpenAPI document. A page like the others: it needs a login."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_reference", __name__)


@bp.route("/api/v1/docs")
def page():
    return render_template("api/reference.html")
