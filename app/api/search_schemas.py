"""Request and response schemas of the search resource."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Output, Text
from app.search.models import KINDS


class SearchArgs(Schema):
    q = Text(
        required=True,
        metadata={
            "description": "Words to find (all of them, anywhere, ignoring case); only the first 200 characters and "
            "8 words are searched (`truncated` says so). Operators and wildcards are plain characters."
        },
    )
    per_kind = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=50),
        metadata={"description": "Results of each kind (the `total` counts them all)."},
    )
    kind = fields.List(
        fields.String(validate=validate.OneOf(KINDS)),
        load_default=list(KINDS),
        metadata={"description": "Only these kinds (repeat the argument for several); none named: every kind."},
    )


class SearchHitOut(Output):
    kind = fields.String()
    id = fields.Integer(metadata={"description": "The record's id (for a job description: the version's)."})
    position_id = fields.Integer(allow_none=True, metadata={"description": "Job descriptions: their position."})
    title = fields.String()
    detail = fields.String()
    archived = fields.Boolean(metadata={"description": "Archived (employees: left)."})
    snippet = fields.String(metadata={"description": "The matching line of the text (job descriptions, KPIs)."})
    title_html = fields.String(metadata={"description": "The title, HTML-escaped, matches in <mark>."})
    snippet_html = fields.String(metadata={"description": "The snippet, HTML-escaped, matches in <mark>."})
    url = fields.String(metadata={"description": "The record's page."})


class SearchGroupOut(Output):
    kind = fields.String(validate=validate.OneOf(KINDS))
    label = fields.String()
    total = fields.Integer(metadata={"description": "Matches of this kind the user may see."})
    items = fields.List(fields.Nested(SearchHitOut))


class SearchOut(Output):
    query = fields.String(metadata={"description": "What was searched."})
    terms = fields.List(fields.String())
    truncated = fields.Boolean()
    groups = fields.List(fields.Nested(SearchGroupOut), metadata={"description": "Kinds with matches only."})
