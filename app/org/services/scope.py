"""The reporting line seen from people: an employee's manager (walking up past vacant posts) and
a manager's reporting subtree, which scopes what managers see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import literal, select

from app.extensions import db
from app.org.models import Assignment, Employee, Position
from app.org.services.common import current_filter
from app.org.services.employees import primary_position
from app.org.services.positions import chain_up, current_holders, subtree_position_ids


def managers_of_position(position_id: int, day: date | None = None) -> tuple[Position | None, list[Employee]]:
    """The first position above ``position_id`` that has a holder on ``day``, and its holders:
    the reporting line walked upwards past vacant posts."""
    chain = [pid for pid, distance in chain_up(position_id) if distance > 0]
    if not chain:
        return None, []
    holders = current_holders(chain, day)
    for pid in chain:
        if holders.get(pid):
            return db.session.get(Position, pid), holders[pid]
    return None, []


def managers_of_positions(position_ids, day: date | None = None) -> dict[int, tuple[Position | None, list[Employee]]]:
    """``managers_of_position`` for many positions at once (a page of a list), in three queries:
    every reporting line upwards in one recursive query, their holders, the positions found."""
    ids = sorted({pid for pid in position_ids if pid})
    if not ids:
        return {}
    base = (
        select(
            Position.id.label("start"),
            Position.id.label("id"),
            Position.reports_to_id.label("up"),
            literal(0).label("distance"),
        )
        .where(Position.id.in_(ids))
        .cte("lines_up", recursive=True)
    )
    step = (
        select(base.c.start, Position.id, Position.reports_to_id, base.c.distance + 1)
        .join(base, Position.id == base.c.up)
        .where(base.c.distance < 200)
    )
    lines = base.union_all(step)
    above: dict[int, list[int]] = {}
    for start, pid in db.session.execute(
        select(lines.c.start, lines.c.id).where(lines.c.distance > 0).order_by(lines.c.start, lines.c.distance)
    ):
        above.setdefault(start, []).append(pid)
    holders = current_holders({pid for line in above.values() for pid in line}, day)
    found = {start: next((pid for pid in line if holders.get(pid)), None) for start, line in above.items()}
    wanted = {pid for pid in found.values() if pid}
    positions = {p.id: p for p in db.session.scalars(select(Position).where(Position.id.in_(wanted)))} if wanted else {}
    return {pid: (positions[found[pid]], holders[found[pid]]) if found.get(pid) else (None, []) for pid in ids}


def manager_of(employee: Employee, day: date | None = None) -> tuple[Position | None, list[Employee]]:
    position = primary_position(employee, day)
    if position is None:
        return None, []
    return managers_of_position(position.id, day)


def positions_held_by_user(user, day: date | None = None) -> list[int]:
    """Ids of the positions the user's employee holds today."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return []
    return list(
        db.session.scalars(
            select(Assignment.position_id).where(Assignment.employee_id == employee.id, current_filter(day))
        )
    )


def managed_position_ids(user):
    """Select of the positions below those the user holds (their reporting subtree, excluding
    their own posts)."""
    held = positions_held_by_user(user)
    if not held:
        return select(Position.id).where(literal(False))
    subtree = subtree_position_ids(held).subquery()
    return select(subtree.c.id).where(subtree.c.id.not_in(held))


def employees_in_subtree_of(user, employee_ids) -> set[int]:
    """Those of ``employee_ids`` who currently hold a position in ``user``'s reporting subtree."""
    managed = managed_position_ids(user).subquery()
    return set(
        db.session.scalars(
            select(Assignment.employee_id).where(
                Assignment.employee_id.in_(list(employee_ids)),
                current_filter(),
                Assignment.position_id.in_(select(managed.c.id)),
            )
        )
    )


def employee_in_subtree_of(employee: Employee, user) -> bool:
    return bool(employees_in_subtree_of(user, [employee.id]))


def employee_ids_visible_to(user, subtree: bool):
    """A select of the ids of the user's own employee record and, with ``subtree``, of the
    employees currently holding a position in the user's reporting subtree."""
    own = select(Employee.id).where(Employee.user_id == user.id)
    if not subtree:
        return own
    managed = managed_position_ids(user).subquery()
    return own.union(
        select(Assignment.employee_id).where(current_filter(), Assignment.position_id.in_(select(managed.c.id)))
    )
