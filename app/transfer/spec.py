"""What the spreadsheets hold: the columns of each kind of row, how a cell is read and how a
value is written back, so that an export imported again changes nothing.

The header of each column is its key (``parent_code``); the importer also accepts the column's
English or Chinese label. Values are compared in one normal form on both sides: text without
surrounding blanks and with ``\\n`` line ends, lists as tuples, dates as dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import EMAIL_PATTERN
from app.core.numbers import NotANumber, NumberError, parse_number
from app.core.spreadsheets import neutralise
from app.org.forms import CODE_PATTERN, collaboration_lines
from app.org.models import EMPLOYEE_STATUS_LABELS, Department, Employee, EmployeeStatus, Position

MAX_NUMBER = 100_000  # as the position form: larger headcounts are typing mistakes


class Keep:
    """A blank cell in a column whose blank means "as it is" (the current value, or the default
    for a new row) rather than "empty"."""


KEEP = Keep()


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = "text"  # text, code, ref, int, date, bool, email, status, lines, pairs, codes
    max_length: int | None = None
    help: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[Field, ...]
    key_fields: tuple[str, ...]
    help: str = ""

    @property
    def columns(self) -> list[str]:
        return [f.key for f in self.fields]

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def _length(column) -> int:
    return column.property.columns[0].type.length


DEPARTMENTS = Kind("departments", _l("Departments"), key_fields=("code",), help=_l(
    "One row per department, keyed by its code. Sub-departments name their parent's code."), fields=(
    Field("code", _l("Code"), "code", _length(Department.code), _l("Unique; letters, digits, dots, dashes.")),
    Field("name", _l("Department name"), "text", _length(Department.name)),
    Field("parent_code", _l("Parent department code"), "ref", help=_l("Empty at the top of the company.")),
    Field("head_position_code", _l("Head position code"), "ref",
          help=_l("A position of this department (it may be created by the same workbook).")),
    Field("nature", _l("Nature (部门性质)")),
    Field("service_object", _l("Serves (服务对象)")),
    Field("authority", _l("Management authority (管理权限)")),
    Field("management_functions", _l("Management functions (管理职能)")),
    Field("functions", _l("Main functions (主要职责)"), "lines", help=_l("One per line, in order.")),
    Field("collaborations", _l("Collaboration with other departments (部门协作)"), "pairs",
          help=_l("One per line: department, a colon, what is done together.")),
    Field("evaluation_criteria", _l("Evaluation criteria (绩效评估)")),
))

POSITIONS = Kind("positions", _l("Positions"), key_fields=("code",), help=_l(
    "One row per position, keyed by its code. Superiors may be in other departments."), fields=(
    Field("code", _l("Code"), "code", _length(Position.code), _l("Unique; letters, digits, dots, dashes.")),
    Field("title", _l("Title"), "text", _length(Position.title)),
    Field("department_code", _l("Department code"), "ref"),
    Field("grade", _l("Grade"), "text", _length(Position.grade)),
    Field("headcount", _l("Authorised headcount (编制)"), "int", help=_l("A whole number, 0 or more.")),
    Field("reports_to_code", _l("Reports to (直接上级) code"), "ref", help=_l("Empty at the top of the company.")),
    Field("dotted_line_codes", _l("Dotted-line superior codes"), "codes", help=_l("Separated by commas.")),
    Field("acting_position_code", _l("Covered when vacant by (临时代理) code"), "ref"),
    Field("acting_note", _l("Acting-for arrangement")),
    Field("purpose", _l("Purpose")),
    Field("authority", _l("Authority (职责权限)")),
    Field("management_responsibility", _l("Management responsibility (管理责任)")),
    Field("working_conditions", _l("Working conditions")),
))

EMPLOYEES = Kind("employees", _l("Employees"), key_fields=("employee_no",), help=_l(
    "One row per employee, keyed by the employee number."), fields=(
    Field("employee_no", _l("Employee number"), "text", _length(Employee.employee_no)),
    Field("name", _l("Name"), "text", _length(Employee.name)),
    Field("email", _l("E-mail"), "email", _length(Employee.email)),
    Field("hire_date", _l("Hire date"), "date", help=_l("YYYY-MM-DD.")),
    Field("status", _l("Status"), "status", help=_l("probation, regular or left; empty: as it is (regular when new).")),
    Field("user_email", _l("User account e-mail"), "email", help=_l("Links the employee to an existing login.")),
))

ASSIGNMENTS = Kind("assignments", _l("Assignments"), key_fields=("employee_no", "position_code", "start_date"),
                   help=_l("One row per assignment, keyed by employee number, position code and start date."),
                   fields=(
    Field("employee_no", _l("Employee number"), "ref"),
    Field("position_code", _l("Position code"), "ref"),
    Field("start_date", _l("From"), "date", help=_l("YYYY-MM-DD.")),
    Field("end_date", _l("To"), "date", help=_l("Empty while it lasts.")),
    Field("is_primary", _l("Primary assignment"), "bool", help=_l("yes or no; empty: as it is (yes when new).")),
))

KINDS = {kind.key: kind for kind in (DEPARTMENTS, POSITIONS, EMPLOYEES, ASSIGNMENTS)}
ALL = "all"  # the workbook with one sheet per kind
KIND_CHOICES = (*KINDS, ALL)

# The form fields of the organisation's services, and the columns that carry them.
SERVICE_FIELDS = {
    "parent_id": "parent_code", "head_position_id": "head_position_code", "department_id": "department_code",
    "reports_to_id": "reports_to_code", "acting_position_id": "acting_position_code",
    "dotted_superior_ids": "dotted_line_codes", "user_id": "user_email", "position_id": "position_code",
}


def kind_label(key: str) -> str:
    return str(KINDS[key].label) if key in KINDS else _("Everything (one workbook)")


# --- headers ------------------------------------------------------------------------------------


def normalise_header(text) -> str:
    """'Parent department code *' → 'parent_department_code'."""
    text = re.sub(r"[\s\-*]+", "_", str(text or "").strip().casefold())
    return text.strip("_")


def _in_both_languages(text) -> set[str]:
    names = set()
    for locale in ("en", "zh_CN"):
        with force_locale(locale):
            names.add(normalise_header(str(text)))
    return names


def header_aliases(kind: Kind) -> dict[str, str]:
    """{normalised header: column key}: the key itself and its English and Chinese labels."""
    aliases = {}
    for f in kind.fields:
        for name in {normalise_header(f.key)} | _in_both_languages(f.label):
            aliases.setdefault(name, f.key)
    return aliases


def sheet_kind(title: str) -> str | None:
    """The kind a workbook sheet holds, from its title (key or label, in either language)."""
    name = normalise_header(title)
    for kind in KINDS.values():
        if name == kind.key or name in _in_both_languages(kind.label):
            return kind.key
    return None


# --- reading cells --------------------------------------------------------------------------------


class CellError(ValueError):
    pass


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
_TRUE = {"true", "yes", "y", "1", "是", "✓", "x"}
_FALSE = {"false", "no", "n", "0", "否"}
_CODE_SEPARATORS = re.compile(r"[,，;；\s]+")


def text_of(raw) -> str:
    """A cell as text: numbers without a spurious ".0", dates as YYYY-MM-DD, ``\\n`` line ends,
    no surrounding blanks, and without the quote that exports put before formula-like text."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        raw = "TRUE" if raw else "FALSE"
    elif isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, datetime):
        raw = raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, date):
        raw = raw.isoformat()
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("'") and neutralise(text[1:]) == text:
        text = text[1:]
    return text.strip()


