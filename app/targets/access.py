"""Who may see and change target plans. HR and admins plan for every department; the head of a
department (the holder of its head position) drafts plans for its subtree and, when the
setting ``TARGETS_HEAD_MAY_APPROVE`` allows it, approves them; only HR locks a plan and confirms
over-allocation. Employees see the targets handed down to the positions they hold."""

from __future__ import annotations

from flask import current_app, g, has_request_context

from app.auth.models import Role
from app.auth.permissions import has_role
from app.org.services import positions_held_by_user
from app.targets import services


def is_hr(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR)


def _headed(user) -> set[int]:
    """The departments the user heads (with their subtrees), once per request."""
    key = ("targets_headed", getattr(user, "id", None))
    cache = g.setdefault("_permission_cache", {}) if has_request_context() else {}
    if key not in cache:
        held = positions_held_by_user(user) if has_role(user, Role.MANAGER) else []
        cache[key] = set(services.headed_department_ids(held))
    return cache[key]


def can_use_plans(user) -> bool:
    """The plan pages: HR, admins and managers (a manager then only the departments they head)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def can_see_own_targets(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_plan_department(user, department) -> bool:
    return is_hr(user) or (has_role(user, Role.MANAGER) and department.id in _headed(user))


def can_view_plan(user, plan) -> bool:
    return can_plan_department(user, plan.department)


def can_edit_plan(user, plan) -> bool:
    return can_plan_department(user, plan.department)


def can_record_actuals(user, plan) -> bool:
    """Monthly actuals: HR, or the head of the plan's department (their subtree)."""
    return can_plan_department(user, plan.department)


def can_approve_plan(user, plan) -> bool:
    if is_hr(user):
        return True
    return bool(current_app.config.get("TARGETS_HEAD_MAY_APPROVE")) and can_plan_department(user, plan.department)


def can_lock_plan(user, plan) -> bool:
    return is_hr(user)


def may_over_allocate(user) -> bool:
    return is_hr(user)


def plan_scope(user):
    """The departments whose plans ``user`` lists: None for all (HR), else the ids they head."""
    return None if is_hr(user) else sorted(_headed(user))


TEMPLATE_GLOBALS = {
    "can_use_plans": can_use_plans,
    "can_see_own_targets": can_see_own_targets,
    "can_edit_plan": can_edit_plan,
    "can_record_actuals": can_record_actuals,
    "can_approve_plan": can_approve_plan,
    "can_lock_plan": can_lock_plan,
}
