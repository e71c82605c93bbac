"""Schemas of the notifications resource."""

from __future__ import annotations

from marshmallow import fields, validate

from app.api.schemas import Output, PageArgs, page_schema
from app.notifications import kinds


class NotificationArgs(PageArgs):
    kind = fields.String(
        load_default=None,
        validate=validate.OneOf([kinds.DIGEST, *kinds.KINDS]),
        metadata={"description": "Only notifications of this kind."},
    )
    unread = fields.Boolean(load_default=False, metadata={"description": "Only the unread ones."})


class DigestItemOut(Output):
    text = fields.String()
    link = fields.String()


class NotificationOut(Output):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "What it is about (digest: the daily reminder)."})
    kind_label = fields.String()
    text = fields.String(metadata={"description": "The sentence, in the user's language."})
    items = fields.List(fields.Nested(DigestItemOut), metadata={"description": "A digest's reminders."})
    link = fields.String(metadata={"description": "The page of the record it is about (a path)."})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


_Page = page_schema(NotificationOut, "NotificationPageBase")


class NotificationPage(_Page):
    unread = fields.Integer(metadata={"description": "The user's unread notifications (the bell's number)."})
