"""Operations on the organisation, and its named queries. Services flush; callers commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.orm import selectinload

from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import (Assignment, Collaboration, Department, DepartmentFunction, Employee, EmployeeStatus,
                            Position, dotted_lines)

# --- shared helpers ---------------------------------------------------------------------


def _get(model, object_id: int, message: str):
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound(message)
    return obj


def get_department(department_id: int) -> Department:
    return _get(Department, department_id, _("No such department."))


def get_position(position_id: int) -> Position:
    return _get(Position, position_id, _("No such position."))


def get_employee(employee_id: int) -> Employee:
    return _get(Employee, employee_id, _("No such employee."))


def _clean(value) -> str:
    return (value or "").strip()


def _unique(model, column, value, current_id, field_name: str, message: str) -> None:
    query = select(model.id).where(column == value)
    if current_id is not None:
        query = query.where(model.id != current_id)
    if db.session.scalar(query) is not None:
        raise ServiceError.field(field_name, message)


def current_filter(day: date | None = None):
    """SQL condition: the assignment covers ``day`` (today by default)."""
    day = day or date.today()
    return and_(Assignment.start_date <= day, or_(Assignment.end_date.is_(None), Assignment.end_date >= day))


# --- departments ------------------------------------------------------------------------


@dataclass
class DepartmentData:
    code: str
    name: str
    parent_id: int | None = None
    nature: str = ""
    service_object: str = ""
    authority: str = ""
    management_functions: str = ""
    evaluation_criteria: str = ""
    head_position_id: int | None = None
    functions: list[str] = field(default_factory=list)
    collaborations: list[tuple[str, str]] = field(default_factory=list)  # (partner, duty)


def subtree_condition(department: Department):
    """SQL condition on Department: in ``department``'s subtree (itself included)."""
    return Department.path.startswith(department.path, autoescape=True)


def subtree_ids(department: Department):
    """A subquery of the ids of ``department`` and every department below it."""
    return select(Department.id).where(subtree_condition(department)).scalar_subquery()


def list_departments(search: str = "", include_archived: bool = False, within: Department | None = None,
                     details: bool = False):
    """Named query for lists of departments, in tree order; ``details`` also loads their
    functions and collaborations (the API shows them)."""
    query = select(Department).options(selectinload(Department.parent), selectinload(Department.head_position))
    if details:
        query = query.options(selectinload(Department.functions),
                              selectinload(Department.collaborations).selectinload(Collaboration.partner))
    if not include_archived:
        query = query.where(Department.archived_at.is_(None))
    if search:
        query = query.where(or_(Department.name.icontains(search, autoescape=True),
                                Department.code.icontains(search, autoescape=True)))
    if within is not None:
        query = query.where(subtree_condition(within))
    return query.order_by(Department.path)


def department_position_counts(department_ids) -> dict[int, dict[str, int]]:
    """{department id: {"positions": n, "headcount": authorised, "subs": sub-departments}} in two queries."""
    counts = {dep_id: {"positions": 0, "headcount": 0, "subs": 0} for dep_id in department_ids}
    for row in db.session.execute(
            select(Position.department_id, func.count(Position.id), func.coalesce(func.sum(Position.headcount), 0))
            .where(Position.department_id.in_(list(department_ids)), Position.archived_at.is_(None))
            .group_by(Position.department_id)):
        counts[row[0]].update(positions=row[1], headcount=row[2])
    for row in db.session.execute(
            select(Department.parent_id, func.count(Department.id))
            .where(Department.parent_id.in_(list(department_ids)), Department.archived_at.is_(None))
            .group_by(Department.parent_id)):
        counts[row[0]]["subs"] = row[1]
    return counts


def load_department_page(department_id: int) -> Department:
    """A department with what its page shows, in a fixed number of queries."""
    department = db.session.scalar(
        select(Department).where(Department.id == department_id).options(
            selectinload(Department.parent), selectinload(Department.children),
            selectinload(Department.head_position),
            selectinload(Department.positions).selectinload(Position.reports_to),
            selectinload(Department.functions),
            selectinload(Department.collaborations).selectinload(Collaboration.partner)))
    if department is None:
        raise NotFound(_("No such department."))
    return department