def _date(raw) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 <= raw < 2958466:
        from openpyxl.utils.datetime import from_excel  # a date typed as a plain number in Excel

        return from_excel(raw).date()
    text = text_of(raw)
    if not text:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.", value=text[:40]))


def _int(raw, number_format: str = "auto"):
    """A whole number by the shared rule (``app.core.numbers``): "1,500" is 1500, but "1,5" (1.5
    or 15?) is refused with both readings rather than guessed, unless ``number_format`` says."""
    if isinstance(raw, str) and not text_of(raw):
        return KEEP
    try:
        number = parse_number(raw if isinstance(raw, (int, float, Decimal)) else text_of(raw), whole=True,
                              integer_digits=18, number_format=number_format)
    except NotANumber:
        raise CellError(_("“%(value)s” is not a whole number.", value=text_of(raw)[:40])) from None
    except NumberError as error:
        raise CellError(error.message) from None
    if number is None:
        return KEEP
    value = int(number)
    if value > MAX_NUMBER:
        raise CellError(_("The number is too large (at most %(max)d).", max=MAX_NUMBER))
    return value  # below zero: refused by the organisation's rules, with their message


def _bool(raw):
    if isinstance(raw, bool):
        return raw
    text = text_of(raw).casefold()
    if not text:
        return KEEP
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Write yes or no."))


