"""Request and response schemas of the job-description API: the KPI and competency libraries,
base job descriptions, versions with their content, workflow actions, linter findings and
comparisons. (The organisation's schemas and the job description a position carries are in
app/api/schemas.py.)

The content of a draft is validated by ``app.jobs.content.clean_content``, the same function as
the editor's: these schemas check the shape and the types, and document the rules; the
service's errors come back under the same dotted names (``sections.0.duties.2.weight``).
"""
from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.common import MAX_ID
from app.api.schemas import (JobDescriptionOut, Output, PageArgs, Text, code, optional_text, query_ref, ref, text,
                             version_field)
from app.jobs.content import MAX_HEADING, MAX_ITEM, MAX_ITEMS, MAX_LONG_TEXT, MAX_STANDARD, MAX_TITLE
from app.jobs.models import SCALE_MAX, Direction, Frequency, Period, RequirementKind, Status


class Number(fields.Float):
    """A JSON number: numeric strings and booleans are refused (the editor's form sends strings,
    the API does not)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class ArchivedFlag(fields.Boolean):
    """``archived``, read from an ``archived_at`` timestamp."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value is not None


def one_of(enum_cls, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(sorted(enum_cls.values())), **kwargs)


def row_id() -> fields.Integer:
    return ref(allow_none=True, load_default=None, metadata={"description": "The id of an existing row of this draft, to keep it (edits show "
                                                 "as edits in the audit trail); null or absent for a new row."})


class LibraryArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or name."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived entries."})


# --- KPI library --------------------------------------------------------------------------------


class KpiIn(Schema):
    code = code()
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    unit = optional_text(40)
    direction = one_of(Direction, load_default=Direction.HIGHER.value, metadata={
        "description": "higher or lower (is better). Cannot change once targets use the KPI."})
    definition = optional_text(5000)
    measurement = optional_text(5000)


class KpiUpdate(KpiIn):
    version = version_field()


class KpiOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    direction = one_of(Direction)
    definition = fields.String()
    measurement = fields.String(metadata={"description": "How it is measured: data source, formula, who reports it."})
    usage = fields.Integer(metadata={"description": "KPI targets (in any version) that use it."})
    archived = ArchivedFlag(attribute="archived_at")
    version = fields.Integer()


# --- competency library -------------------------------------------------------------------------


class CompetencyIn(Schema):
    code = code()
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    description = optional_text(5000)
    levels = fields.List(text(500), load_default=list, validate=validate.Length(max=SCALE_MAX), metadata={
        "description": f"What levels 1 to {SCALE_MAX} mean, in order (missing ones are blank)."})


class CompetencyUpdate(CompetencyIn):
    version = version_field()


class CompetencyOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    description = fields.String()
    levels = fields.List(fields.String(), metadata={"description": f"Levels 1 to {SCALE_MAX}."})
    usage = fields.Integer(metadata={"description": "Job descriptions (any version) that require it."})
    archived = ArchivedFlag(attribute="archived_at")
    version = fields.Integer()


# --- content (the body of a draft) --------------------------------------------------------------


class ContentDutyIn(Schema):
    id = row_id()
    text = Text(required=True, metadata={"description": f"At most {MAX_ITEM} characters. A duty with no text "
                                                        "and nothing else is dropped."})
    frequency = one_of(Frequency, allow_none=True, load_default=None)
    standard = Text(load_default="", metadata={"description": f"A deadline or standard, at most {MAX_STANDARD} "
                                                              "characters."})
    weight = Number(allow_none=True, load_default=None, metadata={"description": "Weight in %, 0 to 100, or null."})


class ContentSectionIn(Schema):
    id = row_id()
    heading = Text(load_default="", metadata={"description": f"At most {MAX_HEADING} characters; may be empty."})
    duties = fields.List(fields.Nested(ContentDutyIn), load_default=list)