def department_choices(exclude: Department | None = None) -> list[tuple[int, str]]:
    """(id, indented name) of the active departments in tree order, for select fields."""
    query = select(Department.id, Department.name, Department.code, Department.depth, Department.path) \
        .where(Department.archived_at.is_(None))
    if exclude is not None and exclude.id is not None:
        query = query.where(~Department.path.startswith(exclude.path, autoescape=True))
    rows = db.session.execute(query).all()
    rows.sort(key=lambda r: _sort_path(r.path, {row.id: row.name for row in rows}))
    return [(row.id, "\u2003" * row.depth + f"{row.name} ({row.code})") for row in rows]


def _sort_path(path: str, names: dict[int, str]) -> list[str]:
    return [names.get(int(part), "") for part in path.strip("/").split("/") if part]


def _set_parent(department: Department, parent_id: int | None) -> None:
    """Attach ``department`` under ``parent_id``, refusing its own subtree, and re-path its subtree."""
    parent = None
    if parent_id:
        with db.session.no_autoflush:  # a new department must not be flushed (and get an id) before the checks
            parent = db.session.get(Department, parent_id)
        if parent is None:
            raise ServiceError.field("parent_id", _("No such department."))
        if department.id is not None and (parent.id == department.id or parent.path.startswith(department.path)):
            raise ServiceError.field("parent_id", _("A department cannot be placed under itself or one of its "
                                                    "sub-departments."))
        if parent.is_archived:
            raise ServiceError.field("parent_id", _("This department is archived."))
    old_path = department.path if department.id is not None else None
    department.parent = parent
    db.session.flush()  # assigns an id to a new department
    new_path = f"{parent.path if parent else '/'}{department.id}/"
    if old_path == new_path:
        return
    depth_change = new_path.count("/") - (old_path.count("/") if old_path else 0)
    department.path, department.depth = new_path, new_path.count("/") - 2
    if old_path:
        # Re-path the descendants in one statement.
        db.session.execute(
            update(Department)
            .where(Department.path.startswith(old_path, autoescape=True), Department.id != department.id)
            .values(path=func.replace(Department.path, old_path, new_path), depth=Department.depth + depth_change)
            .execution_options(synchronize_session="fetch")
        )


def _apply_department(department: Department, data: DepartmentData) -> None:
    code, name = _clean(data.code), _clean(data.name)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    _unique(Department, Department.code, code, department.id, "code", _("Another department already has this code."))
    department.code, department.name = code, name
    for attr in ("nature", "service_object", "authority", "management_functions", "evaluation_criteria"):
        setattr(department, attr, _clean(getattr(data, attr)))
    if data.head_position_id:
        head = db.session.get(Position, data.head_position_id)
        if head is None or (department.id is not None and head.department_id != department.id):
            raise ServiceError.field("head_position_id", _("The head must be a position of this department."))
        department.head_position = head
    else:
        department.head_position = None
    department.functions = [DepartmentFunction(position=i, text=text)
                            for i, text in enumerate(t.strip() for t in data.functions if t.strip())]
    collaborations = []
    for i, (partner, duty) in enumerate(data.collaborations):
        partner, duty = _clean(partner), _clean(duty)
        if not duty:
            continue
        match = db.session.scalar(select(Department).where(or_(Department.name == partner, Department.code == partner)))
        collaborations.append(Collaboration(position=i, partner=match, partner_name=partner, duty=duty))
    department.collaborations = collaborations


def create_department(data: DepartmentData) -> Department:
    department = Department(path="/", depth=0)
    _apply_department(department, data)
    db.session.add(department)  # after validating: its queries would autoflush a row without a code
    _set_parent(department, data.parent_id)
    db.session.flush()
    return department


def update_department(department: Department, data: DepartmentData, seen_version: int | None) -> None:
    check_version(department, seen_version)
    _apply_department(department, data)
    if data.parent_id != department.parent_id:
        _set_parent(department, data.parent_id)
    db.session.flush()


def department_references(department: Department) -> dict[str, int]:
    """What refers to ``department`` (and so prevents deleting it)."""
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    return {
        "sub_departments": count(select(Department.id).where(Department.parent_id == department.id)),
        "positions": count(select(Position.id).where(Position.department_id == department.id)),
    }