def _status(raw):
    text = text_of(raw)
    if not text:
        return KEEP
    for status in EmployeeStatus:
        if text.casefold() == status.value or normalise_header(text) in _in_both_languages(
                EMPLOYEE_STATUS_LABELS[status]):
            return status.value
    raise CellError(_("Unknown status “%(value)s”: write probation, regular or left.", value=text[:40]))


def _email(raw) -> str:
    text = text_of(raw).lower()
    if text and not re.match(EMAIL_PATTERN, text):
        raise CellError(_("Enter a valid e-mail address."))
    return text


def _code(raw) -> str:
    text = text_of(raw)
    if text and not re.match(CODE_PATTERN, text):
        raise CellError(_("Use letters, digits, dots, dashes and underscores, e.g. EC-MGR."))
    return text


def _codes(raw) -> tuple[str, ...]:
    return tuple(sorted({code for code in _CODE_SEPARATORS.split(text_of(raw)) if code}))


def _lines(raw) -> tuple[str, ...]:
    return tuple(line.strip() for line in text_of(raw).split("\n") if line.strip())


def _pairs(raw) -> tuple[tuple[str, str], ...]:
    return tuple((partner, duty) for partner, duty in collaboration_lines(text_of(raw)) if duty)


_READERS = {"text": text_of, "ref": text_of, "code": _code, "int": _int, "date": _date, "bool": _bool,
            "email": _email, "status": _status, "lines": _lines, "pairs": _pairs, "codes": _codes}


def read_cell(f: Field, raw, number_format: str = "auto"):
    """The value of cell ``raw`` for field ``f`` in normal form, or KEEP; CellError when invalid.
    Numbers written as text are read in ``number_format`` (app.core.numbers)."""
    value = _int(raw, number_format) if f.type == "int" else _READERS[f.type](raw)
    if isinstance(value, str) and f.max_length and len(value) > f.max_length:
        raise CellError(_("Too long: at most %(max)d characters.", max=f.max_length))
    return value


def normal(f: Field, value):
    """A value read from the database in the same normal form as :func:`read_cell`."""
    if f.type in ("text", "ref", "code", "email"):
        value = text_of(value)
        return value.lower() if f.type == "email" else value
    if f.type == "codes":
        return tuple(sorted(set(value or ())))
    if f.type in ("lines", "pairs"):
        return tuple(value or ())
    return value


# --- writing cells ------------------------------------------------------------------------------------


def cell(f: Field, value):
    """A normal-form value as a spreadsheet cell (the exporter's half of the round trip)."""
    if f.type == "lines":
        return "\n".join(value)
    if f.type == "pairs":
        return "\n".join(f"{partner}: {duty}" if partner else duty for partner, duty in value)
    if f.type == "codes":
        return ", ".join(value)
    return value


def display(value) -> str | int | bool | None:
    """A normal-form value for the preview (JSON-safe)."""
    if isinstance(value, tuple):
        return "; ".join(f"{v[0]}: {v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value
