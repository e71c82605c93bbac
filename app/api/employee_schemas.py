"""Schemas of employees and their assignments to positions in the API: an employee (with the
manager derived from the reporting line), an assignment, their changes and the arguments of
their lists. (The PATCH of an assignment is in app/api/org_schemas.py.)"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import STATUSES, PageArgs, input_schema, output_schema, query_ref, text, version_field
from app.org.fields import ASSIGNMENT, EMPLOYEE

# An employee's fields are declared once, in app/org/fields.py; these add the rest.
EmployeeIn = input_schema("EmployeeIn", EMPLOYEE)


class EmployeeUpdate(EmployeeIn):
    version = version_field()


EmployeeOut = output_schema(
    "EmployeeOut",
    EMPLOYEE,
    id=fields.Integer(),
    position_id=fields.Integer(
        allow_none=True, metadata={"description": "The position of today's primary assignment."}
    ),
    manager=fields.Nested(
        "ManagerOut",
        allow_none=True,
        metadata={
            "description": "The manager, derived from the reporting line (walking up past vacant posts); null "
            "without a position or at the top."
        },
    ),
    version=fields.Integer(),
)


class EmployeeArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the name, number or e-mail."})
    department_id = query_ref("Only current holders of positions of this department and those below it.")
    status = fields.String(validate=validate.OneOf(STATUSES))


# An assignment's fields are declared once too (app/org/fields.py).
AssignmentIn = input_schema("AssignmentIn", ASSIGNMENT)


class AssignmentEnd(Schema):
    end_date = fields.Date(required=True, metadata={"description": "The last day."})


AssignmentOut = output_schema("AssignmentOut", ASSIGNMENT, id=fields.Integer())


class AssignmentArgs(PageArgs):
    employee_id = query_ref()
    position_id = query_ref()
    current = fields.Boolean(metadata={"description": "true: only assignments covering today; false: only others."})