class ContentRequirementIn(Schema):
    id = row_id()
    kind = one_of(RequirementKind, load_default=RequirementKind.OTHER.value)
    text = Text(required=True, metadata={"description": f"At most {MAX_ITEM} characters."})
    required = fields.Boolean(load_default=True, metadata={"description": "false: preferred"})


class ContentCompetencyIn(Schema):
    id = row_id()
    competency_id = ref(required=True, metadata={"description": "A competency of the library, listed once."})
    level = fields.Integer(strict=True, required=True, metadata={"description": f"Required level, 1 to {SCALE_MAX}."})


class ContentKpiIn(Schema):
    id = row_id()
    kpi_id = ref(required=True, metadata={"description": "A KPI of the library (one target per KPI and period)."})
    target = Number(required=True)
    threshold = Number(allow_none=True, load_default=None, metadata={
        "description": "The worst result that still counts: below the target when higher is better, above it "
                       "when lower is better."})
    stretch = Number(allow_none=True, load_default=None, metadata={
        "description": "The result that earns the most: on the better side of the target."})
    weight = Number(required=True, metadata={"description": "Weight in %, 0 to 100."})
    period = one_of(Period, load_default=Period.MONTHLY.value)
    note = Text(load_default="")


class ContentIn(Schema):
    """The whole content of a job description, as the editor holds it."""

    title = Text(required=True, metadata={"description": f"At most {MAX_TITLE} characters."})
    purpose = Text(load_default="", metadata={"description": f"At most {MAX_LONG_TEXT} characters, like the "
                                                             "other texts."})
    authority = Text(load_default="")
    management_responsibility = Text(load_default="")
    working_conditions = Text(load_default="")
    sections = fields.List(fields.Nested(ContentSectionIn), load_default=list, metadata={
        "description": f"Sections of duties, in order (at most {MAX_ITEMS} items per list)."})
    requirements = fields.List(fields.Nested(ContentRequirementIn), load_default=list)
    competencies = fields.List(fields.Nested(ContentCompetencyIn), load_default=list)
    kpis = fields.List(fields.Nested(ContentKpiIn), load_default=list)


class ContentUpdate(ContentIn):
    version = version_field()


class DraftIn(Schema):
    """Where a new draft starts from: at most one of the fields; none: a copy of the version in
    force, or the position's own purpose, authority and working conditions."""

    template_id = ref(metadata={"description": "A base job description of the library."})
    from_position_id = ref(metadata={"description": "Another position whose job description in force is copied."})
    content = fields.Nested(ContentIn, metadata={"description": "The whole content of the draft."})

    @validates_schema
    def at_most_one_source(self, data, **kwargs):
        if len(data.keys() & {"template_id", "from_position_id", "content"}) > 1:
            raise ValidationError(_("Send at most one of template_id, from_position_id and content."))


# --- content (answers) --------------------------------------------------------------------------


class ContentDutyOut(Output):
    id = fields.Integer(allow_none=True)
    text = fields.String()
    frequency = one_of(Frequency, allow_none=True)
    standard = fields.String()
    weight = fields.Float(allow_none=True)


class ContentSectionOut(Output):
    id = fields.Integer(allow_none=True)
    heading = fields.String()
    duties = fields.List(fields.Nested(ContentDutyOut))


class ContentRequirementOut(Output):
    id = fields.Integer(allow_none=True)
    kind = one_of(RequirementKind)
    text = fields.String()
    required = fields.Boolean()


class ContentCompetencyOut(Output):
    id = fields.Integer(allow_none=True)
    competency_id = fields.Integer()
    level = fields.Integer()


class ContentKpiOut(Output):
    id = fields.Integer(allow_none=True)
    kpi_id = fields.Integer()
    target = fields.Float()
    threshold = fields.Float(allow_none=True)
    stretch = fields.Float(allow_none=True)
    weight = fields.Float()
    period = one_of(Period)
    note = fields.String()


