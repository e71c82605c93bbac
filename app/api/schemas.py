"""Request and response schemas of the API. They validate requests and, through apispec, are
the OpenAPI document: what is written here is what the reference shows.

Request schemas refuse unknown fields. Limits follow the columns and the pages' forms (code
pattern, lengths, headcount), so that nothing valid here can fail in the database.

This module holds what every schema module shares: the field helpers, the base of responses,
errors, pages and PATCH bodies. The schemas of each domain are in their own modules:
department_schemas.py, position_schemas.py (with the job description a position carries),
employee_schemas.py (with assignments), org_schemas.py, job_schemas.py, library_schemas.py,
content_schemas.py, appraisal_schemas.py and document_schemas.py (with background tasks).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.common import MAX_ID, MAX_PER_PAGE
from app.core.text import CONTROL, UNSTORABLE
from app.org.forms import CODE_MESSAGE, CODE_PATTERN

TEXT_MAX = 20_000


class Text(fields.String):
    """A string that can be stored and exported: no NUL character, no lone surrogate, no
    invisible control character other than tabs and line breaks."""

    default_error_messages = {"unstorable": "Invalid value.",
                              "control": "Remove the invisible control characters from the text."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if UNSTORABLE.search(value):
            raise self.make_error("unstorable")
        if CONTROL.search(value):
            raise self.make_error("control")
        return value


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
    return Text(required=True, metadata={"description": "Letters, digits, dots, dashes and underscores, e.g. EC-MGR."},
                validate=[validate.Length(min=1, max=40), validate.Regexp(CODE_PATTERN, error=CODE_MESSAGE)])


def version_field() -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "The version this change is based on (or send its ETag in If-Match)."})


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
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True, metadata={
        "description": "Messages per field; nested fields have dotted names (collaborations.0.duty); "
                       "\"body\" is about the request body as a whole. Empty when no field is at fault."})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ID))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Output,), {
        "items": fields.List(fields.Nested(item)),
        "total": fields.Integer(metadata={"description": "Items matching the filters, on all pages."}),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    })


def patch(schema: type[Schema]) -> Schema:
    """The body of a PATCH: every field of ``schema`` optional; the objects of a list (e.g.
    collaborations) stay complete, since a list is replaced as a whole."""
    return schema(partial=tuple(schema._declared_fields))
