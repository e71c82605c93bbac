"""Request and response schemas of the API. They validate requests and, through apispec, are
the OpenAPI document: what is written here is what the reference shows.

Request schemas refuse unknown fields. Limits follow the columns and the pages' forms (code
pattern, lengths, headcount), so that nothing valid here can fail in the database.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from app.api.common import MAX_ID, MAX_PER_PAGE
from app.auth.models import EMAIL_PATTERN
from app.core.text import CONTROL, UNSTORABLE
from app.org.forms import CODE_MESSAGE, CODE_PATTERN
from app.org.models import EmployeeStatus

TEXT_MAX = 20_000
MAX_LIST = 200  # functions or collaborations of a department: more is not a department
TOO_MANY = "At most {max} items."  # translated by app.core.messages


class Text(fields.String):
    """A string that can be stored and exported: no NUL character, no lone surrogate, no
    invisible control character other than tabs and line breaks."""

    default_error_messages = {"unstorable": "Invalid value.",
                              "control": "Remove the invisible control characters from the text."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if UNSTORABLE.search(value):
            raise self.make_error("unstorable")
        if CONTROL.search(value):
            raise self.make_error("control")
        return value


def text(max_length: int = TEXT_MAX, **kwargs) -> Text:
    return Text(validate=validate.Length(max=max_length), **kwargs)


def optional_text(max_length: int = TEXT_MAX) -> Text:
    return text(max_length, load_default="")


def ref(**kwargs) -> fields.Integer:
    """The id of another record (a JSON number)."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def query_ref(description: str = "") -> fields.Integer:
    """The id of another record in the query string."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), metadata={"description": description})


def optional_ref() -> fields.Integer:
    return ref(allow_none=True, load_default=None)


def code() -> Text:
    return Text(required=True, metadata={"description": "Letters, digits, dots, dashes and underscores, e.g. EC-MGR."},
                validate=[validate.Length(min=1, max=40), validate.Regexp(CODE_PATTERN, error=CODE_MESSAGE)])


def version_field() -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), metadata={
        "description": "The version this change is based on (or send its ETag in If-Match)."})


def one_of(enum_cls, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(sorted(enum_cls.values())), **kwargs)


class Output(Schema):
    """A response: every field is always present (null where the schema allows it)."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


# --- errors and lists ---------------------------------------------------------------------


