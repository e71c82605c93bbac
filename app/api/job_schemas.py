"""Request and response schemas of the job-description API: versions with their content and
workflow history, the review list, acknowledgements, workflow actions, linter findings,
comparisons and the paste-to-structure parser. The libraries (KPIs, competencies, base job
descriptions) are in app/api/library_schemas.py, the content of a draft in
app/api/content_schemas.py, and the job description a position carries, which a version
extends, in app/api/position_schemas.py.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.common import MAX_ID
from app.api.position_schemas import JobDescriptionOut
from app.api.schemas import Output, PageArgs, Text, query_ref, version_field
from app.jobs.models import Status

# --- versions -------------------------------------------------------------------------------------

STATUSES = sorted(Status.values())


class EventOut(Output):
    action = fields.String(
        metadata={"description": "created, imported, submitted, returned, approved, published, superseded or waived"}
    )
    label = fields.String(metadata={"description": "The action in the user's language."})
    comment = fields.String()
    actor = fields.String(attribute="actor_label")
    at = fields.DateTime()


class WaiverOut(Output):
    finding_key = fields.String()
    reason = fields.String()
    at = fields.DateTime()


class VersionSummaryOut(Output):
    id = fields.Integer()
    position_id = fields.Integer()
    number = fields.Integer(metadata={"description": "Version number (1, 2, 3 … per position)."})
    status = fields.String(validate=validate.OneOf(STATUSES))
    title = fields.String()
    effective_date = fields.Date(allow_none=True)
    based_on_id = fields.Integer(allow_none=True, metadata={"description": "The version it was copied from."})
    review_comment = fields.String(metadata={"description": "HR's comment when it was last returned."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    version = fields.Integer(
        metadata={"description": "The row's version, to send with changes and actions (also the ETag)."}
    )


class VersionOut(VersionSummaryOut, JobDescriptionOut):
    """A version with its whole content (names of KPIs and competencies resolved, row ids
    included) and its workflow history."""

    events = fields.List(fields.Nested(EventOut), metadata={"description": "The workflow history, oldest first."})
    waivers = fields.List(fields.Nested(WaiverOut), metadata={"description": "Linter findings accepted, with why."})


class PositionRefOut(Output):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    department_id = fields.Integer()
    department = fields.String(attribute="department.name")


class ReviewItemOut(VersionSummaryOut):
    position = fields.Nested(PositionRefOut)
    submitted_by = fields.String(allow_none=True, metadata={"description": "Who submitted it."})


class EmployeeRefOut(Output):
    id = fields.Integer()
    employee_no = fields.String()
    name = fields.String()


class VersionRefOut(Output):
    id = fields.Integer()
    number = fields.Integer()
    effective_date = fields.Date(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


class OutstandingOut(Output):
    """A holder who has not acknowledged the version in force of their position."""

    assignment_id = fields.Integer(attribute="id")
    employee = fields.Nested(EmployeeRefOut)
    position = fields.Nested(PositionRefOut)
    version = fields.Nested(VersionRefOut)


class OutstandingArgs(PageArgs):
    department_id = query_ref("Only holders of positions of this department and those below it.")


# --- actions --------------------------------------------------------------------------------------


class ActionIn(Schema):
    """An action on a version: says which version of the record it is based on (or If-Match)."""

    version = version_field()


class ReturnIn(ActionIn):
    comment = Text(
        required=True, validate=validate.Length(max=5000), metadata={"description": "What needs to change (required)."}
    )


class PublishIn(ActionIn):
    effective_date = fields.Date(
        required=True,
        metadata={"description": "The day from which it applies; not before that of the version in force."},
    )


class WaiveIn(ActionIn):
    finding_key = Text(
        required=True,
        validate=validate.Length(max=120),
        metadata={"description": "The key of a finding of GET …/lint."},
    )
    reason = Text(
        required=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Why the finding is accepted (required)."},
    )


class AcknowledgementOut(Output):
    version_id = fields.Integer()
    employee_id = fields.Integer()
    acknowledged_at = fields.DateTime()


class FindingOut(Output):
    key = fields.String(metadata={"description": "Stable across edits that leave its text alone: waive by it."})
    rule = fields.String()
    severity = fields.String(validate=validate.OneOf(["error", "warning"]))
    message = fields.String(metadata={"description": "What is wrong, in the user's language."})
    hint = fields.String(metadata={"description": "How to fix it."})
    where = fields.String(metadata={"description": "Dotted path of the item (sections.0.duties.2), or empty."})
    subject = fields.String(metadata={"description": "The text it is about."})
    waived = fields.Boolean()
    waiver_reason = fields.String(allow_none=True)


class LintOut(Output):
    findings = fields.List(
        fields.Nested(FindingOut),
        metadata={"description": "Every finding of a version being worked on (none for published versions)."},
    )
    open = fields.Integer(metadata={"description": "Findings neither fixed nor waived: approval needs 0."})


class CompareArgs(Schema):
    with_ = fields.Integer(
        required=True,
        data_key="with",
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The other version: of the same position, or of any position for HR and admins."},
    )


class FieldChangeOut(Output):
    name = fields.String(
        metadata={"description": "title, purpose, authority, management_responsibility or working_conditions"}
    )
    old = fields.String()
    new = fields.String()


class ComparedRowOut(Output):
    status = fields.String(
        validate=validate.OneOf(["same", "added", "removed", "changed", "moved"]),
        metadata={"description": "moved: the same item in another place (old is the text it had there)."},
    )
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)
    old_meta = fields.String(metadata={"description": "Frequency, standard, weight, kind … of the old item."})
    new_meta = fields.String()
    group = fields.String(metadata={"description": "The duty's section heading."})


class ComparisonOut(Output):
    old = fields.Nested(VersionSummaryOut, metadata={"description": "The older version (lower number)."})
    new = fields.Nested(VersionSummaryOut)
    identical = fields.Boolean()
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={
            "description": "Rows per status (same, added, removed, changed, moved) over duties, requirements, KPIs "
            "and competencies."
        },
    )
    title = fields.Nested(FieldChangeOut, allow_none=True)
    fields_ = fields.List(
        fields.Nested(FieldChangeOut), data_key="fields", attribute="fields", metadata={"description": "Changed texts."}
    )
    duties = fields.List(fields.Nested(ComparedRowOut))
    requirements = fields.List(fields.Nested(ComparedRowOut))
    kpis = fields.List(fields.Nested(ComparedRowOut))
    competencies = fields.List(fields.Nested(ComparedRowOut))


# --- the paste-to-structure parser ----------------------------------------------------------------


class ParseIn(Schema):
    text = Text(required=True, metadata={"description": "The pasted document, at most 200,000 characters."})


class ParsedFieldsOut(Output):
    reports_to = fields.String(allow_none=True)
    direct_reports = fields.List(fields.String())
    department = fields.String(allow_none=True)
    headcount = fields.Integer(allow_none=True)
    purpose = fields.String(
        allow_none=True,
        metadata={"description": "The text under 岗位目的 / 职位概述 / Job Summary …, when the document has one."},
    )


class ParsedSectionOut(Output):
    heading = fields.String(allow_none=True)
    kind = fields.String(validate=validate.OneOf(["duties", "requirements", "kpis", "authority", "other"]))
    items = fields.List(fields.String())


class ParseOut(Output):
    title = fields.String(allow_none=True)
    fields_ = fields.Nested(ParsedFieldsOut, data_key="fields", attribute="fields")
    sections = fields.List(fields.Nested(ParsedSectionOut))
    duties = fields.List(fields.String(), metadata={"description": "The items of the duties sections, in order."})
    requirements = fields.List(fields.String(), metadata={"description": "The items of the requirements sections."})
    warnings = fields.List(fields.String(), metadata={"description": "In the user's language."})
