"""Lists: every position's job description and its state, HR's review queue, and the
acknowledgements still outstanding."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.permissions import requires
from app.core import bulk
from app.core.listing import page_of, sort_query
from app.extensions import db
from app.jobs import services
from app.jobs.access import can_manage_job_descriptions, can_review_jd, can_use_job_descriptions
from app.jobs.models import Status
from app.jobs.views import bp
from app.org import services as org_services
from app.org.models import Department, Position
from app.org.views._helpers import department_arg


def _scope():
    """None for HR and admins (every position), else the positions the user holds or manages."""
    if can_manage_job_descriptions(current_user):
        return None
    held = org_services.positions_held_by_user(current_user)
    managed = list(db.session.scalars(org_services.managed_position_ids(current_user)))
    return held + managed


@bp.route("/")
@requires(can_use_job_descriptions)
def index():
    scope = _scope()
    if scope is not None and len(scope) == 1 and not request.args:
        return redirect(url_for("jobs.position", position_id=scope[0]))  # an employee's own job description
    search = request.args.get("q", "").strip()
    department = department_arg()
    state = request.args.get("state", "")
    state = state if state in services.JD_STATES else ""
    query, sort = sort_query(
        services.list_job_descriptions(search, department, state, scope),
        request.args.get("sort"),
        {"code": Position.code, "title": Position.title, "department": Department.name, "line": None},
        "line",
    )  # line: head first, the query's own order
    page = page_of(query, counted=services.job_descriptions(search, department, state, scope))
    versions = services.versions_by_position([p.id for p in page.items])
    return render_template(
        "jobs/index.html",
        page=page,
        versions=versions,
        search=search,
        department=department,
        state=state,
        scoped=scope is not None,
        sort=sort,
        counts=services.counts_by_state() if scope is None else {},
        department_choices=org_services.department_choices(),
        Status=Status,
    )


@bp.route("/review")
@requires(can_review_jd)
def review_queue():
    page = page_of(services.review_queue())
    return render_template(
        "jobs/review_queue.html", page=page, selection=bulk.for_page(current_user, "jobs.review_queue")
    )


@bp.route("/acknowledgements")
@requires(can_review_jd)
def acknowledgements():
    department = department_arg()
    page = page_of(services.outstanding_acknowledgements(department), counted=services.unacknowledged(department))
    versions = services.versions_by_position({a.position_id for a in page.items})
    return render_template(
        "jobs/acknowledgements.html",
        page=page,
        versions=versions,
        department=department,
        department_choices=org_services.department_choices(),
    )
