"""Request and response schemas of the API. They validate requests and, through apispec, are
the OpenAPI document: what is written here is what the reference shows.

Request schemas refuse unknown fields. Limits follow the columns and the pages' forms (code
pattern, lengths, headcount), so that nothing valid here can fail in the database.

This module holds what every schema module shares: the field helpers, the schemas derived from
the domains' declared fields (``input_schema``, ``output_schema``: app/core/fields.py and each
domain's fields.py), the base of responses, errors, pages and PATCH bodies. The schemas of each domain are in their own modules:
department_schemas.py, position_schemas.py (with the job description a position carries),
employee_schemas.py (with assignments), org_schemas.py, job_schemas.py, library_schemas.py,
content_schemas.py, appraisal_schemas.py and document_schemas.py (with background tasks).
"""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from app.api.common import MAX_ID, MAX_PER_PAGE
from app.auth.models import EMAIL_PATTERN
from app.core.fields import CODE_MESSAGE, CODE_PATTERN, TEXT_MAX, Entity, Field
from app.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NumberError, exact, parse_number
from app.core.text import CONTROL, UNSTORABLE
from app.org.models import EmployeeStatus

TOO_MANY = "At most {max} items."  # translated by app.core.messages
STATUSES = [status.value for status in EmployeeStatus]


