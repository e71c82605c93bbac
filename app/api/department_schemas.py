"""Schemas of departments in the API: a department with its functions and its collaborations
with other departments, its changes and the arguments of the list."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import (
    TEXT_MAX,
    Output,
    PageArgs,
    Text,
    code,
    optional_ref,
    optional_text,
    query_ref,
    text,
    version_field,
)

MAX_LIST = 200  # functions or collaborations of a department: more is not a department
TOO_MANY = "At most {max} items."  # translated by app.core.messages


class CollaborationIn(Schema):
    partner = text(120, load_default="", metadata={
        "description": "The other department's name or code, or any name (a supplier, a bank)."})
    duty = Text(required=True, validate=validate.Length(min=1, max=TEXT_MAX))


class CollaborationOut(Output):
    partner = fields.String(attribute="partner_label")
    partner_id = fields.Integer(allow_none=True, metadata={"description": "Set when the partner is a department."})
    duty = fields.String()


class DepartmentIn(Schema):
    code = code()
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    parent_id = optional_ref()
    nature = optional_text()
    service_object = optional_text()
    authority = optional_text()
    management_functions = optional_text()
    evaluation_criteria = optional_text()
    head_position_id = optional_ref()
    functions = fields.List(text(), load_default=list, validate=validate.Length(max=MAX_LIST, error=TOO_MANY),
                            metadata={"description": "The main functions, in order."})
    collaborations = fields.List(fields.Nested(CollaborationIn), load_default=list,
                                 validate=validate.Length(max=MAX_LIST, error=TOO_MANY))


class DepartmentUpdate(DepartmentIn):
    version = version_field()


class DepartmentOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)
    nature = fields.String()
    service_object = fields.String()
    authority = fields.String()
    management_functions = fields.String()
    evaluation_criteria = fields.String()
    head_position_id = fields.Integer(allow_none=True)
    functions = fields.Pluck("FunctionOut", "text", many=True)
    collaborations = fields.List(fields.Nested(CollaborationOut))
    archived = fields.Boolean(attribute="is_archived")
    version = fields.Integer()


class FunctionOut(Schema):
    text = fields.String()


class DepartmentArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or name."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived departments."})
    department_id = query_ref("Only this department and those below it (as for positions and employees).")
    within = query_ref("The same as department_id (its earlier name).")
