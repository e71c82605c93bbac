"""Fields declared once: the generic part of every domain's declarations.

A domain lists each entity's fields in its own ``fields.py`` (``app/org/fields.py``,
``app/jobs/fields.py``, ``app/appraisals/fields.py``, ``app/targets/fields.py``): name, kind,
label, limits, whether it is required, its default and the words that explain it. The rest is
derived from those declarations:

- the pages' forms (``app.core.forms.declared``; the organisation adds its own widgets),
- the API's request and response schemas (``app/api/schemas.py``: ``input_schema``, ``output_schema``),
- the spreadsheet columns of the organisation (``app/transfer/spec.py``),
- the services' data (``Values``) where a domain uses it.

A field's ``kind`` says how it travels (page / API):

========  ====================================  ======================
kind      page                                  API
========  ====================================  ======================
code      one line, letters/digits/.-_          string
line      one line of text                      string
text      several lines                         string
int       a whole number within the limits      integer
choice    one of ``choices`` (a LabelledEnum)   one of its values
bool      a checkbox                            boolean
date      a date                                date
ref       the id of another record (a select)   integer id
refs      several ids (a multiple select)       list of ids
lines     one item per line                     list of strings
========  ====================================  ======================

The organisation adds ``email``, ``status``, ``pairs`` and position look-ups (``widget="lookup"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]*$"
CODE_MESSAGE = _l("Use letters, digits, dots, dashes and underscores, e.g. EC-MGR.")
CODE_DESCRIPTION = "Letters, digits, dots, dashes and underscores, e.g. EC-MGR."
TEXT_MAX = 20_000  # a free text of a record (Text columns): more is not a description


def column_length(column) -> int:
    """The length of a String column of a model, so that a limit is written once (the model)."""
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
    choices: Any = None  # choice: the LabelledEnum whose values it takes
    placeholder: Any = None  # the page's example in an empty field
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
        if self.kind in ("ref", "date", "int", "choice"):
            return None
        if self.kind == "bool":
            return False
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
