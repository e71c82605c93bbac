"""What the API's resource modules share: the blueprint class (request parsing and CSRF),
pagination, versions (ETag / If-Match / ``version``) and the shapes of ids in URLs."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import wraps

import flask_smorest
from flask import current_app, g, request
from flask_babel import gettext as _
from webargs.flaskparser import abort

from app.api.errors import ApiParser
from app.core.errors import NotFound, ServiceError
from app.core.urls import MAX_ID
from app.extensions import csrf, db
from app.org import services

ID = f"int(min=1, max={MAX_ID})"  # URL converter: larger or zero ids answer 404 before any query
MAX_PER_PAGE = 100

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of the GET this change is based on (or send `version` in the body).",
}
IF_MATCH_REQUIRED = {
    **IF_MATCH,
    "required": True,
    "description": "The ETag of the GET this deletion is based on (428 without it).",
}
ETAG = {"ETag": {"description": "The record's version, to send back in If-Match.", "schema": {"type": "string"}}}
LOCATION = {"Location": {"description": "The URL of the new record.", "schema": {"type": "string"}}}


def multipart_body(file_description: str = "", **fields: dict) -> dict:
    """The OpenAPI request body (for ``blp.doc``) of a route that takes one file in the
    multipart/form-data field ``file`` (described by ``file_description``), and ``fields``."""
    file = {"type": "string", "format": "binary"} | ({"description": file_description} if file_description else {})
    schema = {"type": "object", "required": ["file"], "additionalProperties": False}
    schema["properties"] = {"file": file, **fields}
    return {"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}}


def _csrf_for_session_writes() -> None:
    """Writes authenticated by the session cookie carry the CSRF token in the X-CSRFToken
    header; bearer-token requests need none, since a browser never adds an Authorization
    header on its own. (The session wins when a request has both, so it is then checked.)"""
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not g.get("token_auth"):
        csrf.protect()


class Blueprint(flask_smorest.Blueprint):
    """A blueprint of the API: its requests are parsed by :class:`ApiParser` and session-cookie
    writes are checked for CSRF (the app-wide check, which reads forms, is off for it)."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(_csrf_for_session_writes)
        csrf.exempt(self)


def check_first(check):
    """View decorator, placed above ``@bp.arguments``: ``check(**view_args)`` (an object check
    that aborts with 403, or 404 for a record the user may not read) runs before the request's
    body is parsed, so that a change the user may not make answers 403 whatever the body."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            check(**kwargs)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_body() -> None:
    """An empty request body is refused (422 under ``body``): an action whose body may be ``{}``
    still needs that ``{}``, so that a request sent without one by mistake does nothing."""
    if not request.get_data(cache=True).strip():
        message = _("Send a JSON body (an empty object {} when no field is needed).")
        abort(422, message=message, errors={"body": [message]})


def limit_body(max_bytes: int):
    """View decorator: a request body larger than ``max_bytes`` is refused (413) before it is read."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            request.max_content_length = max_bytes
            return view(*args, **kwargs)

        return wrapped

    return decorator


@contextmanager
def errors_under(prefix: str = "", rename: dict[str, str] | None = None):
    """Field errors of a service, named as the fields of the request: under ``prefix`` (the
    service validated a part of the body) or renamed (``{"source": "from_position_id"}``)."""
    try:
        yield
    except ServiceError as error:
        rename = rename or {}
        error.errors = {
            rename.get(name, f"{prefix}.{name}" if prefix else name): messages
            for name, messages in error.errors.items()
        }
        raise


# --- lists --------------------------------------------------------------------------------


def page_of(query, args: dict) -> dict:
    """One page of a named query: ``{"items", "total", "page", "per_page"}``."""
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], max_per_page=MAX_PER_PAGE, error_out=False)
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page}


def reference(getter, object_id: int, field: str):
    """The record that a field of the request (body or query) names by id: an unknown id is an
    error of that field (422), not a missing URL (404)."""
    try:
        return getter(object_id)
    except NotFound as error:
        raise ServiceError.field(field, error.message) from None


def department_filter(department_id: int | None, field: str = "department_id"):
    """The department whose subtree a list is filtered to, if any."""
    return None if department_id is None else reference(services.get_department, department_id, field)


class Row:
    """An object to dump together with values computed for it (counts, a job description):
    the extra values are attributes, everything else is read from the object."""

    def __init__(self, obj, **extra):
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._obj, name)


# --- versions -----------------------------------------------------------------------------


def etag(obj) -> dict[str, str]:
    """The ETag header of a versioned record: its version, as a weak tag (W/"3")."""
    return {"ETag": f'W/"{obj.version}"'}


_TAG = re.compile(r'\s*(?:W/)?"(\d{1,9})"\s*')


def seen_version(body_version: int | None) -> int:
    """The version an update is based on: the If-Match header (the ETag of a GET) or the
    body's ``version``. One of them is required; when both are sent they must agree."""
    header = request.headers.get("If-Match")
    header_version = None
    if header is not None:
        match = _TAG.fullmatch(header)
        if match is None:
            abort(
                412,
                message=_('If-Match must hold one ETag of this record, e.g. W/"3".'),
                errors={"If-Match": [_("Send the ETag that the GET of this record returned.")]},
            )
        header_version = int(match.group(1))
    if header_version is None and body_version is None:
        abort(
            428,
            message=_("Say which version your change is based on."),
            errors={"version": [_("Send the record's version in the body, or its ETag in If-Match.")]},
        )
    if header_version is not None and body_version is not None and header_version != body_version:
        abort(
            422,
            message=_("If-Match and version disagree."),
            errors={"version": [_("This is not the version named by If-Match.")]},
        )
    return header_version if header_version is not None else body_version


def update_versioned(obj, body: dict, update, make_data, current: dict | None = None) -> None:
    """PUT or PATCH of a versioned record: ``update(obj, make_data(fields), seen_version=…)``
    with the version the request is based on (the commit point commits). PATCH passes ``current``, the record
    as a full body, for the fields it sends to go on top of."""
    version = seen_version(body.pop("version", None))
    update(obj, make_data({**(current or {}), **body}), seen_version=version)
