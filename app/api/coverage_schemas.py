"""Schemas of duty coverage in the API: a department's functions, a version's links from duties
to them (with suggestions), and the department's coverage matrix."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Output, Text, ref, text, version_field

MAX_FUNCTIONS = 200
MAX_DUTIES = 500
TOO_MANY = "At most {max} items."  # translated by app.core.messages


class DepartmentFunctionIn(Schema):
    id = ref(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "An existing function of the department (keeps the duties linked to it); none: a new one."
        },
    )
    title = text(120, load_default="")
    text = Text(required=True, validate=validate.Length(max=2000))


class FunctionsIn(Schema):
    functions = fields.List(
        fields.Nested(DepartmentFunctionIn),
        required=True,
        validate=validate.Length(max=MAX_FUNCTIONS, error=TOO_MANY),
        metadata={"description": "Every function, in order; those left out are removed."},
    )
    version = version_field()


class DepartmentFunctionOut(Output):
    id = fields.Integer()
    title = fields.String()
    text = fields.String()


class FunctionsOut(Output):
    department_id = fields.Integer()
    functions = fields.List(fields.Nested(DepartmentFunctionOut))
    version = fields.Integer(metadata={"description": "The department's version (its ETag)."})


class DutyLinksIn(Schema):
    id = ref(required=True, metadata={"description": "A duty of the version."})
    functions = fields.List(
        ref(),
        required=True,
        validate=validate.Length(max=MAX_FUNCTIONS, error=TOO_MANY),
        metadata={"description": "The department functions it serves, in order (may be empty)."},
    )


class LinksIn(Schema):
    duties = fields.List(
        fields.Nested(DutyLinksIn),
        required=True,
        validate=validate.Length(max=MAX_DUTIES, error=TOO_MANY),
        metadata={"description": "The duties whose links change; duties not sent keep theirs."},
    )
    version = version_field()


class SuggestionOut(Output):
    function_id = fields.Integer()
    score = fields.Float(metadata={"description": "Text similarity, 0 to 1."})


class DutyLinksOut(Output):
    id = fields.Integer()
    section = fields.String()
    text = fields.String()
    functions = fields.List(fields.Integer())
    suggestions = fields.List(fields.Nested(SuggestionOut))


class LinksOut(Output):
    version_id = fields.Integer()
    status = fields.String()
    editable = fields.Boolean(metadata={"description": "Whether the caller may change the links now."})
    functions = fields.List(fields.Nested(DepartmentFunctionOut))
    duties = fields.List(fields.Nested(DutyLinksOut))
    version = fields.Integer(metadata={"description": "The version's lock counter (its ETag)."})


class CoverageDepartmentOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class CoveragePositionOut(Output):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    version_id = fields.Integer(allow_none=True)
    version_number = fields.Integer(allow_none=True)
    version_status = fields.String(
        allow_none=True,
        metadata={
            "description": "published when the job description in force is used, else the open version's status."
        },
    )


class CoverageDutyOut(Output):
    id = fields.Integer()
    text = fields.String()


class CoverageCellOut(Output):
    position_id = fields.Integer()
    duties = fields.List(fields.Nested(CoverageDutyOut))


class CoverageFunctionOut(DepartmentFunctionOut):
    positions = fields.List(
        fields.Nested(CoverageCellOut),
        metadata={"description": "The positions serving the function, with their duties that serve it."},
    )


class OverlapOut(DepartmentFunctionOut):
    position_ids = fields.List(fields.Integer())


class OrphanOut(Output):
    position_id = fields.Integer()
    duty_id = fields.Integer()
    text = fields.String()


class CoverageOut(Output):
    department = fields.Nested(CoverageDepartmentOut)
    overlap_limit = fields.Integer(metadata={"description": "More positions than this serving a function: an overlap."})
    positions = fields.List(fields.Nested(CoveragePositionOut))
    functions = fields.List(fields.Nested(CoverageFunctionOut))
    gaps = fields.List(fields.Nested(DepartmentFunctionOut), metadata={"description": "Functions no duty serves."})
    overlaps = fields.List(fields.Nested(OverlapOut))
    orphans = fields.List(fields.Nested(OrphanOut), metadata={"description": "Duties serving no function."})