def delete_department(department: Department) -> None:
    refs = department_references(department)
    if refs["positions"] or refs["sub_departments"]:
        raise ServiceError(_("This department still has %(positions)d position(s) and %(subs)d sub-department(s). "
                             "Move or delete them first, or archive the department instead.",
                             positions=refs["positions"], subs=refs["sub_departments"]))
    db.session.delete(department)
    db.session.flush()


def archive_department(department: Department, archived: bool = True) -> None:
    if archived:
        active_children = db.session.scalar(select(func.count()).where(
            Department.parent_id == department.id, Department.archived_at.is_(None)))
        active_positions = db.session.scalar(select(func.count()).where(
            Position.department_id == department.id, Position.archived_at.is_(None)))
        if active_children or active_positions:
            raise ServiceError(_("Archive its sub-departments and positions first (%(subs)d and %(positions)d "
                                 "are still active).", subs=active_children, positions=active_positions))
        department.archived_at = utcnow()
    else:
        if department.parent is not None and department.parent.is_archived:
            raise ServiceError(_("Restore the parent department first."))
        department.archived_at = None
    db.session.flush()


# --- positions --------------------------------------------------------------------------


@dataclass
class PositionData:
    code: str
    title: str
    department_id: int
    grade: str = ""
    headcount: int = 1
    reports_to_id: int | None = None
    purpose: str = ""
    authority: str = ""
    management_responsibility: str = ""
    working_conditions: str = ""
    acting_position_id: int | None = None
    acting_note: str = ""
    dotted_superior_ids: list[int] = field(default_factory=list)


def chain_up(position_id: int) -> list[tuple[int, int]]:
    """[(position id, distance)] from ``position_id`` (distance 0) up to the top of its line,
    one recursive query. Stops after 200 levels, which only a cycle could exceed."""
    base = select(Position.id, Position.reports_to_id, literal(0).label("distance")) \
        .where(Position.id == position_id).cte("chain", recursive=True)
    step = select(Position.id, Position.reports_to_id, (base.c.distance + 1).label("distance")) \
        .join(base, Position.id == base.c.reports_to_id).where(base.c.distance < 200)
    chain = base.union_all(step)
    return [(row.id, row.distance) for row in db.session.execute(
        select(chain.c.id, chain.c.distance).order_by(chain.c.distance))]


def subtree_position_ids(position_ids):
    """A select of the ids of ``position_ids`` and every position reporting to them, directly
    or not (recursive). Usable as a subquery."""
    base = select(Position.id).where(Position.id.in_(position_ids)).cte("below", recursive=True)
    step = select(Position.id).join(base, Position.reports_to_id == base.c.id)
    tree = base.union(step)
    return select(tree.c.id)


def _check_reporting_line(position: Position, superior_id: int | None) -> None:
    if not superior_id:
        return
    if position.id is not None and superior_id == position.id:
        raise ServiceError.field("reports_to_id", _("A position cannot report to itself."))
    if position.id is None:
        return
    chain = [pid for pid, _distance in chain_up(superior_id)]
    if position.id in chain:
        loop_ids = chain[: chain.index(position.id) + 1]
        titles = dict(db.session.execute(select(Position.id, Position.title).where(Position.id.in_(loop_ids))).all())
        loop = " → ".join([position.title] + [titles[pid] for pid in loop_ids])
        raise ServiceError.field("reports_to_id", _("This reporting line would create a loop: %(loop)s.", loop=loop))


