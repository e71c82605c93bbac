"""What the appraisal view modules share: loading objects with the object check."""

from __future__ import annotations

from flask import abort, flash
from flask_login import current_user

from app.appraisals import services
from app.appraisals.access import can_view_cycle, can_view_review


def visible_review(review_id: int, full: bool = True):
    review = services.get_review(review_id, full=full)
    if not can_view_review(current_user, review):
        abort(404)  # do not reveal what the user may not see
    return review


def visible_cycle(cycle_id: int):
    """HR sees every cycle; others a cycle in which they may see at least one review."""
    cycle = services.get_cycle(cycle_id)
    if not can_view_cycle(current_user, cycle):
        abort(404)
    return cycle


def seen_version(form) -> int | None:
    try:
        return int(form.version.data) if form.version.data else None
    except (TypeError, ValueError):
        return None


def flash_errors(error) -> None:
    messages = [m for ms in error.errors.values() for m in ms] if error.errors else []
    flash(error.message + (" " + " ".join(messages) if messages and len(messages) <= 3 else ""), "danger")
