"""The organisation as rows of the spreadsheets, read in chunks: the exporter writes them and the
importer compares a file's rows with them. Plain column queries (no ORM objects, so nothing piles
up in the session), one chunk of ``CHUNK`` rows at a time, with keyset pagination.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.extensions import db
from app.org.fields import PLAIN
from app.org.models import Assignment, Collaboration, Department, DepartmentFunction, Employee, Position, dotted_lines
from app.transfer.spec import ASSIGNMENTS, DEPARTMENTS, EMPLOYEES, KINDS, POSITIONS, Kind, normal

CHUNK = 500


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _keyset(query, sort_column, size: int = CHUNK) -> Iterator[list]:
    """Chunks of ``query`` ordered by the unique ``sort_column`` (which the query selects as
    ``sort_key``), each chunk fetched by its own bounded query."""
    last = None
    while True:
        page = query.order_by(sort_column).limit(size)
        if last is not None:
            page = page.where(sort_column > last)
        rows = db.session.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1].sort_key


def _batches(query, sort_column, key_column, keys: Iterable | None, include_archived: bool, archived_column=None):
    if archived_column is not None and not include_archived:
        query = query.where(archived_column.is_(None))
    if keys is None:
        yield from _keyset(query, sort_column)
        return
    for chunk in _chunks(sorted(set(keys))):
        yield db.session.execute(query.where(key_column.in_(chunk))).all()


def _plain_columns(kind: Kind, model) -> list:
    """The model's columns of the kind's declared fields that are stored as they are exported
    (text, numbers, dates; not references), each labelled by its spreadsheet column."""
    assert kind.entity is not None
    return [getattr(model, f.name).label(f.column) for f in kind.entity.of_kind(*PLAIN) if f.sheet]


def _record(kind: Kind, row, **extra) -> dict:
    values = {f.key: normal(f, extra[f.key] if f.key in extra else getattr(row, f.key)) for f in kind.fields}
    values["_id"] = row.id
    return values


# --- one function per kind: yields lists of records (dicts in normal form, plus "_id") ----------------


def department_batches(keys=None, include_archived: bool = False) -> Iterator[list[dict]]:
    parent, head = aliased(Department), aliased(Position)
    query = (
        select(
            Department.id,
            Department.path.label("sort_key"),
            *_plain_columns(DEPARTMENTS, Department),
            parent.code.label("parent_code"),
            head.code.label("head_position_code"),
        )
        .outerjoin(parent, Department.parent_id == parent.id)
        .outerjoin(head, Department.head_position_id == head.id)
    )
    for rows in _batches(query, Department.path, Department.code, keys, include_archived, Department.archived_at):
        ids = [row.id for row in rows]
        functions: dict[int, list[str]] = {}
        for department_id, text in db.session.execute(
            select(DepartmentFunction.department_id, DepartmentFunction.text)
            .where(DepartmentFunction.department_id.in_(ids))
            .order_by(DepartmentFunction.department_id, DepartmentFunction.position, DepartmentFunction.id)
        ):
            functions.setdefault(department_id, []).append(text.strip())
        partner = aliased(Department)
        pairs: dict[int, list[tuple[str, str]]] = {}
        for department_id, partner_name, partner_label, duty in db.session.execute(
            select(Collaboration.department_id, Collaboration.partner_name, partner.name, Collaboration.duty)
            .outerjoin(partner, Collaboration.partner_id == partner.id)
            .where(Collaboration.department_id.in_(ids))
            .order_by(Collaboration.department_id, Collaboration.position, Collaboration.id)
        ):
            pairs.setdefault(department_id, []).append(((partner_label or partner_name or "").strip(), duty.strip()))
        yield [
            _record(DEPARTMENTS, row, functions=functions.get(row.id, ()), collaborations=pairs.get(row.id, ()))
            for row in rows
        ]


def position_batches(keys=None, include_archived: bool = False) -> Iterator[list[dict]]:
    superior, acting = aliased(Position), aliased(Position)
    query = (
        select(
            Position.id,
            Position.code.label("sort_key"),
            *_plain_columns(POSITIONS, Position),
            Department.code.label("department_code"),
            superior.code.label("reports_to_code"),
            acting.code.label("acting_position_code"),
        )
        .join(Department, Position.department_id == Department.id)
        .outerjoin(superior, Position.reports_to_id == superior.id)
        .outerjoin(acting, Position.acting_position_id == acting.id)
    )
    for rows in _batches(query, Position.code, Position.code, keys, include_archived, Position.archived_at):
        dotted: dict[int, list[str]] = {}
        for position_id, code in db.session.execute(
            select(dotted_lines.c.position_id, Position.code)
            .join(Position, Position.id == dotted_lines.c.superior_id)
            .where(dotted_lines.c.position_id.in_([row.id for row in rows]))
        ):
            dotted.setdefault(position_id, []).append(code)
        yield [_record(POSITIONS, row, dotted_line_codes=dotted.get(row.id, ())) for row in rows]


def employee_batches(keys=None, include_archived: bool = True) -> Iterator[list[dict]]:
    query = select(
        Employee.id,
        Employee.employee_no.label("sort_key"),
        *_plain_columns(EMPLOYEES, Employee),
        User.email.label("user_email"),
    ).outerjoin(User, Employee.user_id == User.id)
    for rows in _batches(query, Employee.employee_no, Employee.employee_no, keys, include_archived):
        yield [_record(EMPLOYEES, row) for row in rows]


def assignment_batches(employee_numbers=None, include_archived: bool = True) -> Iterator[list[dict]]:
    """Every assignment (history included); ``employee_numbers`` limits them to those employees."""
    query = (
        select(
            Assignment.id,
            Assignment.id.label("sort_key"),
            Employee.employee_no,
            Position.code.label("position_code"),
            Assignment.start_date,
            Assignment.end_date,
            Assignment.is_primary,
        )
        .join(Employee, Assignment.employee_id == Employee.id)
        .join(Position, Assignment.position_id == Position.id)
    )
    for rows in _batches(query, Assignment.id, Employee.employee_no, employee_numbers, include_archived):
        yield [_record(ASSIGNMENTS, row) for row in rows]


BATCHES = {
    "departments": department_batches,
    "positions": position_batches,
    "employees": employee_batches,
    "assignments": assignment_batches,
}


def records(kind: str) -> Iterator[dict]:
    """Every exported row of ``kind`` (archived departments and positions left out), chunk by chunk."""
    for batch in BATCHES[kind]():
        yield from batch


def current_records(kind: str, keys) -> dict[tuple, dict]:
    """{row key: record} of the existing rows of ``kind`` with these keys (archived included)."""
    spec = KINDS[kind]
    found = {}  # assignments (keyed by employee, position and start) are looked up by employee
    for batch in BATCHES[kind]({key[0] for key in keys}, include_archived=True):
        for record in batch:
            found[tuple(record[k] for k in spec.key_fields)] = record
    return found