def _apply_position(position: Position, data: PositionData) -> None:
    code, title = _clean(data.code), _clean(data.title)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not title:
        raise ServiceError.field("title", _("Enter a title."))
    _unique(Position, Position.code, code, position.id, "code", _("Another position already has this code."))
    if data.headcount is None or data.headcount < 0:
        raise ServiceError.field("headcount", _("The headcount cannot be below zero."))
    department = db.session.get(Department, data.department_id) if data.department_id else None
    if department is None:
        raise ServiceError.field("department_id", _("Choose a department."))
    if department.is_archived and department.id != position.department_id:
        raise ServiceError.field("department_id", _("This department is archived."))
    if data.reports_to_id and db.session.get(Position, data.reports_to_id) is None:
        raise ServiceError.field("reports_to_id", _("No such position."))
    _check_reporting_line(position, data.reports_to_id)
    if data.acting_position_id and position.id is not None and data.acting_position_id == position.id:
        raise ServiceError.field("acting_position_id", _("A position cannot cover for itself."))
    if data.acting_position_id and db.session.get(Position, data.acting_position_id) is None:
        raise ServiceError.field("acting_position_id", _("No such position."))
    dotted = [pid for pid in dict.fromkeys(data.dotted_superior_ids or []) if pid and pid != data.reports_to_id]
    if position.id is not None and position.id in dotted:
        raise ServiceError.field("dotted_superior_ids", _("A position cannot report to itself."))
    superiors = list(db.session.scalars(select(Position).where(Position.id.in_(dotted)))) if dotted else []
    if len(superiors) != len(dotted):
        raise ServiceError.field("dotted_superior_ids", _("No such position."))
    position.code, position.title, position.department = code, title, department
    position.grade = _clean(data.grade)
    position.headcount = data.headcount
    position.reports_to_id = data.reports_to_id or None
    for attr in ("purpose", "authority", "management_responsibility", "working_conditions", "acting_note"):
        setattr(position, attr, _clean(getattr(data, attr)))
    position.acting_position_id = data.acting_position_id or None
    position.dotted_superiors = superiors


def create_position(data: PositionData) -> Position:
    position = Position()
    with db.session.no_autoflush:  # the checks query while the new position is half-built
        _apply_position(position, data)
    db.session.add(position)
    db.session.flush()
    return position


def update_position(position: Position, data: PositionData, seen_version: int | None) -> None:
    check_version(position, seen_version)
    _apply_position(position, data)
    db.session.flush()


# Tables of other domains whose rows belong to a position and are history worth keeping:
# a position they refer to is archived, never deleted. Looked up by name so that the
# organisation does not import the domains built on it.
POSITION_HISTORY_TABLES = ("jd_versions", "appraisal_reviews")


def position_references(position: Position) -> dict[str, int]:
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    history = 0
    for name in POSITION_HISTORY_TABLES:
        table = db.metadata.tables.get(name)
        if table is not None:
            history += count(select(table.c.position_id).where(table.c.position_id == position.id))
    return {
        "assignments": count(select(Assignment.id).where(Assignment.position_id == position.id)),
        "subordinates": count(select(Position.id).where(Position.reports_to_id == position.id)),
        "history": history,
    }


def delete_position(position: Position) -> None:
    refs = position_references(position)
    if refs["assignments"] or refs["subordinates"]:
        raise ServiceError(_("This position has %(assignments)d assignment(s) and %(subs)d subordinate position(s): "
                             "archive it instead, so its history is kept.",
                             assignments=refs["assignments"], subs=refs["subordinates"]))
    if refs["history"]:
        raise ServiceError(_("This position has job descriptions or appraisals on record: archive it instead, so they "
                             "are kept."))
    db.session.execute(update(Department).where(Department.head_position_id == position.id).values(head_position_id=None))
    db.session.delete(position)
    db.session.flush()


def archive_position(position: Position, archived: bool = True) -> None:
    if archived:
        holders = db.session.scalar(select(func.count()).where(
            Assignment.position_id == position.id, current_filter()))
        if holders:
            raise ServiceError(_("%(num)d employee(s) still hold this position: end their assignments first.",
                                 num=holders))
        position.archived_at = utcnow()
    else:
        position.archived_at = None
    db.session.flush()


def holder_counts(position_ids=None, day: date | None = None):
    """Select (position_id, filled) counting current primary assignments."""
    query = select(Assignment.position_id, func.count(Assignment.id).label("filled")) \
        .where(current_filter(day), Assignment.is_primary.is_(True)).group_by(Assignment.position_id)
    if position_ids is not None:
        query = query.where(Assignment.position_id.in_(position_ids))
    return query


def filled_counts(position_ids, day: date | None = None) -> dict[int, int]:
    """{position id: current primary holders} for the given positions."""
    return dict(db.session.execute(holder_counts(list(position_ids), day)).all())


