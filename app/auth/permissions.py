"""Who may do what: the mechanism (``has_role``, the ``requires`` view decorator, exposing rules
to templates) and the rules about accounts and the audit trail. Each domain keeps its own rules
beside it, as plain functions built on ``has_role``: app/org/access.py, app/jobs/access.py,
app/appraisals/access.py, app/documents/access.py, app/backup/access.py, app/tasks/access.py.
Views and the API call them; templates get them (to hide what a user may not use; the server
always checks) through ``expose_to_templates``."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user

from app.auth.models import Role


def has_role(user, *roles: Role) -> bool:
    return bool(user and user.is_authenticated and user.active and user.role in {r.value for r in roles})


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_users(user) -> bool:
    """Admins list users, change roles, deactivate accounts and revoke tokens."""
    return is_admin(user)


def can_view_audit(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR)


def can_manage_own_tokens(user) -> bool:
    """API tokens are for integrations and power users: everyone but plain employees."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def requires(permission):
    """View decorator: 403 unless ``permission(current_user)`` holds."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not permission(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def expose_to_templates(blueprint: Blueprint, rules: dict) -> None:
    """Make a domain's rules template globals of the application that registers ``blueprint``
    (every template sees them: the navigation asks them all)."""
    blueprint.record_once(lambda state: state.app.jinja_env.globals.update(rules))


TEMPLATE_GLOBALS = {
    "is_admin": is_admin,
    "can_manage_users": can_manage_users,
    "can_view_audit": can_view_audit,
    "can_manage_own_tokens": can_manage_own_tokens,
}
