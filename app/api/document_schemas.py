"""Schemas of printed documents and background tasks in the API: the arguments of a PDF
(language, version of a job description) and a task's progress and result."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Output, query_ref

PDF = {"type": "string", "format": "binary"}
DOCX = {"type": "string", "format": "binary"}
LANGUAGE_CODES = ["en", "zh_CN"]


class DocumentArgs(Schema):
    lang = fields.String(
        validate=validate.OneOf(LANGUAGE_CODES),
        metadata={"description": "Language of the labels (the content is printed as typed); default: the user's."},
    )


class JobDescriptionPdfArgs(DocumentArgs):
    version = query_ref(
        "A version of this position's job description (any state the user may read); default: the version in force."
    )


class TaskOut(Output):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "What the task does, e.g. manual."})
    title = fields.String()
    status = fields.String(validate=validate.OneOf(["queued", "running", "done", "failed"]))
    status_label = fields.String(metadata={"description": "The status in the user's language."})
    done = fields.Integer(metadata={"description": "Steps done so far."})
    total = fields.Integer(metadata={"description": "Steps in all (0 while unknown)."})
    percent = fields.Integer(validate=validate.Range(min=0, max=100))
    step = fields.String(metadata={"description": "What it is doing now."})
    error = fields.String(metadata={"description": "Why it failed, in the user's language; empty otherwise."})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    result_url = fields.String(
        allow_none=True, metadata={"description": "Where to download the result once the task is done; null before."}
    )
