"""Who may download and restore backups."""

from __future__ import annotations

from app.auth.permissions import is_admin


def can_manage_backups(user) -> bool:
    """Download a backup of every table (accounts and the audit trail included)."""
    return is_admin(user)


TEMPLATE_GLOBALS = {"can_manage_backups": can_manage_backups}
