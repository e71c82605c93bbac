"""Schemas of the organisation's derived views in the API: short references to positions and
people, an employee's manager (walked up the reporting line past vacant posts), the change of an
assignment, the headcount report (编制表) and the org chart's arguments. Position and employee outputs
(app/api/position_schemas.py, app/api/employee_schemas.py) refer to the references by name."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Output, query_ref


class PositionLinkOut(Output):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()


class PersonOut(Output):
    id = fields.Integer()
    name = fields.String()


class ManagerOut(Output):
    """Who manages a position: the first position up the reporting line that someone holds today,
    and its holders."""

    position = fields.Nested(PositionLinkOut)
    employees = fields.List(fields.Nested(PersonOut), metadata={"description": "Its holders today."})


class AssignmentUpdate(Schema):
    """PATCH of an assignment: only the fields sent change."""

    end_date = fields.Date(allow_none=True, metadata={"description": "Last day; null: open again."})
    is_primary = fields.Boolean()


# --- headcount ----------------------------------------------------------------------------


class CountsOut(Output):
    authorised = fields.Integer(metadata={"description": "Authorised headcount (编制)."})
    filled = fields.Integer(metadata={"description": "Current primary holders (在编)."})
    vacant = fields.Integer(metadata={"description": "Vacancies (缺编), summed position by position."})
    over = fields.Integer(metadata={"description": "Over-staffing (超编), summed position by position."})
    positions = fields.Integer()


class HeadcountPositionOut(Output):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    grade = fields.String()
    authorised = fields.Integer()
    filled = fields.Integer()
    vacant = fields.Integer()
    over = fields.Integer()


class HeadcountDepartmentOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    parent_id = fields.Integer(allow_none=True)
    level = fields.Integer(metadata={"description": "Depth below the report's top department (0)."})
    sub_departments = fields.Integer(metadata={"description": "Direct sub-departments in the report."})
    positions = fields.List(fields.Nested(HeadcountPositionOut))
    own = fields.Nested(CountsOut, metadata={"description": "Its own positions."})
    subtree = fields.Nested(CountsOut, metadata={"description": "Itself and every department below it."})


class HeadcountOut(Output):
    day = fields.Date(metadata={"description": "The day the holders are counted on (today)."})
    department_id = fields.Integer(
        allow_none=True,
        attribute="root_id",
        metadata={"description": "The report's department; null: the whole company."},
    )
    departments = fields.List(fields.Nested(HeadcountDepartmentOut), metadata={"description": "In tree order."})
    total = fields.Nested(CountsOut)


class HeadcountArgs(Schema):
    department_id = query_ref("Only this department and those below it.")


class ChartArgs(Schema):
    department_id = query_ref("Only this department's subtree (the whole company without it).")
    depth = fields.Integer(
        validate=validate.Range(min=0, max=50),
        metadata={
            "description": "Levels drawn below the top (deeper posts fold into their ancestor); 0: every level. "
            "Default: 3 for the whole company, every level for a department."
        },
    )


SVG = {"type": "string"}
