"""Departments: list, read, create, replace (PUT), change (PATCH), archive, restore, delete."""

from __future__ import annotations

from flask import Response, url_for

from app.api.common import ETAG, ID, IF_MATCH, LOCATION, Blueprint, department_filter, etag, page_of, update_versioned
from app.api.department_schemas import DepartmentArgs, DepartmentIn, DepartmentOut, DepartmentUpdate
from app.api.schemas import page_schema, patch
from app.auth.permissions import requires
from app.org import services
from app.org.access import can_edit_org, can_view_org
from app.org.fields import DEPARTMENT
from app.org.models import Department

blp = Blueprint(
    "departments",
    __name__,
    url_prefix="/api/v1/departments",
    description="Departments (部门): a tree, through parent_id.",
)
DepartmentPage = page_schema(DepartmentOut, "DepartmentPage")


def _data(body: dict) -> services.DepartmentData:
    collaborations = [(item["partner"], item["duty"]) for item in body.pop("collaborations")]
    return services.DepartmentData(**body, collaborations=collaborations)


def _current(department: Department) -> dict:
    """The department as a full request body, for PATCH to apply the fields it sends on top."""
    return {
        **{f.name: getattr(department, f.name) for f in DEPARTMENT.fields if f.kind not in ("lines", "pairs")},
        "functions": [function.text for function in department.functions],
        "collaborations": [{"partner": c.partner_label, "duty": c.duty} for c in department.collaborations],
    }


def _set_archived(department_id: int, archived: bool):
    department = services.get_department(department_id)
    services.archive_department(department, archived=archived)
    return department, 200, etag(department)


@blp.route("")
@blp.response(200, DepartmentPage)
@requires(can_view_org)
@blp.arguments(DepartmentArgs, location="query")
def list_departments(args):
    """List departments in tree order"""
    within = (
        department_filter(args.get("department_id"), "department_id")
        if "department_id" in args
        else department_filter(args.get("within"), "within")
    )
    return page_of(services.list_departments(args.get("q", "").strip(), args["archived"], within, details=True), args)


@blp.route(f"/<{ID}:department_id>")
@blp.response(200, DepartmentOut, headers=ETAG)
@requires(can_view_org)
def get_department(department_id: int):
    """Read a department"""
    department = services.get_department(department_id)
    return department, 200, etag(department)


@blp.route("", methods=["POST"])
@blp.response(201, DepartmentOut, headers={**ETAG, **LOCATION})
@requires(can_edit_org)
@blp.arguments(DepartmentIn)
def create_department(body):
    """Create a department"""
    department = services.create_department(_data(body))
    return department, 201, {**etag(department), "Location": url_for(".get_department", department_id=department.id)}


@blp.route(f"/<{ID}:department_id>", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, DepartmentOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(DepartmentUpdate)
def replace_department(body, department_id: int):
    """Replace a department

    Every field is set: optional fields that are not sent get their defaults. Send the version
    the change is based on (`version`, or the ETag in If-Match); an older one answers 409 with
    what changed since.
    """
    department = services.get_department(department_id)
    update_versioned(department, body, services.update_department, _data)
    return department, 200, etag(department)


@blp.route(f"/<{ID}:department_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, DepartmentOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(patch(DepartmentUpdate))
def update_department(body, department_id: int):
    """Change some fields of a department

    Only the fields sent change. Send the version the change is based on (`version`, or the
    ETag in If-Match); an older one answers 409 with what changed since.
    """
    department = services.get_department(department_id)
    update_versioned(department, body, services.update_department, _data, _current(department))
    return department, 200, etag(department)


@blp.route(f"/<{ID}:department_id>/archive", methods=["POST"])
@blp.response(200, DepartmentOut, headers=ETAG)
@requires(can_edit_org)
def archive_department(department_id: int):
    """Archive a department (its sub-departments and positions first)"""
    return _set_archived(department_id, True)


@blp.route(f"/<{ID}:department_id>/restore", methods=["POST"])
@blp.response(200, DepartmentOut, headers=ETAG)
@requires(can_edit_org)
def restore_department(department_id: int):
    """Restore an archived department"""
    return _set_archived(department_id, False)


@blp.route(f"/<{ID}:department_id>", methods=["DELETE"])
@blp.response(204)
@requires(can_edit_org)
def delete_department(department_id: int):
    """Delete a department that nothing refers to (archive it otherwise)"""
    services.delete_department(services.get_department(department_id))
    return Response(status=204)
