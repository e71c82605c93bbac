"""What the job-description view modules share: loading objects for drafting with the object
check (loading them for reading is ``app.jobs.lookups``, which the documents use too)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.jobs import services
from app.jobs.access import can_draft_jd, can_view_position_jd
from app.jobs.lookups import visible_version
from app.org import services as org_services


def draftable_position(position_id: int):
    position = org_services.get_position(position_id)
    if not can_view_position_jd(current_user, position):
        abort(404)
    if not can_draft_jd(current_user, position):
        abort(403)
    return position


def visible_versions(position):
    """The versions of ``position`` the user may list: the open ones only for those who may draft."""
    return services.versions_of(position.id, include_open=can_draft_jd(current_user, position))


def draftable_version(version_id: int, full: bool = True):
    """A version the user may draft for (its state is the service's business)."""
    version = visible_version(version_id, full=full)
    if not can_draft_jd(current_user, version.position):
        abort(403)
    return version


def seen_version(form) -> int | None:
    """The row version a workflow form was based on (None when absent or malformed)."""
    try:
        return int(form.version.data) if form.version.data else None
    except (TypeError, ValueError):
        return None
