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
    return list(db.session.scalars(select(Assignment.position_id).where(
        Assignment.employee_id == employee.id, current_filter(day))))


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
    return set(db.session.scalars(select(Assignment.employee_id).where(
        Assignment.employee_id.in_(list(employee_ids)), current_filter(),
        Assignment.position_id.in_(select(managed.c.id)))))


def employee_in_subtree_of(employee: Employee, user) -> bool:
    return bool(employees_in_subtree_of(user, [employee.id]))


def employee_ids_visible_to(user, subtree: bool):
    """A select of the ids of the user's own employee record and, with ``subtree``, of the
    employees currently holding a position in the user's reporting subtree."""
    own = select(Employee.id).where(Employee.user_id == user.id)
    if not subtree:
        return own
    managed = managed_position_ids(user).subquery()
    return own.union(select(Assignment.employee_id).where(
        current_filter(), Assignment.position_id.in_(select(managed.c.id))))
