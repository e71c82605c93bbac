"""Validation errors of API requests as ``{"code", "message", "errors": {field: [message]}}``.

webargs parses each request with the endpoint's marshmallow schema; when that fails it calls
``handle_error``, which aborts with the messages per field: nested fields get dotted names
("collaborations.0.duty", "functions.2"), errors of the whole body are under "body", and every
message is in the user's language. app/core/errors_views.py turns the abort into the JSON answer.
"""

from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import gettext as _
from marshmallow import fields
from webargs.core import missing
from webargs.flaskparser import FlaskParser, abort, is_json_request

from app.core.messages import translate

BODY = "body"  # the field name of errors about the request body as a whole


def field_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages flattened to {dotted field name: [translated messages]}."""
    flat: dict[str, list[str]] = {}

    def walk(node, name: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                key = str(key)
                walk(value, name if key == "_schema" else f"{name}.{key}" if name else key)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value, name)
        else:
            flat.setdefault(name or BODY, []).append(translate(node))

    walk(messages, prefix)
    return flat


class _LooseValue:
    """Stands for a value of the wrong JSON type: marshmallow's fields refuse it with their usual
    message ("Expected true or false.", "Expected a whole number."), among the other errors."""

    def __repr__(self) -> str:
        return "<value of the wrong JSON type>"


LOOSE = _LooseValue()


def reject_loose_types(schema, data):
    """``data`` with LOOSE in place of every value whose JSON type is not the one of its field:
    booleans must be ``true``/``false``, integers JSON integers, in nested objects and lists too."""
    if not isinstance(data, dict):
        return data
    checked = dict(data)
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key in checked and not field.dump_only:
            checked[key] = _checked(field, checked[key])
    return checked


def _checked(field, value):
    if value is None:
        return value
    if isinstance(field, fields.Boolean):
        return value if isinstance(value, bool) else LOOSE
    if isinstance(field, fields.Integer):
        return value if isinstance(value, int) and not isinstance(value, bool) else LOOSE
    if isinstance(field, fields.Nested):
        if field.many or getattr(field.schema, "many", False):
            return [reject_loose_types(field.schema, item) for item in value] if isinstance(value, list) else value
        return reject_loose_types(field.schema, value)
    if isinstance(field, fields.List) and isinstance(value, list):
        return [_checked(field.inner, item) for item in value]
    return value


class ApiParser(FlaskParser):
    """webargs' Flask parser, answering in RoleBook's error format."""

    DEFAULT_VALIDATION_STATUS = 422

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        # webargs keys the messages by location first ({"json": {...}, "query": {...}}); field
        # names are unique across the locations of one endpoint, so the location is dropped.
        errors: dict[str, list[str]] = {}
        for location_messages in error.messages.values():
            for field, messages in field_errors(location_messages).items():
                errors.setdefault(field, []).extend(messages)
        abort(
            error_status_code or self.DEFAULT_VALIDATION_STATUS,
            exc=error,
            message=_("Some values are not valid: see the message of each field."),
            errors=errors,
        )

    def load_json(self, req, schema):
        """The JSON body, where a boolean that is not ``true``/``false`` or an integer that is not
        a JSON integer fails validation (422, per field, with the other errors): marshmallow
        alone takes ``0``, ``"yes"`` or ``"on"`` as booleans and ``"5"`` or ``5.0`` as integers.
        Query strings, where every value is text, are parsed as before."""
        return reject_loose_types(schema, super().load_json(req, schema))

    def _raw_load_json(self, req):
        """The body with its numbers as Decimals, exactly as sent (a float would keep 15 to 17
        digits of 99999999999999.9999); NaN and Infinity, which JSON does not have, come through
        as text for the fields to refuse."""
        if not is_json_request(req):
            return missing
        try:
            return json.loads(req.get_data(cache=True).decode("utf-8"), parse_float=Decimal, parse_constant=str)
        except UnicodeDecodeError as error:
            raise json.JSONDecodeError(
                f"Bytes decoding error: {error.reason}", doc=str(error.object), pos=error.start
            ) from error
        except RecursionError as error:  # nested deeper than Python's parser goes: not a body we take
            message = _("The request body is nested too deeply.")
            abort(400, exc=error, message=message, errors={BODY: [message]})

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(
            400,
            exc=error,
            message=_("The request body is not valid JSON."),
            errors={BODY: [_("The request body is not valid JSON.")]},
        )
