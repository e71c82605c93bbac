"""The fields of the organisation's records, declared once (the ``Field``, ``Entity`` and
``Values`` they are made of are in ``app/core/fields.py``, shared with the other domains).

Each entity (department, position, employee, assignment) lists its fields here: name, kind, label, limits,
whether it is required, its default and the words that explain it. The rest is derived:

- the pages' forms (``app/org/forms.py``: WTForms fields and validators),
- the services' data (``PositionData`` and its siblings: the declared names and defaults),
- the API's request and response schemas (``app/api/schemas.py``: ``input_schema``, ``output_fields``),
- the spreadsheet columns (``app/transfer/spec.py``) and how the importer and exporter fill them,
- the labels of the audit trail for columns it has no label of its own for.

A field's ``kind`` says how it travels:

========  =====================================  ===============  ====================
kind      page                                   API              spreadsheet
========  =====================================  ===============  ====================
code      one line, letters/digits/.-_           string           checked like the API
line      one line of text                       string           text
text      several lines (up to 20,000 chars)     string           text
int       a whole number within ``minimum``..    integer          whole number
ref       the id of another record (a select,    integer id       the other record's
          or a position code with suggestions)                    code (``sheet_key``)
refs      several positions by code              list of ids      codes, comma-separated
email     an e-mail address or nothing           string           e-mail
date      a date or nothing                      date             YYYY-MM-DD
status    one of the employee statuses           one of           value or label
lines     one item per line                      list of strings  one per line
pairs     "partner: duty" per line               list of objects  one per line
========  =====================================  ===============  ====================

Adding a plain field (code, line, text, int, email, date) to an entity is: the model column, its
migration, one ``Field`` here, and the template. A reference to another record also needs the
importer to look its code up (``app/transfer/importing.py``) and the exporter to join it
(``app/transfer/records.py``).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.core.fields import (  # noqa: F401 (the generic part, used through this module by org's consumers)
    CODE_DESCRIPTION,
    CODE_MESSAGE,
    CODE_PATTERN,
    PLAIN,
    TEXT_KINDS,
    TEXT_MAX,
    Entity,
    Field,
    Values,
)
from app.core.fields import column_length as _length
from app.org.models import Department, Employee, EmployeeStatus, Position

MAX_LIST = 200  # items of a department's lists (functions, collaborations)
MAX_REFS = 100  # positions named in one list (dotted lines)


def _text(name: str, label, sheet_label=None, **kwargs) -> Field:
    return Field(name, "text", label, max_length=TEXT_MAX, sheet_label=sheet_label, **kwargs)


CODE_HELP = _l("Unique; letters, digits, dots, dashes.")
TOP = _l("Empty at the top of the company.")

# In the order of the API's schemas (the spreadsheets and the responses put some first: see there).
DEPARTMENT = Entity(
    "departments",
    (
        Field(
            "code",
            "code",
            _l("Code"),
            required=True,
            max_length=_length(Department.code),
            sheet_help=CODE_HELP,
            description=CODE_DESCRIPTION,
        ),
        Field(
            "name",
            "line",
            lazy_pgettext("thing", "Name"),
            required=True,
            max_length=_length(Department.name),
            sheet_label=_l("Department name"),
        ),
        Field(
            "parent_id",
            "ref",
            _l("Parent department"),
            widget="select",
            target="departments",
            sheet_key="parent_code",
            sheet_label=_l("Parent department code"),
            sheet_help=TOP,
        ),
        _text("nature", _l("Nature (部门性质)")),
        _text("service_object", _l("Serves (服务对象)")),
        _text("authority", _l("Management authority (管理权限)")),
        _text("management_functions", _l("Management functions (管理职能)")),
        _text("evaluation_criteria", _l("Evaluation criteria (绩效评估)")),
        Field(
            "head_position_id",
            "ref",
            _l("Head position"),
            widget="select",
            target="positions",
            help=_l("The position that leads this department."),
            sheet_key="head_position_code",
            sheet_label=_l("Head position code"),
            sheet_help=_l("A position of this department (it may be created by the same workbook)."),
        ),
        Field(
            "functions",
            "lines",
            _l("Main functions (主要职责)"),
            max_length=TEXT_MAX,
            maximum=MAX_LIST,
            rows=6,
            help=_l("One per line, in order."),
            sheet_help=_l("One per line, in order."),
            description="The main functions, in order.",
        ),
        Field(
            "collaborations",
            "pairs",
            _l("Collaboration with other departments (部门协作)"),
            max_length=TEXT_MAX,
            maximum=MAX_LIST,
            rows=4,
            help=_l("One per line: department, a colon, what is done together. E.g. “市场部: 制定并执行整合营销方案”."),
            sheet_help=_l("One per line: department, a colon, what is done together."),
        ),
    ),
)

POSITION = Entity(
    "positions",
    (
        Field(
            "code",
            "code",
            _l("Code"),
            required=True,
            max_length=_length(Position.code),
            sheet_help=CODE_HELP,
            description=CODE_DESCRIPTION,
        ),
        Field("title", "line", _l("Title"), required=True, max_length=_length(Position.title)),
        Field(
            "department_id",
            "ref",
            _l("Department"),
            required=True,
            widget="select",
            target="departments",
            messages=(("required", _l("Choose a department.")),),
            sheet_key="department_code",
            sheet_label=_l("Department code"),
        ),
        Field("grade", "line", _l("Grade"), max_length=_length(Position.grade)),
        Field(
            "headcount",
            "int",
            _l("Authorised headcount (编制)"),
            minimum=0,
            maximum=100_000,
            default=1,
            messages=(
                ("required", _l("Enter the authorised headcount.")),
                ("range", _l("The headcount cannot be below zero.")),
            ),
            description="Authorised headcount (编制).",
            sheet_help=_l("A whole number, 0 or more."),
        ),
        Field(
            "reports_to_id",
            "ref",
            _l("Reports to (直接上级)"),
            widget="lookup",
            target="positions",
            help=_l(
                "The superior position's code; type a title or code to search. It may belong to another department. "
                "Leave empty at the top of the company."
            ),
            sheet_key="reports_to_code",
            sheet_label=_l("Reports to (直接上级) code"),
            sheet_help=TOP,
        ),
        _text("purpose", _l("Purpose")),
        _text("authority", _l("Authority (职责权限)")),
        _text("management_responsibility", _l("Management responsibility (管理责任)")),
        _text("working_conditions", _l("Working conditions"), help=_l("E.g. shift work, evening shifts, travel.")),
        Field(
            "acting_position_id",
            "ref",
            _l("Covered when vacant by (临时代理)"),
            widget="lookup",
            target="positions",
            help=_l("The code of the position whose holder stands in."),
            sheet_key="acting_position_code",
            sheet_label=_l("Covered when vacant by (临时代理) code"),
        ),
        _text("acting_note", _l("Acting-for arrangement")),
        Field(
            "dotted_superior_ids",
            "refs",
            _l("Dotted-line reporting"),
            maximum=MAX_REFS,
            target="positions",
            help=_l("Codes of further positions this one reports to indirectly, separated by commas."),
            sheet_key="dotted_line_codes",
            sheet_label=_l("Dotted-line superior codes"),
            sheet_help=_l("Separated by commas."),
        ),
    ),
)

EMPLOYEE = Entity(
    "employees",
    (
        Field("employee_no", "line", _l("Employee number"), required=True, max_length=_length(Employee.employee_no)),
        Field("name", "line", _l("Name"), required=True, max_length=_length(Employee.name)),
        Field(
            "email",
            "email",
            _l("E-mail"),
            max_length=_length(Employee.email),
            messages=(("invalid", _l("Enter a valid e-mail address.")),),
        ),
        Field("hire_date", "date", _l("Hire date"), sheet_help=_l("YYYY-MM-DD.")),
        Field(
            "status",
            "status",
            _l("Status"),
            default=EmployeeStatus.REGULAR.value,
            sheet_help=_l("probation, regular or left; empty: as it is (regular when new)."),
        ),
        Field(
            "user_id",
            "ref",
            _l("User account"),
            widget="select",
            target="users",
            help=_l("Links the employee to a login, for self-service and manager scope."),
            sheet_key="user_email",
            sheet_label=_l("User account e-mail"),
            sheet_help=_l("Links the employee to an existing login."),
        ),
    ),
)

# Who holds which position from when to when. The spreadsheet names the employee and the position
# by their numbers and codes and keys a row by both and the start date (``app/transfer/spec.py``).
ASSIGNMENT = Entity(
    "assignments",
    (
        Field(
            "employee_id",
            "ref",
            _l("Employee"),
            required=True,
            target="employees",
            sheet_key="employee_no",
            sheet_label=_l("Employee number"),
        ),
        Field(
            "position_id",
            "ref",
            _l("Position"),
            required=True,
            widget="lookup",
            target="positions",
            help=_l("Type a title or code to search."),
            messages=(("required", _l("Choose a position.")),),
            sheet_key="position_code",
            sheet_label=_l("Position code"),
        ),
        Field(
            "start_date",
            "date",
            _l("From"),
            required=True,
            messages=(("required", _l("Enter a start date.")),),
            sheet_help=_l("YYYY-MM-DD."),
        ),
        Field(
            "end_date",
            "date",
            _l("To (optional)"),
            description="Last day; null: open.",
            sheet_label=_l("To"),
            sheet_help=_l("Empty while it lasts."),
        ),
        Field(
            "is_primary",
            "bool",
            _l("Primary assignment"),
            default=True,
            sheet_help=_l("yes or no; empty: as it is (yes when new)."),
        ),
    ),
)

ENTITIES = {entity.name: entity for entity in (DEPARTMENT, POSITION, EMPLOYEE, ASSIGNMENT)}
