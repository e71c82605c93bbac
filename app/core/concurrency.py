"""Optimistic locking for edits based on what the client saw."""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.models import AuditEvent
from app.core.errors import Conflict
from app.extensions import db


def check_version(obj, seen_version: int | None) -> None:
    """Refuse an edit based on an older version of ``obj``, saying what changed since then."""
    if seen_version is None or seen_version == "":
        return
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        seen = 0   # a malformed version is no version the record ever had: a conflict, like an old one
    if seen == obj.version:
        return
    raise Conflict(
        _("This record was changed by someone else while you were editing it. "
          "Review their changes below, then make yours again."),
        changes=changes_since(obj, seen) if 0 < seen < obj.version else {},
    )


def changes_since(obj, seen_version: int) -> dict:
    """{field: [old, new]} of the audited updates of ``obj`` after the version the client saw."""
    events = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == type(obj).__tablename__, AuditEvent.entity_id == str(obj.id),
               AuditEvent.action == "update")
        .order_by(AuditEvent.id.desc())
        .limit(max(obj.version - seen_version, 1))
    ).all()
    merged: dict = {}
    for event in reversed(events):
        for field, (before, after) in (event.changes or {}).items():
            merged[field] = [merged.get(field, [before])[0], after]
    return merged
