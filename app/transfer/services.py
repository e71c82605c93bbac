"""Spreadsheet import and export of the organisation: departments, positions, employees and
assignments.

An import runs the rows through the organisation's own services (so every rule and the audit
trail apply) inside a savepoint, each row in a savepoint of its own so that one bad row does not
hide the problems of the others. A dry run (the preview) always rolls the outer savepoint back;
an import that is applied keeps it only when every row passed and the result is exactly what was
previewed (same digest). The caller commits, as with every service.

Rows may refer to rows of the same file in any order: departments are created parents first and
positions superiors first (a topological order; a loop is reported on each of its rows), and a
department's head, collaborations naming later departments, and a position's acting-for and
dotted lines to positions not created yet are set in a second pass.
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.spreadsheets import Column, Sheet
from app.extensions import db
from app.org.models import Assignment, Department, Employee, Position
from app.transfer.records import records
from app.transfer.report import ORDER
from app.transfer.spec import ALL, DEFAULTS, KINDS, cell


def export_sheet(kind: str) -> Sheet:
    """Every row of ``kind`` as a sheet whose rows are read from the database chunk by chunk as
    the file is written. The columns are exactly those the importer reads."""
    spec = KINDS[kind]
    rows = ([cell(f, record[f.key]) for f in spec.fields] for record in records(kind))
    return Sheet(kind, [Column(f.key) for f in spec.fields], rows)


def template_sheet(kind: str) -> Sheet:
    """An empty sheet with the right column names, to fill in."""
    return Sheet(kind, [Column(f.key) for f in KINDS[kind].fields], [])


def sheets_for(kind: str, template: bool = False) -> list[Sheet]:
    make = template_sheet if template else export_sheet
    return [make(k) for k in ORDER] if kind == ALL else [make(kind)]


def row_counts() -> dict[str, int]:
    """How many rows each export holds (archived departments and positions left out)."""
    from sqlalchemy import func

    count = lambda query: db.session.scalar(query)  # noqa: E731
    return {
        "departments": count(select(func.count(Department.id)).where(Department.archived_at.is_(None))),
        "positions": count(select(func.count(Position.id)).where(Position.archived_at.is_(None))),
        "employees": count(select(func.count(Employee.id))),
        "assignments": count(select(func.count(Assignment.id))),
    }


# What the views, the command line and the tests use, from the modules that do the work.
from app.transfer.importing import run_import  # noqa: E402
from app.transfer.parsing import parse_book, parse_sheet  # noqa: E402
from app.transfer.report import ACTIONS, CREATE, ERROR, UNCHANGED, UPDATE, Report, RowResult, SheetReport  # noqa: E402

__all__ = [
    "ACTIONS",
    "CREATE",
    "DEFAULTS",
    "ERROR",
    "ORDER",
    "UNCHANGED",
    "UPDATE",
    "Report",
    "RowResult",
    "SheetReport",
    "export_sheet",
    "parse_book",
    "parse_sheet",
    "row_counts",
    "run_import",
    "sheets_for",
    "template_sheet",
]
