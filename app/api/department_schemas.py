"""Schemas of departments in the API: a department with its functions and its collaborations
with other departments, its changes and the arguments of the list."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import (
    TEXT_MAX,
    TOO_MANY,
    Output,
    PageArgs,
    Text,
    input_schema,
    output_schema,
    query_ref,
    text,
    version_field,
)
from app.org.fields import DEPARTMENT


class CollaborationIn(Schema):
    partner = text(
        120,
        load_default="",
        metadata={"description": "The other department's name or code, or any name (a supplier, a bank)."},
    )
    duty = Text(required=True, validate=validate.Length(min=1, max=TEXT_MAX))


class CollaborationOut(Output):
    partner = fields.String(attribute="partner_label")
    partner_id = fields.Integer(allow_none=True, metadata={"description": "Set when the partner is a department."})
    duty = fields.String()


# A department's fields are declared once, in app/org/fields.py; these add the rest.
DepartmentIn = input_schema(
    "DepartmentIn",
    DEPARTMENT,
    collaborations=fields.List(
        fields.Nested(CollaborationIn),
        load_default=list,
        validate=validate.Length(max=DEPARTMENT.field("collaborations").maximum, error=TOO_MANY),
    ),
)


class DepartmentUpdate(DepartmentIn):
    version = version_field()


DepartmentOut = output_schema(
    "DepartmentOut",
    DEPARTMENT,
    id=fields.Integer(),
    functions=fields.Pluck("FunctionOut", "text", many=True),
    collaborations=fields.List(fields.Nested(CollaborationOut)),
    archived=fields.Boolean(attribute="is_archived"),
    version=fields.Integer(),
)


class FunctionOut(Schema):
    text = fields.String()


class DepartmentArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or name."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived departments."})
    department_id = query_ref("Only this department and those below it (as for positions and employees).")
    within = query_ref("The same as department_id (its earlier name).")
