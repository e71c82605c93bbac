"""Assignments of employees to positions (effective-dated): list, read, create, end."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.common import ID, LOCATION, Blueprint, page_of, reference
from app.api.schemas import AssignmentArgs, AssignmentEnd, AssignmentIn, AssignmentOut, page_schema
from app.auth.permissions import can_edit_org, can_view_employee, can_view_org, employee_scope, requires
from app.core.errors import NotFound
from app.extensions import db
from app.org import services

blp = Blueprint("assignments", __name__, url_prefix="/api/v1/assignments",
                description="Who holds which position, from start_date to end_date (inclusive; null: open). "
                            "Visible to whoever may read the employee's record.")
AssignmentPage = page_schema(AssignmentOut, "AssignmentPage")


@blp.route("")
@blp.response(200, AssignmentPage)
@requires(can_view_org)  # and the list holds only the employees the user may read
@blp.arguments(AssignmentArgs, location="query")
def list_assignments(args):
    """List assignments, latest first"""
    query = services.list_assignments(args.get("employee_id"), args.get("position_id"), args.get("current"),
                                      within_employees=employee_scope(current_user))
    return page_of(query, args)


@blp.route(f"/<{ID}:assignment_id>")
@blp.response(200, AssignmentOut)
@requires(can_view_org)  # and then the object check
def get_assignment(assignment_id: int):
    """Read an assignment"""
    assignment = services.get_assignment(assignment_id)
    if not can_view_employee(current_user, assignment.employee):
        raise NotFound(_("No such assignment."))  # the same answer as for an id that does not exist
    return assignment


@blp.route("", methods=["POST"])
@blp.response(201, AssignmentOut, headers=LOCATION)
@requires(can_edit_org)
@blp.arguments(AssignmentIn)
def create_assignment(body):
    """Assign an employee to a position

    At most one primary assignment per employee on any day: end the current one first.
    """
    employee = reference(services.get_employee, body["employee_id"], "employee_id")
    assignment = services.assign(employee, body["position_id"], body["start_date"], body["end_date"],
                                 body["is_primary"])
    db.session.commit()
    return assignment, 201, {"Location": url_for(".get_assignment", assignment_id=assignment.id)}


@blp.route(f"/<{ID}:assignment_id>/end", methods=["POST"])
@blp.response(200, AssignmentOut)
@requires(can_edit_org)
@blp.arguments(AssignmentEnd)
def end_assignment(body, assignment_id: int):
    """End an assignment on its last day"""
    assignment = services.get_assignment(assignment_id)
    services.end_assignment(assignment, body["end_date"])
    db.session.commit()
    return assignment