def list_positions(search: str = "", department: Department | None = None, vacancy: str = "",
                   include_archived: bool = False):
    """Named query for the positions page. ``vacancy``: vacant, filled, over (over-staffed).
    Filled counts for the page come from ``filled_counts``."""
    query = select(Position).join(Position.department) \
        .options(selectinload(Position.department), selectinload(Position.reports_to),
                 selectinload(Position.dotted_superiors))
    if not include_archived:
        query = query.where(Position.archived_at.is_(None))
    if search:
        query = query.where(or_(Position.title.icontains(search, autoescape=True),
                                Position.code.icontains(search, autoescape=True)))
    if department is not None:
        query = query.where(subtree_condition(department))
    if vacancy in ("vacant", "filled", "over"):
        # correlated: one index lookup per candidate position, not an aggregate of every assignment
        filled_count = select(func.count(Assignment.id)).where(
            Assignment.position_id == Position.id, Assignment.is_primary.is_(True), current_filter()
        ).correlate(Position).scalar_subquery()
        query = query.where({
            "vacant": filled_count < Position.headcount,
            "filled": filled_count >= Position.headcount,
            "over": filled_count > Position.headcount,
        }[vacancy])
    return query.order_by(Position.code)


def position_ids_for_codes(codes) -> dict[str, int]:
    """{code: id} of the positions with these codes (one query)."""
    codes = [code for code in codes if code]
    if not codes:
        return {}
    return dict(db.session.execute(select(Position.code, Position.id).where(Position.code.in_(codes))).all())


def position_codes_for_ids(ids) -> dict[int, str]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    return dict(db.session.execute(select(Position.id, Position.code).where(Position.id.in_(ids))).all())


def find_positions(text: str, limit: int = 20) -> list[dict]:
    """Active positions whose code or title contains ``text``, for autocomplete."""
    text = (text or "").strip()
    query = select(Position.code, Position.title, Department.name).join(Position.department) \
        .where(Position.archived_at.is_(None)).order_by(Position.code).limit(limit)
    if text:
        query = query.where(or_(Position.code.icontains(text, autoescape=True),
                                Position.title.icontains(text, autoescape=True)))
    return [{"code": code, "title": title, "department": department}
            for code, title, department in db.session.execute(query)]


def position_choices(exclude_id: int | None = None) -> list[tuple[int, str]]:
    query = select(Position.id, Position.title, Position.code).where(Position.archived_at.is_(None)) \
        .order_by(Position.code)
    return [(row.id, f"{row.title} ({row.code})") for row in db.session.execute(query) if row.id != exclude_id]


def current_holders(position_ids, day: date | None = None) -> dict[int, list[Employee]]:
    """{position id: [employees holding it on ``day``]} in one query."""
    rows = db.session.execute(
        select(Assignment.position_id, Employee).join(Assignment.employee)
        .where(Assignment.position_id.in_(list(position_ids)), current_filter(day))
        .order_by(Assignment.is_primary.desc(), Employee.name)
    ).all()
    holders: dict[int, list[Employee]] = {}
    for position_id, employee in rows:
        holders.setdefault(position_id, []).append(employee)
    return holders


def holder_names(position_ids, day: date | None = None) -> dict[int, list[str]]:
    """{position id: names of its current holders, primary first}: names only, for lists."""
    rows = db.session.execute(
        select(Assignment.position_id, Employee.name).join(Assignment.employee)
        .where(Assignment.position_id.in_(list(position_ids)), current_filter(day))
        .order_by(Assignment.is_primary.desc(), Employee.name))
    names: dict[int, list[str]] = {}
    for position_id, name in rows:
        names.setdefault(position_id, []).append(name)
    return names


def load_position_page(position_id: int) -> Position:
    """A position with what its page shows, in a fixed number of queries."""
    position = db.session.scalar(
        select(Position).where(Position.id == position_id).options(
            selectinload(Position.department), selectinload(Position.reports_to),
            selectinload(Position.subordinates), selectinload(Position.dotted_superiors),
            selectinload(Position.acting_position),
            selectinload(Position.assignments).selectinload(Assignment.employee)))
    if position is None:
        raise NotFound(_("No such position."))
    return position


def dotted_reports(position: Position) -> list[Position]:
    return list(db.session.scalars(
        select(Position).join(dotted_lines, dotted_lines.c.position_id == Position.id)
        .where(dotted_lines.c.superior_id == position.id).order_by(Position.code)))


# --- employees and assignments ------------------------------------------------------------


