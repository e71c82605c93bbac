"""Optimistic locking for edits based on what the client saw, and the "what changed since you
opened it" list that a refused edit shows, with readable values and field labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.core.errors import Conflict
from app.extensions import db

# Labels of fields that no form shows but an edit may change (e.g. archiving while someone edits).
FIELD_LABELS = {
    "archived_at": _l("Archived"),
}


def check_version(obj, seen_version: int | None) -> None:
    """Refuse an edit based on an older version of ``obj``, saying what changed since then."""
    if seen_version is None or seen_version == "":
        return
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        seen = 0  # a malformed version is no version the record ever had: a conflict, like an old one
    if seen == obj.version:
        return
    raise Conflict(
        _(
            "This record was changed by someone else while you were editing it. "
            "Review their changes below, then make yours again."
        ),
        changes=readable_changes(obj, changes_since(obj, seen)) if 0 < seen < obj.version else {},
    )


def _no_history(obj, seen_version: int) -> dict:
    return {}


_changes_since: Callable[[Any, int], dict] = _no_history


def register_history(changes_since: Callable[[Any, int], dict]) -> None:
    """How the changes of a record after a version are read: the audit trail registers its own
    (``app.audit.services.changes_since``) when it starts recording; until then a conflict lists
    no changes."""
    global _changes_since
    _changes_since = changes_since


def changes_since(obj, seen_version: int) -> dict:
    """{field: [old, new]} of the recorded updates of ``obj`` after the version the client saw."""
    return _changes_since(obj, seen_version)


def _mapped_class(table):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def display_label(record) -> str:
    """How a record that a field refers to is shown: "EC-MGR · 电商部经理", "王强 (E001)"."""
    code = getattr(record, "code", None) or getattr(record, "employee_no", None)
    name = getattr(record, "title", None) or getattr(record, "name", None)
    if code and name:
        return f"{code} · {name}" if hasattr(record, "code") else f"{name} ({code})"
    return str(code or name or getattr(record, "email", None) or f"#{record.id}")


def readable_changes(obj, changes: dict) -> dict[str, list[str | None]]:
    """``changes`` ({field: [before, after]} as the audit trail keeps them) as people read them:
    ids of other records as their code and name (one query per kind of record), lists joined,
    values with a label of their own (an employee's status) in the user's language. Internal
    bookkeeping (a department's depth) is left out."""
    mapper = inspect(type(obj))
    hidden = getattr(type(obj), "__conflict_hidden__", ())
    targets: dict[str, type] = {}
    wanted: dict[type, set] = defaultdict(set)
    for field, values in changes.items():
        column = mapper.columns.get(field)
        if column is None or not column.foreign_keys:
            continue
        target = _mapped_class(next(iter(column.foreign_keys)).column.table)
        if target is not None:
            targets[field] = target
            wanted[target].update(v for v in values if isinstance(v, int))
    labels = {
        target: {
            record.id: display_label(record)
            for record in db.session.scalars(db.select(target).where(inspect(target).primary_key[0].in_(ids)))
        }
        for target, ids in wanted.items()
        if ids
    }
    display_value = getattr(type(obj), "display_value", None)

    def show(field, value):
        if value is None or value == "" or value == []:
            return None
        if field in targets:
            return labels.get(targets[field], {}).get(value, f"#{value}")
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        if display_value is not None:
            value = display_value(field, value)
        return str(value)

    return {
        field: [show(field, before), show(field, after)]
        for field, (before, after) in changes.items()
        if field not in hidden
    }


def field_label(form, field: str) -> str:
    """The label of ``field`` as the form shows it (the fields are named as the columns), for
    the table of changes of a refused edit; else a known label, else the name."""
    bound = getattr(form, "_fields", {}).get(field) if form is not None else None
    if bound is not None and getattr(bound, "label", None) is not None:
        return bound.label.text
    return str(FIELD_LABELS.get(field, field))
