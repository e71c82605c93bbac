"""What the spreadsheets hold: the columns of each kind of row, how a cell is read and how a
value is written back, so that an export imported again changes nothing.

The columns of departments, positions, employees and assignments are derived from the organisation's declared
fields (app/org/fields.py): a field's column, label, limits and default are those of its
declaration; a reference to another record is written as that record's code. The header of each
column is its key (``parent_code``); the importer also accepts the column's English or Chinese
label. Values are compared in one normal form on both sides: text without
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
from app.org import fields as declared
from app.org.fields import CODE_PATTERN
from app.org.forms import collaboration_lines
from app.org.models import EMPLOYEE_STATUS_LABELS, EmployeeStatus


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
    maximum: int | None = None  # int: larger numbers are typing mistakes
    default: object = ""  # the value of a new row's blank cell, in normal form
    source: str = ""  # the services' field the column fills (parent_id for parent_code)
    target: str = ""  # ref, codes: the kind of record named (departments, positions, users)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[Field, ...]
    key_fields: tuple[str, ...]
    help: str = ""
    entity: declared.Entity | None = None  # the declared fields the columns come from

    @property
    def columns(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def defaults(self) -> dict:
        """{column: the value of a blank cell of a new row}, key columns left out."""
        return {f.key: f.default for f in self.fields if f.key not in self.key_fields}

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def column_of(self, name: str) -> str:
        """The column named ``name``, or that carries the services' field ``name`` (parent_code for
        parent_id); "" when none does."""
        return next((f.key for f in self.fields if name in (f.key, f.source)), "")


# The spreadsheet's type of each kind of declared field; a reference to an account is its e-mail.
SHEET_TYPES = {
    "code": "code",
    "line": "text",
    "text": "text",
    "int": "int",
    "ref": "ref",
    "refs": "codes",
    "email": "email",
    "date": "date",
    "status": "status",
    "lines": "lines",
    "pairs": "pairs",
    "bool": "bool",
}


def column(f: declared.Field) -> Field:
    """The spreadsheet column of a declared field."""
    sheet_type = "email" if f.kind == "ref" and f.target == "users" else SHEET_TYPES[f.kind]
    max_length = f.max_length if f.kind in ("code", "line", "text", "email") else None
    return Field(
        f.column,
        f.column_label,
        sheet_type,
        max_length,
        f.sheet_help or "",
        maximum=f.maximum if f.kind == "int" else None,
        default=normal_default(sheet_type, f.empty()),
        source=f.name,
        target=f.target,
    )


def normal_default(sheet_type: str, value):
    """A declared default in the spreadsheets' normal form (tuples for lists, "" for no reference)."""
    if sheet_type in ("lines", "pairs", "codes"):
        return tuple(value or ())
    if sheet_type in ("ref", "email"):
        return value or ""
    return value


def derived_kind(
    key: str, label, entity: declared.Entity, help, first: tuple[str, ...] = (), key_fields: tuple[str, ...] = ()
) -> Kind:
    """The sheet of a declared entity: a column per field with a sheet, keyed by ``key_fields``
    (its first field when not given); the fields named in ``first`` come first (the columns'
    order since the first release)."""
    fields = tuple(column(f) for f in entity.ordered(first) if f.sheet)
    return Kind(key, label, fields, key_fields=key_fields or (fields[0].key,), help=help, entity=entity)


DEPARTMENTS = derived_kind(
    "departments",
    _l("Departments"),
    declared.DEPARTMENT,
    _l("One row per department, keyed by its code. Sub-departments name their parent's code."),
    first=(
        "code",
        "name",
        "parent_id",
        "head_position_id",
        "nature",
        "service_object",
        "authority",
        "management_functions",
        "functions",
        "collaborations",
    ),
)

POSITIONS = derived_kind(
    "positions",
    _l("Positions"),
    declared.POSITION,
    _l("One row per position, keyed by its code. Superiors may be in other departments."),
    first=(
        "code",
        "title",
        "department_id",
        "grade",
        "headcount",
        "reports_to_id",
        "dotted_superior_ids",
        "acting_position_id",
        "acting_note",
    ),
)

EMPLOYEES = derived_kind(
    "employees", _l("Employees"), declared.EMPLOYEE, _l("One row per employee, keyed by the employee number.")
)

ASSIGNMENTS = derived_kind(
    "assignments",
    _l("Assignments"),
    declared.ASSIGNMENT,
    _l("One row per assignment, keyed by employee number, position code and start date."),
    key_fields=("employee_no", "position_code", "start_date"),
)

KINDS = {kind.key: kind for kind in (DEPARTMENTS, POSITIONS, EMPLOYEES, ASSIGNMENTS)}
ALL = "all"  # the workbook with one sheet per kind
KIND_CHOICES = (*KINDS, ALL)

DEFAULTS = {kind.key: kind.defaults for kind in KINDS.values()}


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


def _int(raw, number_format: str = "auto", maximum: int | None = None):
    """A whole number by the shared rule (``app.core.numbers``): "1,500" is 1500, but "1,5" (1.5
    or 15?) is refused with both readings rather than guessed, unless ``number_format`` says."""
    if isinstance(raw, str) and not text_of(raw):
        return KEEP
    try:
        number = parse_number(
            raw if isinstance(raw, (int, float, Decimal)) else text_of(raw),
            whole=True,
            integer_digits=18,
            number_format=number_format,
        )
    except NotANumber:
        raise CellError(_("“%(value)s” is not a whole number.", value=text_of(raw)[:40])) from None
    except NumberError as error:
        raise CellError(error.message) from None
    if number is None:
        return KEEP
    value = int(number)
    if maximum is not None and value > maximum:
        raise CellError(_("The number is too large (at most %(max)d).", max=maximum))
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
            EMPLOYEE_STATUS_LABELS[status]
        ):
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


_READERS = {
    "text": text_of,
    "ref": text_of,
    "code": _code,
    "int": _int,
    "date": _date,
    "bool": _bool,
    "email": _email,
    "status": _status,
    "lines": _lines,
    "pairs": _pairs,
    "codes": _codes,
}


def read_cell(f: Field, raw, number_format: str = "auto"):
    """The value of cell ``raw`` for field ``f`` in normal form, or KEEP; CellError when invalid.
    Numbers written as text are read in ``number_format`` (app.core.numbers)."""
    value = _int(raw, number_format, f.maximum) if f.type == "int" else _READERS[f.type](raw)
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
