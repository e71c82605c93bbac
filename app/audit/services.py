"""Recording and querying the audit trail.

Every change to a mapped row is recorded automatically by a flush hook (``track_changes``),
inside the same transaction as the change: a request that rolls back leaves no audit row, and
no change can be saved without one. Security events that change no row (a login, a failed
login, a backup download) are recorded with ``record()``, the same helper the hook uses.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import enum

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import ColumnProperty, Mapper

from app.audit.models import AuditEvent
from app.core import clock
from app.core.concurrency import register_history
from app.db import collection_changes, record_label, utcnow
from app.extensions import db

# The actions the trail knows, for the filter on the audit page.
ACTIONS = (
    "create",
    "update",
    "delete",
    "login",
    "login_failed",
    "password_change",
    "import",
    "backup",
    "restore",
    "launch",
    "recompute",
)

_cli_actor: contextvars.ContextVar[tuple[str, int | None] | None] = contextvars.ContextVar(
    "audit_cli_actor", default=None
)


@contextlib.contextmanager
def acting_as(label: str, user_id: int | None = None):
    """Attribute changes made outside a request (CLI, background jobs) to ``label``, and to the
    account ``user_id`` when a person asked for them (a background task names its owner)."""
    token = _cli_actor.set((label, user_id))
    try:
        yield
    finally:
        _cli_actor.reset(token)


def actor() -> tuple[int | None, str, str | None]:
    """(user id, label, client address) of whoever makes the current change."""
    if _cli_actor.get():
        label, user_id = _cli_actor.get()
        return user_id, label, None
    if has_request_context():
        ip = request.remote_addr
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.email, ip
        return None, "anonymous", ip
    return None, "system", None


def _plain(value):
    """A JSON-safe rendering of a column value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _row(entity: str, entity_id, action: str, changes: dict, label: str = "", user=None) -> dict:
    actor_id, actor_label, ip = actor()
    if user is not None:  # the person the event is about acts (a login, before the session knows them)
        actor_id, actor_label = user.id, user.email
    return {
        "at": utcnow(),
        "actor_id": actor_id,
        "actor_label": actor_label[:254],
        "entity": entity,
        "entity_id": "" if entity_id is None else str(entity_id),
        "label": (label or "")[:255],
        "action": action,
        "changes": changes,
        "ip": ip,
    }


def record(action: str, entity: str, entity_id=None, changes: dict | None = None, label: str = "", user=None) -> None:
    """Record one event in the current transaction (the caller commits); ``user``: the account
    that acts, when the request does not know it yet (a login)."""
    db.session.execute(insert(AuditEvent), [_row(entity, entity_id, action, _plain(changes or {}), label, user)])


def _audited(obj) -> bool:
    return getattr(type(obj), "__audit__", True) and hasattr(type(obj), "__tablename__")


def _changes(obj, action: str) -> dict:
    """{field: [before, after]} for the columns of ``obj`` that this flush changes."""
    excluded = getattr(type(obj), "audit_exclude", frozenset())
    state = inspect(obj)
    changes = {}
    for prop in state.mapper.iterate_properties:
        if not isinstance(prop, ColumnProperty) or prop.key in excluded or prop.key == "version":
            continue
        history = state.attrs[prop.key].history
        if action == "create":
            after = history.added[0] if history.added else getattr(obj, prop.key)
            if after is not None and after != "":
                changes[prop.key] = [None, _plain(after)]
        elif action == "delete":
            before = (history.deleted or history.unchanged or [None])[0]
            changes[prop.key] = [_plain(before), None]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[prop.key] = [_plain(before), _plain(after)]
    if action == "update":  # the record's own collections (child and association rows), by label
        changes.update(collection_changes(obj))
    elif action == "create":
        loaded = state.dict  # only what was set: reading an unloaded collection would query mid-flush
        changes.update(
            {
                field: [None, [record_label(item) for item in loaded[key]]]
                for key, field in getattr(type(obj), "__versioned_collections__", {}).items()
                if loaded.get(key)
            }
        )
    return changes


def _collect(session) -> list[dict]:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not _audited(obj):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:  # touched, but nothing it records changed
                continue
            state = inspect(obj)
            # a new row has no identity yet in after_flush, but its primary key is filled in
            identity = state.identity or tuple(state.mapper.primary_key_from_instance(obj))
            entity_id = identity[0] if identity and len(identity) == 1 else (identity or "")
            rows.append(_row(type(obj).__tablename__, entity_id, action, changes, record_label(obj)))
    return rows


_tracking = False


def _ignore(target, value, oldvalue, initiator):
    return value


def track_changes() -> None:
    """Install, once per process, the flush hook that records every insert, update and delete."""
    global _tracking
    if _tracking:
        return
    from flask_sqlalchemy.session import Session

    @event.listens_for(Mapper, "mapper_configured")
    def _keep_old_values(mapper, class_):
        # Load the old value when an expired attribute is set, so updates record "before".
        if getattr(class_, "__audit__", True):
            for prop in mapper.column_attrs:
                event.listen(getattr(class_, prop.key), "set", _ignore, active_history=True)

    @event.listens_for(Session, "after_flush")
    def _after_flush(session, flush_context):
        rows = _collect(session)
        if rows:
            session.execute(insert(AuditEvent), rows)

    register_history(changes_since)
    _tracking = True


def changes_since(obj, seen_version: int) -> dict:
    """{field: [old, new]} of the audited updates of ``obj`` after the version the client saw,
    its lists (a position's dotted lines, a department's functions) included: what a refused
    edit lists (``app.core.concurrency``)."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == type(obj).__tablename__,
            AuditEvent.entity_id == str(obj.id),
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id.desc())
        .limit(max(obj.version - seen_version, 1))
    ).all()
    merged: dict = {}
    for event_ in reversed(events):
        for field, (before, after) in (event_.changes or {}).items():
            merged[field] = [merged.get(field, [before])[0], after]
    return {field: values for field, values in merged.items() if values[0] != values[1]}


def list_events(
    entity: str | None = None,
    action: str | None = None,
    actor: str | None = None,
    entity_id: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Named query for the audit page: newest first, filtered."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        from app.audit.vocabulary import actor_condition

        query = query.where(actor_condition(actor, AuditEvent))
    if entity_id:
        query = query.where(
            (AuditEvent.entity_id == entity_id) | AuditEvent.label.icontains(entity_id, autoescape=True)
        )
    if since:
        query = query.where(AuditEvent.at >= clock.day_start(since))  # days of the company's calendar
    if until:
        query = query.where(AuditEvent.at < clock.day_start(until + dt.timedelta(days=1)))
    return query


def entity_names() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity)))
