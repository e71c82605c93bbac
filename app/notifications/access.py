"""Who may read what of the notifications. Plain functions, for views, the API and templates."""

from __future__ import annotations

from app.auth.models import Role
from app.auth.permissions import has_role


def can_use_notifications(user) -> bool:
    """Everyone logged in has an inbox (their own only: the object check is the owner)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_read_outbox(user) -> bool:
    """Admins read the outbox (every mail, its status, the server's errors) and send again."""
    return has_role(user, Role.ADMIN)


def can_list_unreachable(user) -> bool:
    """HR (and admins) see who cannot be reminded: no account and no e-mail."""
    return has_role(user, Role.ADMIN, Role.HR)


TEMPLATE_GLOBALS = {
    "can_use_notifications": can_use_notifications,
    "can_read_outbox": can_read_outbox,
    "can_list_unreachable": can_list_unreachable,
}
