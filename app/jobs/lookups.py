"""Loading a position's job descriptions with the object check, for every page that shows one
(the job-description pages and the printed documents): a position or version the user may not
see answers 404, so its existence is not revealed. The API answers in JSON with its own
(``app.api.jd_versions``)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.jobs import services
from app.jobs.access import can_view_position_jd, can_view_version
from app.org import services as org_services


def visible_position(position_id: int):
    position = org_services.get_position(position_id)
    if not can_view_position_jd(current_user, position):
        abort(404)  # do not reveal what the user may not see
    return position


def visible_version(version_id: int, full: bool = True):
    version = services.get_version(version_id, full=full)
    if not can_view_version(current_user, version):
        abort(404)
    return version
