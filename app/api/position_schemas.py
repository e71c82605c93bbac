"""Schemas of positions in the API: a position, its changes, the arguments of the list, and
the detail of one position: the job description it carries (JobDescriptionOut, which the
versions of app/api/job_schemas.py extend) and its reporting line (schemas in
app/api/org_schemas.py)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import (
    Exact,
    Output,
    PageArgs,
    input_schema,
    output_schema,
    query_ref,
    text,
    version_field,
)
from app.org.fields import POSITION

# A position's fields are declared once, in app/org/fields.py; these add the rest.
PositionIn = input_schema("PositionIn", POSITION)


class PositionUpdate(PositionIn):
    version = version_field()


PositionOut = output_schema(
    "PositionOut",
    POSITION,
    ("id", "code", "title", "department_id", "reports_to_id", "headcount", "filled"),
    id=fields.Integer(),
    filled=fields.Integer(metadata={"description": "Current primary holders."}),
    dotted_superior_ids=fields.Pluck("IdOut", "id", many=True, attribute="dotted_superiors"),
    subordinate_ids=fields.List(
        fields.Integer(),
        metadata={"description": "Direct subordinates (derived): the positions whose reports_to_id is this one."},
    ),
    archived=fields.Boolean(attribute="is_archived"),
    version=fields.Integer(),
)


class IdOut(Schema):
    id = fields.Integer()


class SectionDutyOut(Output):
    id = fields.Integer(metadata={"description": "The row's id: send it back to keep the row when replacing a draft."})
    text = fields.String()
    frequency = fields.String(
        allow_none=True, metadata={"description": "daily, weekly, monthly, quarterly, annual, as_needed or null"}
    )
    standard = fields.String(metadata={"description": "A deadline or standard, e.g. 24小时内."})
    weight = Exact(allow_none=True, metadata={"description": "Weight in %, or null."})


class DutyOut(SectionDutyOut):
    section = fields.String(metadata={"description": "Heading of the duty's section (may be empty)."})


class SectionOut(Output):
    id = fields.Integer()
    heading = fields.String()
    duties = fields.List(fields.Nested(SectionDutyOut))


class RequirementOut(Output):
    id = fields.Integer()
    kind = fields.String(
        metadata={"description": "education, experience, skills, certification, language, working_conditions or other"}
    )
    text = fields.String()
    required = fields.Boolean(metadata={"description": "false: preferred"})


class CompetencyLevelOut(Output):
    id = fields.Integer()
    competency_id = fields.Integer(metadata={"description": "The competency of the library."})
    code = fields.String()
    name = fields.String()
    level = fields.Integer(metadata={"description": "Required level, 1 to 5."})
    level_description = fields.String()


class KpiTargetOut(Output):
    id = fields.Integer()
    kpi_id = fields.Integer(metadata={"description": "The KPI of the library."})
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    direction = fields.String(metadata={"description": "higher or lower (is better)"})
    target = Exact()
    threshold = Exact(allow_none=True)
    stretch = Exact(allow_none=True)
    weight = Exact()
    period = fields.String(metadata={"description": "monthly, quarterly or annual"})
    note = fields.String()


class JobDescriptionOut(Output):
    """A version of a position's job description with its whole content."""

    id = fields.Integer()
    position_id = fields.Integer()
    number = fields.Integer(metadata={"description": "Version number (1, 2, 3 … per position)."})
    status = fields.String(metadata={"description": "draft, in_review, approved, published or superseded"})
    effective_date = fields.Date(allow_none=True)
    title = fields.String()
    purpose = fields.String()
    authority = fields.String()
    management_responsibility = fields.String()
    working_conditions = fields.String()
    sections = fields.List(fields.Nested(SectionOut))
    duties = fields.List(fields.Nested(DutyOut), metadata={"description": "Every duty in order, with its section."})
    requirements = fields.List(fields.Nested(RequirementOut))
    competencies = fields.List(fields.Nested(CompetencyLevelOut))
    kpis = fields.List(fields.Nested(KpiTargetOut))


class PositionDetailOut(PositionOut):
    job_description = fields.Nested(
        JobDescriptionOut,
        allow_none=True,
        metadata={"description": "The current job description, with its duties; null while there is none."},
    )
    # The reporting line around the position (schemas in app/api/org_schemas.py).
    superior = fields.Nested(
        "PositionLinkOut",
        allow_none=True,
        metadata={"description": "The direct superior (直接上级), reports_to_id's position."},
    )
    subordinates = fields.List(
        fields.Nested("PositionLinkOut"),
        metadata={"description": "Direct subordinates, derived from the positions that report to this one."},
    )
    manager = fields.Nested(
        "ManagerOut",
        allow_none=True,
        metadata={
            "description": "The first position up the reporting line that someone holds today, past vacant ones, "
            "and its holders; null at the top."
        },
    )


class PositionArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or title."})
    department_id = query_ref("Only positions of this department and those below it.")
    vacancy = fields.String(
        validate=validate.OneOf(["vacant", "filled", "over"]),
        metadata={"description": "vacant: fewer holders than the headcount; filled: as many or more; over: more."},
    )
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived positions."})
