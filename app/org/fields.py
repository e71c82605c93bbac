"""The fields of the organisation's records, declared once.

Each entity (department, position, employee) lists its fields here: name, kind, label, limits,
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

from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.org.models import Department, Employee, EmployeeStatus, Position

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]*$"
CODE_MESSAGE = _l("Use letters, digits, dots, dashes and underscores, e.g. EC-MGR.")
TEXT_MAX = 20_000  # a free text of a record (Text columns): more is not a description
MAX_LIST = 200  # items of a department's lists (functions, collaborations)
MAX_REFS = 100  # positions named in one list (dotted lines)


def _length(column) -> int:
    """The length of a String column of the model, so that a limit is written once (the model)."""
    return column.property.columns[0].type.length


@dataclass(frozen=True)
class Field:
    """One field of an entity. ``sheet_key`` and ``sheet_label`` name its spreadsheet column when
    they differ from ``name`` and ``label`` (a reference is written as the other record's code);
    ``sheet=False`` leaves it out of the spreadsheets."""

    name: str
    kind: str
    label: Any
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    help: Any = None  # under the page's field
    description: str | None = None  # the API reference (English, as the rest of the document)
    messages: tuple[tuple[str, Any], ...] = ()  # page messages: ("required", ...), ("range", ...)
    widget: str = ""  # ref: "select" (choices from the view) or "lookup" (position code)
    target: str = ""  # ref/refs: the kind of record referred to (departments, positions, users)
    rows: int = 3  # text, lines, pairs: the height of the page's text area
    sheet: bool = True
    sheet_key: str = ""
    sheet_label: Any = None
    sheet_help: Any = None

    @property
    def column(self) -> str:
        return self.sheet_key or self.name

    @property
    def column_label(self):
        return self.sheet_label if self.sheet_label is not None else self.label

    def message(self, name: str):
        return dict(self.messages).get(name)

    def empty(self):
        """The value of the field when nothing is given."""
        if self.default is not None:
            return self.default
        if self.kind in ("refs", "lines", "pairs"):
            return []
        if self.kind in ("ref", "date", "int"):
            return None
        return ""


@dataclass(frozen=True)
class Entity:
    name: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def ordered(self, first: tuple[str, ...] = ()) -> tuple[Field, ...]:
        """The fields with those named in ``first`` first, in that order, then the others (a field
        added later comes last)."""
        return tuple(self.field(name) for name in first) + tuple(f for f in self.fields if f.name not in first)

    def of_kind(self, *kinds: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind in kinds)


PLAIN = ("code", "line", "text", "int", "email", "date", "status")  # kinds copied as they are
TEXT_KINDS = ("code", "line", "text", "email")


class Values:
    """The values of one entity's declared fields (``data.code``, ``data.headcount``): what the
    pages, the API and the spreadsheets hand to the services. Fields not given get their
    declared default; a required one missing or an unknown name is a TypeError, as for a
    dataclass."""

    entity: ClassVar[Entity]

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(self.entity.names)
        if unknown:
            raise TypeError(f"{type(self).__name__}: unknown field(s) {', '.join(sorted(unknown))}")
        for f in self.entity.fields:
            if f.name in values:
                setattr(self, f.name, values[f.name])
            elif f.required:
                raise TypeError(f"{type(self).__name__}: missing required field {f.name}")
            else:
                setattr(self, f.name, f.empty())

    def __getattr__(self, name: str) -> Any:  # for type checkers: every declared field is set in __init__
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def plain(self) -> dict[str, Any]:
        """{name: value} of the fields the services copy without a rule of their own."""
        return {f.name: getattr(self, f.name) for f in self.entity.of_kind(*PLAIN)}


def _text(name: str, label, sheet_label=None, **kwargs) -> Field:
    return Field(name, "text", label, max_length=TEXT_MAX, sheet_label=sheet_label, **kwargs)


CODE_HELP = _l("Unique; letters, digits, dots, dashes.")
CODE_DESCRIPTION = "Letters, digits, dots, dashes and underscores, e.g. EC-MGR."
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

ENTITIES = {entity.name: entity for entity in (DEPARTMENT, POSITION, EMPLOYEE)}
