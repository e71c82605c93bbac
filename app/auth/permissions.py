"""Who may do what. Plain functions, called by views and the API alike, and exposed to
templates (to hide what a user may not use; the server always checks)."""
from __future__ import annotations

from functools import wraps

from flask import abort
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


TEMPLATE_GLOBALS = {
    "is_admin": is_admin,
    "can_manage_users": can_manage_users,
    "can_view_audit": can_view_audit,
    "can_manage_own_tokens": can_manage_own_tokens,
}
