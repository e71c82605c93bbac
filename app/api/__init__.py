"""The JSON API under /api/v1, built with flask-smorest.

The OpenAPI document (/api/v1/openapi.json) is generated from the marshmallow schemas that
validate the requests (app/api/schemas.py and the *_schemas.py modules beside it); the
browsable reference is /api/v1/docs. Each resource module is thin: parse, check a permission of
the domain's access module (app/<domain>/access.py), call one service of the domain, commit once. Errors, validation
included, are answered by the app's handlers (app/core/errors_views.py) as
``{"code", "message", "errors": {field: [message]}}``.
"""

from __future__ import annotations

import flask_smorest
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask

from app.api.schemas import ErrorSchema

DESCRIPTION = """\
RoleBook's organisation (departments, positions, employees, assignments), job descriptions (versions with
their approval workflow, the KPI and competency libraries, base job descriptions, the paste-to-structure parser)
and performance appraisals (cycles, reviews, results).

**Authentication**: the session of a logged-in user, or `Authorization: Bearer <token>` with a token from
the account page or `flask users token EMAIL`. Writes with the session cookie also send the CSRF token in
the `X-CSRFToken` header; token requests do not. Without either: 401.

**Permissions** are those of the pages: HR and admins read and change everything; managers read the
structure and the employees of their reporting subtree; employees the structure and their own record.
Job descriptions: employees read the published versions of the positions they hold; managers also draft
for the positions below theirs (HR reviews, approves and publishes). A record you may not read answers 404,
like one that does not exist.

**Errors** (every 4xx): `{"code": 422, "message": "...", "errors": {"field": ["..."]}}`, messages in the
user's language; nested fields have dotted names (`collaborations.0.duty`).

**Versions**: a GET answers an `ETag` (the record's version). PUT and PATCH, and the actions on job-description
versions, must say which version they are based on: the ETag in `If-Match`, or `version` in the body (one is
required: 428 without; an `If-Match` that is empty or holds no ETag answers 412). A change based on an older
version answers 409, lists what changed since in `errors`, and changes nothing.

**Lists** answer `{"items": [...], "total": N, "page": P, "per_page": K}` for `?page=&per_page=` (at most 100).
"""

SPEC = {
    "info": {"description": DESCRIPTION},
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token (rb_…)."},
            "sessionCookie": {
                "type": "apiKey",
                "in": "cookie",
                "name": "session",
                "description": "The session of a logged-in user (writes also send X-CSRFToken).",
            },
        }
    },
    "security": [{"bearerAuth": []}, {"sessionCookie": []}],
}


def schema_name(schema) -> str:
    """The name of a schema in the document: its class name without "Schema", and "Patch"
    instead of "Update" for the partial bodies of PATCH."""
    name = resolve_schema_cls(schema).__name__.removesuffix("Schema")
    if getattr(schema, "partial", False):
        name = name.removesuffix("Update") + "Patch"
    return name


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """Nothing: the app's own handlers answer every error under /api/ in JSON."""


def init_api(app: Flask) -> Api:
    """Mount the API on ``app`` (one Api object per app, so test apps do not share a spec)."""
    from app.api import (
        appraisal_templates,
        appraisals,
        assignments,
        coverage,
        departments,
        documents,
        employees,
        feedback,
        goals,
        improvement_plans,
        jd_versions,
        job_descriptions,
        libraries,
        notifications,
        organisation,
        positions,
        reference,
        search,
        target_plans,
        tasks,
    )

    app.config.setdefault("API_TITLE", "RoleBook API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(app, spec_kwargs={**SPEC, "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name)})
    for blueprint in (
        departments.blp,
        positions.blp,
        employees.blp,
        assignments.blp,
        organisation.blp,
        job_descriptions.blp,
        jd_versions.blp,
        *libraries.blueprints,
        appraisal_templates.blp,
        appraisals.cycles,
        appraisals.reviews,
        feedback.blp,
        goals.blp,
        improvement_plans.blp,
        target_plans.blp,
        documents.blp,
        tasks.blp,
        search.blp,
        notifications.blp,
        coverage.blp,
    ):
        api.register_blueprint(blueprint)
    app.register_blueprint(reference.bp)
    return api