class ErrorSchema(Schema):
    """Every 4xx and 5xx answer of the API."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status."})
    message = fields.String(required=True, metadata={"description": "One sentence, in the user's language."})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True, metadata={
        "description": "Messages per field; nested fields have dotted names (collaborations.0.duty); "
                       "\"body\" is about the request body as a whole. Empty when no field is at fault."})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_ID))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Output,), {
        "items": fields.List(fields.Nested(item)),
        "total": fields.Integer(metadata={"description": "Items matching the filters, on all pages."}),
        "page": fields.Integer(),
        "per_page": fields.Integer(),
    })


def patch(schema: type[Schema]) -> Schema:
    """The body of a PATCH: every field of ``schema`` optional; the objects of a list (e.g.
    collaborations) stay complete, since a list is replaced as a whole."""
    return schema(partial=tuple(schema._declared_fields))


# --- departments --------------------------------------------------------------------------


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


# --- positions ----------------------------------------------------------------------------


class PositionIn(Schema):
    code = code()
    title = Text(required=True, validate=validate.Length(min=1, max=120))
    department_id = ref(required=True)
    grade = optional_text(40)
    headcount = fields.Integer(strict=True, load_default=1, validate=validate.Range(min=0, max=100_000),
                               metadata={"description": "Authorised headcount (编制)."})
    reports_to_id = optional_ref()
    purpose = optional_text()
    authority = optional_text()
    management_responsibility = optional_text()
    working_conditions = optional_text()
    acting_position_id = optional_ref()
    acting_note = optional_text()
    dotted_superior_ids = fields.List(ref(), load_default=list, validate=validate.Length(max=100))


class PositionUpdate(PositionIn):
    version = version_field()


class PositionOut(Output):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    department_id = fields.Integer()
    reports_to_id = fields.Integer(allow_none=True)
    headcount = fields.Integer()
    filled = fields.Integer(metadata={"description": "Current primary holders."})
    grade = fields.String()
    purpose = fields.String()
    authority = fields.String()
    management_responsibility = fields.String()
    working_conditions = fields.String()
    acting_position_id = fields.Integer(allow_none=True)
    acting_note = fields.String()
    dotted_superior_ids = fields.Pluck("IdOut", "id", many=True, attribute="dotted_superiors")
    subordinate_ids = fields.List(fields.Integer(), metadata={
        "description": "Direct subordinates (derived): the positions whose reports_to_id is this one."})
    archived = fields.Boolean(attribute="is_archived")
    version = fields.Integer()


class IdOut(Schema):
    id = fields.Integer()


class SectionDutyOut(Output):
    id = fields.Integer(metadata={"description": "The row's id: send it back to keep the row when replacing a draft."})
    text = fields.String()
    frequency = fields.String(allow_none=True, metadata={"description": "daily, weekly, monthly, quarterly, "
                                                                        "annual, as_needed or null"})
    standard = fields.String(metadata={"description": "A deadline or standard, e.g. 24小时内."})
    weight = fields.Float(allow_none=True, metadata={"description": "Weight in %, or null."})


class DutyOut(SectionDutyOut):
    section = fields.String(metadata={"description": "Heading of the duty's section (may be empty)."})


class SectionOut(Output):
    id = fields.Integer()
    heading = fields.String()
    duties = fields.List(fields.Nested(SectionDutyOut))


class RequirementOut(Output):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "education, experience, skills, certification, language, "
                                                  "working_conditions or other"})
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
    target = fields.Float()
    threshold = fields.Float(allow_none=True)
    stretch = fields.Float(allow_none=True)
    weight = fields.Float()
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
    job_description = fields.Nested(JobDescriptionOut, allow_none=True, metadata={
        "description": "The current job description, with its duties; null while there is none."})
    # The reporting line around the position (schemas in app/api/org_schemas.py).
    superior = fields.Nested("PositionLinkOut", allow_none=True, metadata={
        "description": "The direct superior (直接上级), reports_to_id's position."})
    subordinates = fields.List(fields.Nested("PositionLinkOut"), metadata={
        "description": "Direct subordinates, derived from the positions that report to this one."})
    manager = fields.Nested("ManagerOut", allow_none=True, metadata={
        "description": "The first position up the reporting line that someone holds today, past vacant ones, "
                       "and its holders; null at the top."})


class PositionArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or title."})
    department_id = query_ref("Only positions of this department and those below it.")
    vacancy = fields.String(validate=validate.OneOf(["vacant", "filled", "over"]), metadata={
        "description": "vacant: fewer holders than the headcount; filled: as many or more; over: more."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived positions."})


# --- employees and assignments --------------------------------------------------------------

STATUSES = [status.value for status in EmployeeStatus]


class EmployeeIn(Schema):
    employee_no = Text(required=True, validate=validate.Length(min=1, max=40))
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    email = Text(load_default="", validate=[
        validate.Length(max=254), validate.Regexp(f"{EMAIL_PATTERN}|^$", error=_l("Enter a valid e-mail address."))])
    hire_date = fields.Date(allow_none=True, load_default=None)
    status = fields.String(load_default=EmployeeStatus.REGULAR.value, validate=validate.OneOf(STATUSES))
    user_id = optional_ref()


class EmployeeUpdate(EmployeeIn):
    version = version_field()


class EmployeeOut(Output):
    id = fields.Integer()
    employee_no = fields.String()
    name = fields.String()
    email = fields.String()
    hire_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    user_id = fields.Integer(allow_none=True)
    position_id = fields.Integer(allow_none=True, metadata={"description": "The position of today's primary "
                                                                           "assignment."})
    manager = fields.Nested("ManagerOut", allow_none=True, metadata={
        "description": "The manager, derived from the reporting line (walking up past vacant posts); null "
                       "without a position or at the top."})
    version = fields.Integer()


class EmployeeArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the name, number or e-mail."})
    department_id = query_ref("Only current holders of positions of this department and those below it.")
    status = fields.String(validate=validate.OneOf(STATUSES))


class AssignmentIn(Schema):
    employee_id = ref(required=True)
    position_id = ref(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, load_default=None, metadata={"description": "Last day; null: open."})
    is_primary = fields.Boolean(load_default=True)


class AssignmentEnd(Schema):
    end_date = fields.Date(required=True, metadata={"description": "The last day."})


class AssignmentOut(Output):
    id = fields.Integer()
    employee_id = fields.Integer()
    position_id = fields.Integer()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    is_primary = fields.Boolean()


class AssignmentArgs(PageArgs):
    employee_id = query_ref()
    position_id = query_ref()
    current = fields.Boolean(metadata={"description": "true: only assignments covering today; false: only others."})


# --- job descriptions -----------------------------------------------------------------------


class ParseIn(Schema):
    text = Text(required=True, metadata={"description": "The pasted document, at most 200,000 characters."})


class ParsedFieldsOut(Output):
    reports_to = fields.String(allow_none=True)
    direct_reports = fields.List(fields.String())
    department = fields.String(allow_none=True)
    headcount = fields.Integer(allow_none=True)


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


# --- printed documents and background tasks -------------------------------------------------

PDF = {"type": "string", "format": "binary"}
LANGUAGE_CODES = ["en", "zh_CN"]


class DocumentArgs(Schema):
    lang = fields.String(validate=validate.OneOf(LANGUAGE_CODES), metadata={
        "description": "Language of the labels (the content is printed as typed); default: the user's."})


class JobDescriptionPdfArgs(DocumentArgs):
    version = query_ref("A version of this position's job description (any state the user may read); "
                        "default: the version in force.")


class TaskOut(Output):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "What the task does, e.g. manual."})
    title = fields.String()
    status = fields.String(validate=validate.OneOf(["queued", "running", "done", "failed"]))
    status_label = fields.String(metadata={"description": "The status in the user's language."})
    done = fields.Integer(metadata={"description": "Steps done so far."})
    total = fields.Integer(metadata={"description": "Steps in all (0 while unknown)."})
    percent = fields.Integer(validate=validate.Range(min=0, max=100))
    step = fields.String(metadata={"description": "What it is doing now."})
    error = fields.String(metadata={"description": "Why it failed, in the user's language; empty otherwise."})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    result_url = fields.String(allow_none=True, metadata={
        "description": "Where to download the result once the task is done; null before."})