@dataclass
class EmployeeData:
    employee_no: str
    name: str
    email: str = ""
    hire_date: date | None = None
    status: str = EmployeeStatus.REGULAR.value
    user_id: int | None = None


def _apply_employee(employee: Employee, data: EmployeeData) -> None:
    number, name = _clean(data.employee_no), _clean(data.name)
    if not number:
        raise ServiceError.field("employee_no", _("Enter an employee number."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    _unique(Employee, Employee.employee_no, number, employee.id, "employee_no",
            _("Another employee already has this number."))
    if data.status not in {s.value for s in EmployeeStatus}:
        raise ServiceError.field("status", _("Unknown status."))
    if data.user_id:
        from app.auth.models import User

        if db.session.get(User, data.user_id) is None:
            raise ServiceError.field("user_id", _("No such user."))
        _unique(Employee, Employee.user_id, data.user_id, employee.id, "user_id",
                _("This account is already linked to another employee."))
    employee.employee_no, employee.name = number, name
    employee.email = _clean(data.email).lower()
    employee.hire_date = data.hire_date
    employee.status = data.status
    employee.user_id = data.user_id or None


def create_employee(data: EmployeeData) -> Employee:
    employee = Employee()
    _apply_employee(employee, data)
    db.session.add(employee)
    db.session.flush()
    return employee


def update_employee(employee: Employee, data: EmployeeData, seen_version: int | None) -> None:
    check_version(employee, seen_version)
    _apply_employee(employee, data)
    db.session.flush()


def load_employee_page(employee_id: int) -> Employee:
    employee = db.session.scalar(
        select(Employee).where(Employee.id == employee_id).options(
            selectinload(Employee.assignments).selectinload(Assignment.position).selectinload(Position.department),
            selectinload(Employee.user)))
    if employee is None:
        raise NotFound(_("No such employee."))
    return employee


def list_employees(search: str = "", department: Department | None = None, status: str = "",
                   within_positions=None):
    """Named query for the employees page; ``within_positions`` limits to holders of those
    positions (a manager's subtree)."""
    query = select(Employee).options(
        selectinload(Employee.assignments).selectinload(Assignment.position).selectinload(Position.department))
    if search:
        query = query.where(or_(Employee.name.icontains(search, autoescape=True),
                                Employee.employee_no.icontains(search, autoescape=True),
                                Employee.email.icontains(search, autoescape=True)))
    if status:
        query = query.where(Employee.status == status)
    if department is not None or within_positions is not None:
        holders = select(Assignment.employee_id).join(Assignment.position).where(current_filter())
        if department is not None:
            holders = holders.join(Position.department).where(subtree_condition(department))
        if within_positions is not None:
            holders = holders.where(Assignment.position_id.in_(within_positions))
        query = query.where(Employee.id.in_(holders))
    return query.order_by(Employee.employee_no)


def get_assignment(assignment_id: int) -> Assignment:
    return _get(Assignment, assignment_id, _("No such assignment."))


def list_assignments(employee_id: int | None = None, position_id: int | None = None, current: bool | None = None,
                     within_employees=None):
    """Named query for lists of assignments, latest first. ``current``: only those covering
    today (True) or only the others (False); ``within_employees``: a select of the employee
    ids to keep (a user's scope)."""
    query = select(Assignment)
    if employee_id is not None:
        query = query.where(Assignment.employee_id == employee_id)
    if position_id is not None:
        query = query.where(Assignment.position_id == position_id)
    if current is not None:
        query = query.where(current_filter() if current else ~current_filter())
    if within_employees is not None:
        query = query.where(Assignment.employee_id.in_(within_employees))
    return query.order_by(Assignment.start_date.desc(), Assignment.id.desc())


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def _check_primary_overlap(employee: Employee, start_date: date, end_date: date | None,
                           exclude: Assignment | None = None) -> None:
    """Refuse a primary assignment of ``employee`` over these dates when another one overlaps."""
    for other in employee.assignments:
        if other is not exclude and other.is_primary and _overlaps(start_date, end_date, other.start_date,
                                                                      other.end_date):
            raise ServiceError.field("start_date", _(
                "This overlaps the primary assignment to %(position)s from %(start)s%(end)s; end that one first.",
                position=other.position.title, start=other.start_date.isoformat(),
                end=(" " + _("to") + " " + other.end_date.isoformat()) if other.end_date else ""))


def assign(employee: Employee, position_id: int, start_date: date, end_date: date | None = None,
           is_primary: bool = True) -> Assignment:
    position = db.session.get(Position, position_id) if position_id else None
    if position is None:
        raise ServiceError.field("position_id", _("Choose a position."))
    if position.is_archived:
        raise ServiceError.field("position_id", _("This position is archived."))
    if start_date is None:
        raise ServiceError.field("start_date", _("Enter a start date."))
    if end_date is not None and end_date < start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    # Someone who left may still get an ended assignment (their history), not an open one.
    if employee.status == EmployeeStatus.LEFT.value and end_date is None:
        raise ServiceError.field("position_id", _("This employee has left the company."))
    if is_primary:
        _check_primary_overlap(employee, start_date, end_date)
    assignment = Assignment(employee=employee, position=position, start_date=start_date, end_date=end_date,
                            is_primary=is_primary)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def update_assignment(assignment: Assignment, end_date: date | None, is_primary: bool) -> None:
    """Change an assignment's end date (None: open again) and whether it is the primary one."""
    if end_date is not None and end_date < assignment.start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    employee = assignment.employee
    if employee.status == EmployeeStatus.LEFT.value and end_date is None:
        raise ServiceError.field("end_date", _("This employee has left the company."))
    if is_primary:
        _check_primary_overlap(employee, assignment.start_date, end_date, exclude=assignment)
    assignment.end_date, assignment.is_primary = end_date, is_primary
    db.session.flush()


def end_assignment(assignment: Assignment, end_date: date) -> None:
    if end_date is None:
        raise ServiceError.field("end_date", _("Enter an end date."))
    if end_date < assignment.start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    assignment.end_date = end_date
    db.session.flush()


def primary_position(employee: Employee, day: date | None = None) -> Position | None:
    day = day or date.today()
    for assignment in employee.assignments:
        if assignment.is_primary and assignment.covers(day):
            return assignment.position
    return None


def managers_of_position(position_id: int, day: date | None = None) -> tuple[Position | None, list[Employee]]:
    """The first position above ``position_id`` that has a holder on ``day``, and its holders:
    the reporting line walked upwards past vacant posts."""
    chain = [pid for pid, distance in chain_up(position_id) if distance > 0]
    if not chain:
        return None, []
    holders = current_holders(chain, day)
    for pid in chain:
        if holders.get(pid):
            return db.session.get(Position, pid), holders[pid]
    return None, []


def manager_of(employee: Employee, day: date | None = None) -> tuple[Position | None, list[Employee]]:
    position = primary_position(employee, day)
    if position is None:
        return None, []
    return managers_of_position(position.id, day)


def positions_held_by_user(user, day: date | None = None) -> list[int]:
    """Ids of the positions the user's employee holds today."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return []
    return list(db.session.scalars(select(Assignment.position_id).where(
        Assignment.employee_id == employee.id, current_filter(day))))


def managed_position_ids(user):
    """Select of the positions below those the user holds (their reporting subtree, excluding
    their own posts)."""
    held = positions_held_by_user(user)
    if not held:
        return select(Position.id).where(literal(False))
    subtree = subtree_position_ids(held).subquery()
    return select(subtree.c.id).where(subtree.c.id.not_in(held))


def employees_in_subtree_of(user, employee_ids) -> set[int]:
    """Those of ``employee_ids`` who currently hold a position in ``user``'s reporting subtree."""
    managed = managed_position_ids(user).subquery()
    return set(db.session.scalars(select(Assignment.employee_id).where(
        Assignment.employee_id.in_(list(employee_ids)), current_filter(),
        Assignment.position_id.in_(select(managed.c.id)))))


def employee_in_subtree_of(employee: Employee, user) -> bool:
    return bool(employees_in_subtree_of(user, [employee.id]))


def employee_ids_visible_to(user, subtree: bool):
    """A select of the ids of the user's own employee record and, with ``subtree``, of the
    employees currently holding a position in the user's reporting subtree."""
    own = select(Employee.id).where(Employee.user_id == user.id)
    if not subtree:
        return own
    managed = managed_position_ids(user).subquery()
    return own.union(select(Assignment.employee_id).where(
        current_filter(), Assignment.position_id.in_(select(managed.c.id))))
