"""Assignments of employees to positions (effective-dated): list, read, create, change, end,
delete (before it starts)."""

from __future__ import annotations

import re

from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from webargs.flaskparser import abort

from app.api.common import ID, LOCATION, Blueprint, page_of, reference
from app.api.employee_schemas import AssignmentArgs, AssignmentEnd, AssignmentIn, AssignmentOut
from app.api.org_schemas import AssignmentUpdate
from app.api.schemas import page_schema
from app.auth.permissions import requires
from app.core.errors import Conflict, NotFound
from app.db import serialize
from app.extensions import db
from app.org import services
from app.org.access import can_edit_org, can_view_employee, can_view_org, employee_scope
from app.org.models import Assignment

blp = Blueprint(
    "assignments",
    __name__,
    url_prefix="/api/v1/assignments",
    description="Who holds which position, from start_date to end_date (inclusive; null: open). "
    "Visible to whoever may read the employee's record. An assignment has no version "
    "number: its ETag is its content, and changes send it back in If-Match.",
)
AssignmentPage = page_schema(AssignmentOut, "AssignmentPage")

ETAG = {"ETag": {"description": "The assignment as it is now, to send back in If-Match.", "schema": {"type": "string"}}}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag of the GET this change is based on (428 without it; 409 when the assignment "
    "changed since).",
}
IF_MATCH_OPTIONAL = {
    **IF_MATCH,
    "required": False,
    "description": "The ETag of the GET this change is based on (409 when it changed since).",
}
_TAG = re.compile(r'\s*"a(\d+)-(\d{8})-(\d{8}|open)-([ps])"\s*')


def etag(assignment: Assignment) -> dict[str, str]:
    """A strong ETag made of what can change: position, start, end, primary."""
    end = assignment.end_date.strftime("%Y%m%d") if assignment.end_date else "open"
    kind = "p" if assignment.is_primary else "s"
    return {"ETag": f'"a{assignment.position_id}-{assignment.start_date:%Y%m%d}-{end}-{kind}"'}


def _iso(value: str) -> str | None:
    return None if value == "open" else f"{value[:4]}-{value[4:6]}-{value[6:]}"


def check_if_match(assignment: Assignment, required: bool = True) -> None:
    """Refuse a change unless If-Match holds the assignment's current ETag. Serialised per
    employee and read again from the database, so two changes at once cannot both pass."""
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            abort(
                428,
                message=_("Say which version your change is based on."),
                errors={"If-Match": [_("Send the ETag that the GET of this assignment returned.")]},
            )
        return
    match = _TAG.fullmatch(header)
    if match is None:
        abort(
            412,
            message=_("If-Match must hold the ETag of this assignment."),
            errors={"If-Match": [_("Send the ETag that the GET of this assignment returned.")]},
        )
    serialize(db.session, f"org:primary-assignment:{assignment.employee_id}")
    db.session.refresh(assignment)
    if header.strip() == etag(assignment)["ETag"]:
        return
    now = _TAG.fullmatch(etag(assignment)["ETag"]).groups()
    seen = match.groups()
    changes = {}
    for index, field in ((0, "position_id"), (1, "start_date"), (2, "end_date"), (3, "is_primary")):
        if seen[index] != now[index]:
            show = {0: int, 1: _iso, 2: _iso, 3: lambda v: v == "p"}[index]
            changes[field] = [show(seen[index]), show(now[index])]
    raise Conflict(
        _("This assignment was changed by someone else since you read it. Read it again, then make your change."),
        changes=changes,
    )


@blp.route("")
@blp.response(200, AssignmentPage)
@requires(can_view_org)  # and the list holds only the employees the user may read
@blp.arguments(AssignmentArgs, location="query")
def list_assignments(args):
    """List assignments, latest first"""
    query = services.list_assignments(
        args.get("employee_id"),
        args.get("position_id"),
        args.get("current"),
        within_employees=employee_scope(current_user),
    )
    return page_of(query, args)


@blp.route(f"/<{ID}:assignment_id>")
@blp.response(200, AssignmentOut, headers=ETAG)
@requires(can_view_org)  # and then the object check
def get_assignment(assignment_id: int):
    """Read an assignment"""
    assignment = services.get_assignment(assignment_id)
    if not can_view_employee(current_user, assignment.employee):
        raise NotFound(_("No such assignment."))  # the same answer as for an id that does not exist
    return assignment, 200, etag(assignment)


@blp.route("", methods=["POST"])
@blp.response(201, AssignmentOut, headers={**LOCATION, **ETAG})
@requires(can_edit_org)
@blp.arguments(AssignmentIn)
def create_assignment(body):
    """Assign an employee to a position

    At most one primary assignment per employee on any day: end the current one first.
    """
    employee = reference(services.get_employee, body["employee_id"], "employee_id")
    assignment = services.assign(
        employee, body["position_id"], body["start_date"], body["end_date"], body["is_primary"]
    )
    return assignment, 201, {"Location": url_for(".get_assignment", assignment_id=assignment.id), **etag(assignment)}


@blp.route(f"/<{ID}:assignment_id>", methods=["PATCH"])
@blp.response(200, AssignmentOut, headers=ETAG)
@blp.doc(parameters=[IF_MATCH])
@requires(can_edit_org)
@blp.arguments(AssignmentUpdate)
def update_assignment(body, assignment_id: int):
    """Change an assignment's end date or whether it is primary

    The rules of the employee page apply: one primary assignment at a time, no open assignment
    for someone who left, no end before the start. To move someone to another position, end this
    assignment and create a new one (the history is kept). Send the ETag of the GET in If-Match.
    """
    assignment = services.get_assignment(assignment_id)
    check_if_match(assignment)
    services.update_assignment(
        assignment, body.get("end_date", assignment.end_date), body.get("is_primary", assignment.is_primary)
    )
    return assignment, 200, etag(assignment)


@blp.route(f"/<{ID}:assignment_id>/end", methods=["POST"])
@blp.response(200, AssignmentOut, headers=ETAG)
@blp.doc(parameters=[IF_MATCH_OPTIONAL])
@requires(can_edit_org)
@blp.arguments(AssignmentEnd)
def end_assignment(body, assignment_id: int):
    """End an assignment on its last day (as the employee page does)"""
    assignment = services.get_assignment(assignment_id)
    check_if_match(assignment, required=False)
    services.end_assignment(assignment, body["end_date"])
    return assignment, 200, etag(assignment)


@blp.route(f"/<{ID}:assignment_id>", methods=["DELETE"])
@blp.response(204)
@blp.doc(parameters=[IF_MATCH])
@requires(can_edit_org)
def delete_assignment(assignment_id: int):
    """Delete an assignment that has not started yet

    One that has started is the employee's history: end it instead (422 says so).
    """
    assignment = services.get_assignment(assignment_id)
    check_if_match(assignment)
    services.delete_assignment(assignment)
    return Response(status=204)