class Text(fields.String):
    """A string that can be stored and exported: no NUL character, no lone surrogate, no
    invisible control character other than tabs and line breaks."""

    default_error_messages = {
        "unstorable": "Invalid value.",
        "control": "Remove the invisible control characters from the text.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if UNSTORABLE.search(value):
            raise self.make_error("unstorable")
        if CONTROL.search(value):
            raise self.make_error("control")
        return value


NUMERIC_STRING = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*")
EXPONENT = re.compile(r"\d[eE][+-]?\d")  # refused by parse_number with its own message


class Exact(fields.Field):
    """A number kept exactly: a JSON number or a string of one ("1200000", "-0.985",
    "99999999999999.9999"; no separators, units or exponent), checked by the same rule as the
    pages (``app.core.numbers``: no exponent, NaN or infinity; at most ``integer_digits`` digits
    before the point and ``decimals`` after it). Answered as a JSON number with every digit (a
    client that reads numbers as doubles keeps about 15 of them)."""

    def __init__(
        self, *, decimals: int = MAX_DECIMALS, integer_digits: int = MAX_INTEGER_DIGITS, low=None, high=None, **kwargs
    ):
        limits = f"at most {integer_digits} digits before the point and {decimals} after it"
        if low is not None and high is not None:
            limits += f", from {low} to {high}"
        metadata = {
            "type": "number",
            "description": f"A number ({limits}); a numeric string is also accepted.",
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)
        self.limits = {"decimals": decimals, "integer_digits": integer_digits, "low": low, "high": high}

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
            raise self.make_error("invalid")
        if isinstance(value, str) and not NUMERIC_STRING.fullmatch(value) and not EXPONENT.search(value):
            raise self.make_error("invalid")
        try:
            return parse_number(value, required=True, **self.limits)
        except NumberError as error:
            raise ValidationError(error.message) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return exact(value)

    default_error_messages = {"invalid": "Not a valid number."}


def text(max_length: int = TEXT_MAX, **kwargs) -> Text:
    return Text(validate=validate.Length(max=max_length), **kwargs)


def optional_text(max_length: int = TEXT_MAX) -> Text:
    return text(max_length, load_default="")


def ref(**kwargs) -> fields.Integer:
    """The id of another record (a JSON number)."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def query_ref(description: str = "") -> fields.Integer:
    """The id of another record in the query string."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), metadata={"description": description})


def optional_ref() -> fields.Integer:
    return ref(allow_none=True, load_default=None)


def code() -> Text:
    return Text(
        required=True,
        metadata={"description": "Letters, digits, dots, dashes and underscores, e.g. EC-MGR."},
        validate=[validate.Length(min=1, max=40), validate.Regexp(CODE_PATTERN, error=CODE_MESSAGE)],
    )


def input_field(f: Field) -> fields.Field:
    """The request field of a declared field: its type, limits, default and description."""
    metadata = {"description": f.description} if f.description else {}
    if f.kind == "code":
        return Text(
            required=True,
            metadata=metadata,
            validate=[validate.Length(min=1, max=f.max_length), validate.Regexp(CODE_PATTERN, error=CODE_MESSAGE)],
        )
    if f.kind in ("line", "text"):
        if f.required:
            return Text(required=True, validate=validate.Length(min=1, max=f.max_length), metadata=metadata)
        return text(f.max_length or TEXT_MAX, load_default="", metadata=metadata)
    if f.kind == "int":
        return fields.Integer(
            strict=True,
            load_default=f.default,
            validate=validate.Range(min=f.minimum, max=f.maximum),
            metadata=metadata,
        )
    if f.kind == "ref":
        return (
            ref(required=True, metadata=metadata)
            if f.required
            else ref(allow_none=True, load_default=None, metadata=metadata)
        )
    if f.kind == "refs":
        return fields.List(ref(), load_default=list, validate=validate.Length(max=f.maximum), metadata=metadata)
    if f.kind == "email":
        return Text(
            load_default="",
            metadata=metadata,
            validate=[
                validate.Length(max=f.max_length),
                validate.Regexp(f"{EMAIL_PATTERN}|^$", error=f.message("invalid")),
            ],
        )
    if f.kind == "date":
        if f.required:
            return fields.Date(required=True, metadata=metadata)
        return fields.Date(allow_none=True, load_default=None, metadata=metadata)
    if f.kind == "status":
        return fields.String(load_default=f.default, validate=validate.OneOf(STATUSES), metadata=metadata)
    if f.kind == "choice":
        given = {"required": True} if f.required else {} if f.default is None else {"load_default": f.default}
        return fields.String(validate=validate.OneOf(sorted(f.choices.values())), metadata=metadata, **given)
    if f.kind == "bool":
        return fields.Boolean(load_default=f.empty(), metadata=metadata)
    if f.kind == "lines":
        return fields.List(
            text(f.max_length or TEXT_MAX),
            load_default=list,
            metadata=metadata,
            validate=validate.Length(max=f.maximum, error=TOO_MANY),
        )
    raise ValueError(f"No request field for the kind {f.kind!r} of {f.name}: give it to input_schema")


def output_field(f: Field) -> fields.Field:
    """The response field of a declared field."""
    if f.kind in ("code", "line", "text", "email"):
        return fields.String()
    if f.kind in ("int", "ref"):
        return fields.Integer(allow_none=not f.required) if f.kind == "ref" else fields.Integer()
    if f.kind == "date":
        return fields.Date(allow_none=not f.required)
    if f.kind == "status":
        return fields.String(validate=validate.OneOf(STATUSES))
    if f.kind == "choice":
        return fields.String(validate=validate.OneOf(sorted(f.choices.values())))
    if f.kind == "bool":
        return fields.Boolean()
    raise ValueError(f"No response field for the kind {f.kind!r} of {f.name}: give it to output_schema")


def _declared(name: str, base: type[Schema], entity: Entity, derive, own: dict, first: tuple[str, ...]) -> type[Schema]:
    """A schema class with a field per declared field of ``entity`` (``own`` replaces or adds
    some). The fields named in ``first`` come first, then the declared ones, then the rest of
    ``own``: the order of the OpenAPI document's properties."""
    declared = {f.name: own[f.name] if f.name in own else derive(f) for f in entity.fields}
    extra = {key: value for key, value in own.items() if key not in declared}
    both = {**declared, **extra}
    attrs = {key: both[key] for key in first} | {key: both[key] for key in both if key not in first}
    return type(name, (base,), attrs)


def input_schema(name: str, entity: Entity, **own: fields.Field) -> type[Schema]:
    """The request schema of ``entity``: a field per declared field, in the declaration's order
    (``own`` gives those that need more than the declaration, e.g. a nested object)."""
    return _declared(name, Schema, entity, input_field, own, ())


def output_schema(name: str, entity: Entity, first: tuple[str, ...] = ("id",), **own: fields.Field) -> type[Schema]:
    """The response schema of ``entity``: a field per declared field, plus ``own`` (the id, the
    version, derived values, and the fields read from a relationship); ``first`` come first."""
    return _declared(name, Output, entity, output_field, own, first)


def version_field() -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The version this change is based on (or send its ETag in If-Match)."},
    )


def one_of(enum_cls, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(sorted(enum_cls.values())), **kwargs)


class Output(Schema):
    """A response: every field is always present (null where the schema allows it)."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


# --- errors and lists ---------------------------------------------------------------------


class ErrorSchema(Schema):
    """Every 4xx and 5xx answer of the API."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status."})
    message = fields.String(required=True, metadata={"description": "One sentence, in the user's language."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={
            "description": "Messages per field; nested fields have dotted names (collaborations.0.duty); "
            '"body" is about the request body as a whole. Empty when no field is at fault.'
        },
    )


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ID))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return type(
        name,
        (Output,),
        {
            "items": fields.List(fields.Nested(item)),
            "total": fields.Integer(metadata={"description": "Items matching the filters, on all pages."}),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
        },
    )


def patch(schema: type[Schema]) -> Schema:
    """The body of a PATCH: every field of ``schema`` optional; the objects of a list (e.g.
    collaborations) stay complete, since a list is replaced as a whole."""
    return schema(partial=tuple(schema._declared_fields))
