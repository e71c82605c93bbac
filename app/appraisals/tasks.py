"""The background task that launches a big appraisal cycle (see app/tasks)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.appraisals import services
from app.appraisals.access import can_manage_appraisals
from app.appraisals.services import launch
from app.core.concurrency import check_version
from app.core.errors import ServiceError
from app.extensions import db
from app.tasks.services import handler, report_progress

LAUNCH = "appraisal_launch"


def launch_params(cycle, confirm_overlap: bool = False) -> dict:
    return {"cycle_id": cycle.id, "confirm_overlap": confirm_overlap}


def _cycle_page(params: dict) -> str:
    return url_for("appraisals.cycle", cycle_id=params["cycle_id"])


@handler(LAUNCH, _l("Appraisal cycle launch"), link=_cycle_page)
def run_launch(params: dict, owner) -> None:
    if not can_manage_appraisals(owner):  # rights changed since the task was queued
        raise ServiceError(_("You may not launch appraisal cycles."))

    def progress(done: int, total: int) -> None:
        # Each batch of reviews is committed before the progress is written: SQLite lets one
        # writer at a time, so the progress could not be recorded while the batch was open. A
        # launch cut short is completed by launching again (it never creates a review twice).
        db.session.commit()
        report_progress(done, total)

    launch.launch_cycle(
        services.get_cycle(params["cycle_id"]), progress=progress, confirm_overlap=params.get("confirm_overlap", False)
    )


def launch_or_enqueue(cycle, owner, seen_version: int | None = None, confirm_overlap: bool = False):
    """Launch ``cycle`` now (a LaunchResult) or, when it would create more than
    ``launch.BACKGROUND_ABOVE`` reviews, queue it (a Task; the caller commits either way), if
    the cycle is still at the version the user saw. People who would get a second review for an
    overlapping period are refused here, before anything is queued, unless HR confirms it."""
    from app.tasks.services import enqueue

    check_version(cycle, seen_version)
    if cycle.status != "closed":
        launch.check_overlaps(cycle, confirm_overlap)
    if launch.pending_reviews(cycle) > launch.BACKGROUND_ABOVE:
        return enqueue(
            LAUNCH, launch_params(cycle, confirm_overlap), owner, title=_("Launch of %(name)s", name=cycle.name)
        )
    return launch.launch_cycle(cycle, confirm_overlap=confirm_overlap)
