"""Who may follow background tasks."""

from __future__ import annotations

from app.auth.models import Role
from app.auth.permissions import has_role


def can_run_tasks(user) -> bool:
    """Everyone logged in may follow the background tasks they started (and only those)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


TEMPLATE_GLOBALS = {"can_run_tasks": can_run_tasks}
