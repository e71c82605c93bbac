"""A position's place in the reporting line (``Position.reporting_level``), stored so that lists,
department pages and manuals order "head first" by walking an index instead of a recursive query
over every position on every view.

The level is derived: 0 for a position that reports to no one, one more for each superior above.
It is kept right without any caller thinking of it:

- a flush that adds or deletes a position, or changes whom one reports to, marks the session;
- before the transaction commits, a marked session recomputes the levels (one query of every
  position's id and superior, and an UPDATE of only the rows whose level moved). Two such
  transactions at once take turns (the reporting line's lock, taken before any write of a
  position), so the second reads what the first committed;
- the named queries that order by the level (``head_first``, ``position_levels``) first bring a
  marked session up to date, so a page drawn in the same transaction as a change sees it.

Writes that bypass the ORM (bulk inserts of the benchmarks, a backup restore restores the stored
value itself) call ``refresh_reporting_levels`` themselves. The UPDATE goes to the table, not the
mapped class: the level is no edit of the position (its version and audit trail stay as they are).
"""

from __future__ import annotations

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import InstanceState, Session

from app.db import serialize
from app.extensions import db
from app.org.models import Position

_STALE = "org_reporting_levels_stale"
MAX_DEPTH = 200  # a reporting line is never longer; only a loop could be, and loops are refused


def _writes_positions(session) -> bool:
    return any(isinstance(obj, Position) for obj in (*session.new, *session.dirty, *session.deleted))


def _moves_reporting_line(session) -> bool:
    if any(isinstance(obj, Position) for obj in (*session.new, *session.deleted)):
        return True
    for obj in session.dirty:
        if isinstance(obj, Position):
            state: InstanceState = inspect(obj)
            if any(state.attrs[key].history.has_changes() for key in ("reports_to_id", "reports_to")):
                return True
    return False


@event.listens_for(Session, "before_flush")
def _take_turns(session, _context, _instances) -> None:
    # The reporting line's lock before any write of a position, not only at the commit: a
    # transaction that first wrote a position (its row then locked) and waited for the lock later
    # would wait for a refresh that waits for that row. Taken again at every such flush (cheap,
    # and right after a rolled-back savepoint, which gives the lock back on PostgreSQL).
    if _writes_positions(session):
        serialize(session, "org:reporting-lines")


@event.listens_for(Session, "after_flush")
def _mark(session, _context) -> None:
    if not session.info.get(_STALE) and _moves_reporting_line(session):
        session.info[_STALE] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    if session.info.pop(_STALE, False):
        refresh_reporting_levels(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_STALE, None)


def computed_levels(superiors: dict[int, int | None]) -> dict[int, int]:
    """{position id: level} from {position id: superior id}: a top (no superior, or one that is not
    there) is 0. A position on a loop (never made by RoleBook: only a write around it) is counted
    from where the loop is entered, and at most ``MAX_DEPTH``."""
    below: dict[int | None, list[int]] = {}
    for pid, up in superiors.items():
        below.setdefault(up if up in superiors else None, []).append(pid)
    levels: dict[int, int] = {}
    layer, level = below.get(None, []), 0
    while layer and level <= MAX_DEPTH:
        for pid in layer:
            levels[pid] = level
        layer = [child for pid in layer for child in below.get(pid, ()) if child not in levels]
        level += 1
    for pid in superiors:  # on a loop: unreachable from a top
        levels.setdefault(pid, 0)
    return levels


def refresh_reporting_levels(session=None) -> int:
    """Recompute every position's stored level; returns how many rows changed."""
    session = session or db.session()
    serialize(session, "org:reporting-lines")
    table = Position.__table__
    rows = session.execute(
        select(table.c.id, table.c.reports_to_id, table.c.reporting_level).order_by(table.c.id)  # rows locked in order
    ).all()
    levels = computed_levels({row.id: row.reports_to_id for row in rows})
    moved = [{"pid": row.id, "level": levels[row.id]} for row in rows if levels[row.id] != row.reporting_level]
    if moved:
        session.execute(
            table.update().where(table.c.id == bindparam("pid")).values(reporting_level=bindparam("level")),
            moved,
        )
    return len(moved)


def ensure_reporting_levels() -> None:
    """Bring the stored levels up to date with this session's own changes (pending or flushed),
    before a query orders by them. Costs nothing when the session changed no reporting line. The
    session stays marked: the commit computes them again, in case a savepoint rolled back since."""
    session = db.session()
    if _writes_positions(session):
        session.flush()
    if session.info.get(_STALE):
        refresh_reporting_levels(session)
