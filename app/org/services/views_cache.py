"""What a page builds from the whole organisation (the org chart, the department choices of a
select), kept per process until the data changes, so that those pages cost what they show, not
what the company holds.

When the data changes is told by the audit trail: every change writes an audit row in the same
transaction (the flush hook; bulk operations record their own), so the newest row (its id and
time: SQLite may give a rolled-back id again) moves with every committed change, and reading it
is one index lookup. Today's date is part of the key too (who holds a post is dated), and so is
the database, the language and whatever the caller adds.

Nothing is kept or read from the cache while the session holds changes of its own (pending, or
flushed in this transaction): the page then sees them, as it would without a cache. Off when
``ORG_VIEW_CACHE`` is false (the tests' configuration: most tests roll back their transaction,
which may give the same audit id to other data; the cache's own tests turn it on).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, g, has_request_context
from flask_babel import get_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.core import clock
from app.extensions import db

KEPT = 256
_NEWEST = select(AuditEvent.id, AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)  # built once
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()
_FLUSHED = "org_view_cache_flushed"


@event.listens_for(Session, "after_flush")
def _flushed(session, _context) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_FLUSHED, None)


def _usable() -> bool:
    session = db.session()
    return bool(current_app.config.get("ORG_VIEW_CACHE", True)) and not (
        session.new or session.dirty or session.deleted or session.info.get(_FLUSHED)
    )


def data_version() -> tuple:
    """Moves with every committed change to the data (see the module's docstring); read once
    per request."""
    if has_request_context() and "org_data_version" in g:
        return g.org_data_version
    newest = db.session.execute(_NEWEST).first()
    version = (id(db.engine), tuple(newest) if newest else None, clock.today().isoformat(), str(get_locale()))
    if has_request_context():
        g.org_data_version = version
    return version


def cached(name: str, parts: tuple, build):
    """``build()``, or what it returned before for ``name`` and ``parts`` while the data has not
    changed since. What is kept must be plain values (no ORM object: it outlives its session)."""
    if not _usable():
        return build()
    key = (name, parts, data_version())
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    value = build()
    with _lock:
        _kept[key] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _kept.clear()