class ContentOut(Output):
    """Content in the shape of a draft's body (ContentIn)."""

    title = fields.String()
    purpose = fields.String()
    authority = fields.String()
    management_responsibility = fields.String()
    working_conditions = fields.String()
    sections = fields.List(fields.Nested(ContentSectionOut))
    requirements = fields.List(fields.Nested(ContentRequirementOut))
    competencies = fields.List(fields.Nested(ContentCompetencyOut))
    kpis = fields.List(fields.Nested(ContentKpiOut))


# --- base job descriptions -------------------------------------------------------------------------


class TemplateOut(Output):
    id = fields.Integer()
    name = fields.String()
    source = fields.String(metadata={"description": "Where it came from (a position and version, a seed)."})
    archived = ArchivedFlag(attribute="archived_at")
    created_at = fields.DateTime()


class TemplateDetailOut(TemplateOut):
    content = fields.Nested(ContentOut)


# --- versions -------------------------------------------------------------------------------------

STATUSES = sorted(Status.values())


class EventOut(Output):
    action = fields.String(metadata={"description": "created, imported, submitted, returned, approved, published, "
                                                    "superseded or waived"})
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
    version = fields.Integer(metadata={"description": "The row's version, to send with changes and actions "
                                                      "(also the ETag)."})


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


class TemplateArgs(LibraryArgs):
    q = text(200, metadata={"description": "Part of the name."})


# --- actions --------------------------------------------------------------------------------------


class ActionIn(Schema):
    """An action on a version: says which version of the record it is based on (or If-Match)."""

    version = version_field()


class ReturnIn(ActionIn):
    comment = Text(required=True, validate=validate.Length(max=5000), metadata={
        "description": "What needs to change (required)."})


class PublishIn(ActionIn):
    effective_date = fields.Date(required=True, metadata={
        "description": "The day from which it applies; not before that of the version in force."})


class WaiveIn(ActionIn):
    finding_key = Text(required=True, validate=validate.Length(max=120), metadata={
        "description": "The key of a finding of GET …/lint."})
    reason = Text(required=True, validate=validate.Length(max=2000), metadata={
        "description": "Why the finding is accepted (required)."})


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
    findings = fields.List(fields.Nested(FindingOut), metadata={
        "description": "Every finding of a version being worked on (none for published versions)."})
    open = fields.Integer(metadata={"description": "Findings neither fixed nor waived: approval needs 0."})


class CompareArgs(Schema):
    with_ = fields.Integer(required=True, data_key="with", validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "The other version: of the same position, or of any position for HR and admins."})


class FieldChangeOut(Output):
    name = fields.String(metadata={"description": "title, purpose, authority, management_responsibility or "
                                                  "working_conditions"})
    old = fields.String()
    new = fields.String()


class ComparedRowOut(Output):
    status = fields.String(validate=validate.OneOf(["same", "added", "removed", "changed", "moved"]), metadata={
        "description": "moved: the same item in another place (old is the text it had there)."})
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)
    old_meta = fields.String(metadata={"description": "Frequency, standard, weight, kind … of the old item."})
    new_meta = fields.String()
    group = fields.String(metadata={"description": "The duty's section heading."})


class ComparisonOut(Output):
    old = fields.Nested(VersionSummaryOut, metadata={"description": "The older version (lower number)."})
    new = fields.Nested(VersionSummaryOut)
    identical = fields.Boolean()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Rows per status (same, added, removed, changed, moved) over duties, requirements, KPIs "
                       "and competencies."})
    title = fields.Nested(FieldChangeOut, allow_none=True)
    fields_ = fields.List(fields.Nested(FieldChangeOut), data_key="fields", attribute="fields", metadata={
        "description": "Changed texts."})
    duties = fields.List(fields.Nested(ComparedRowOut))
    requirements = fields.List(fields.Nested(ComparedRowOut))
    kpis = fields.List(fields.Nested(ComparedRowOut))
    competencies = fields.List(fields.Nested(ComparedRowOut))
