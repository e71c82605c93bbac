"""Positions: list, read (with the current job description), create, replace (PUT), change
(PATCH), archive, restore, delete."""

from __future__ import annotations

from flask import Response, url_for
from flask_login import current_user

from app.api.common import (
    ETAG,
    ID,
    IF_MATCH,
    LOCATION,
    Blueprint,
    Row,
    department_filter,
    etag,
    page_of,
    update_versioned,
)
from app.api.position_schemas import PositionArgs, PositionDetailOut, PositionIn, PositionOut, PositionUpdate
from app.api.schemas import page_schema, patch
from app.auth.permissions import requires
from app.jobs import services as jobs
from app.jobs.access import can_view_position_jd
from app.jobs.content import version_document
from app.org import services
from app.org.access import can_edit_org, can_view_org
from app.org.fields import POSITION
from app.org.models import Position

blp = Blueprint(
    "positions",
    __name__,
    url_prefix="/api/v1/positions",
    description="Positions (岗位) with their authorised headcount (编制) and reporting lines.",
)
PositionPage = page_schema(PositionOut, "PositionPage")


def position_job_description(position: Position) -> dict | None:
    """The position's job description in force for ``GET /api/v1/positions/<id>`` (the same
    object rule as the pages: HR and admins, the holders and their managers), or None."""
    if not can_view_position_jd(current_user, position):
        return None
    version = jobs.current_version(position.id, full=True)
    return version_document(version) if version is not None else None


def _current(position: Position) -> dict:
    """The position as a full request body, for PATCH to apply the fields it sends on top."""
    return {
        **{f.name: getattr(position, f.name) for f in POSITION.fields if f.kind != "refs"},
        "dotted_superior_ids": [superior.id for superior in position.dotted_superiors],
    }


def _data(body: dict) -> services.PositionData:
    return services.PositionData(**body)


def _set_archived(position_id: int, archived: bool):
    position = services.get_position(position_id)
    services.archive_position(position, archived=archived)
    return _detail(position)


def manager_out(manager) -> dict | None:
    """``(position, holders)`` of the derived manager as ``ManagerOut``; None when nobody is above."""
    position, holders = manager
    return {"position": position, "employees": holders} if position is not None else None


def _detail(position: Position):
    filled = services.filled_counts([position.id]).get(position.id, 0)
    subordinates = services.direct_subordinates([position.id])[position.id]
    return (
        Row(
            position,
            filled=filled,
            job_description=position_job_description(position),
            superior=position.reports_to,
            subordinates=subordinates,
            subordinate_ids=[row.id for row in subordinates],
            manager=manager_out(services.managers_of_position(position.id)),
        ),
        200,
        etag(position),
    )


@blp.route("")
@blp.response(200, PositionPage)
@requires(can_view_org)
@blp.arguments(PositionArgs, location="query")
def list_positions(args):
    """List positions by code"""
    department = department_filter(args.get("department_id"))
    page = page_of(
        services.list_positions(
            args.get("q", "").strip(), department, args.get("vacancy", ""), args["archived"], by_code=True
        ),
        args,
    )
    ids = [position.id for position in page["items"]]
    filled, subordinates = services.filled_counts(ids), services.direct_subordinates(ids)
    page["items"] = [
        Row(position, filled=filled.get(position.id, 0), subordinate_ids=[row.id for row in subordinates[position.id]])
        for position in page["items"]
    ]
    return page


@blp.route(f"/<{ID}:position_id>")
@blp.response(200, PositionDetailOut, headers=ETAG)
@requires(can_view_org)
def get_position(position_id: int):
    """Read a position, with its current job description"""
    return _detail(services.get_position(position_id))


@blp.route("", methods=["POST"])
@blp.response(201, PositionDetailOut, headers={**ETAG, **LOCATION})
@requires(can_edit_org)
@blp.arguments(PositionIn)
def create_position(body):
    """Create a position"""
    position = services.create_position(_data(body))
    result, _status, headers = _detail(position)
    return result, 201, {**headers, "Location": url_for(".get_position", position_id=position.id)}


@blp.route(f"/<{ID}:position_id>", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, PositionDetailOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(PositionUpdate)
def replace_position(body, position_id: int):
    """Replace a position

    Every field is set: optional fields that are not sent get their defaults. Send the version
    the change is based on (`version`, or the ETag in If-Match); an older one answers 409 with
    what changed since.
    """
    position = services.get_position(position_id)
    update_versioned(position, body, services.update_position, _data)
    return _detail(position)


@blp.route(f"/<{ID}:position_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, PositionDetailOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(patch(PositionUpdate))
def update_position(body, position_id: int):
    """Change some fields of a position

    Only the fields sent change. Send the version the change is based on (`version`, or the
    ETag in If-Match); an older one answers 409 with what changed since.
    """
    position = services.get_position(position_id)
    update_versioned(position, body, services.update_position, _data, _current(position))
    return _detail(position)


@blp.route(f"/<{ID}:position_id>/archive", methods=["POST"])
@blp.response(200, PositionDetailOut, headers=ETAG)
@requires(can_edit_org)
def archive_position(position_id: int):
    """Archive a position (nobody may hold it)"""
    return _set_archived(position_id, True)


@blp.route(f"/<{ID}:position_id>/restore", methods=["POST"])
@blp.response(200, PositionDetailOut, headers=ETAG)
@requires(can_edit_org)
def restore_position(position_id: int):
    """Restore an archived position"""
    return _set_archived(position_id, False)


@blp.route(f"/<{ID}:position_id>", methods=["DELETE"])
@blp.response(204)
@requires(can_edit_org)
def delete_position(position_id: int):
    """Delete a position that nothing refers to (archive it otherwise)"""
    services.delete_position(services.get_position(position_id))
    return Response(status=204)
