"""Departments: the tree (materialised path), its named queries, create, edit (including moving),
archive and delete."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import serialize, utcnow
from app.extensions import db
from app.org.fields import DEPARTMENT, Values
from app.org.models import Collaboration, Department, DepartmentFunction, Position
from app.org.services import views_cache
from app.org.services.common import apply_plain, clean_text, ensure_unique, text_search


class DepartmentData(Values):
    """A department's fields as declared in app/org/fields.py (``DEPARTMENT``); collaborations
    are (partner, duty) pairs."""

    entity = DEPARTMENT


def subtree_condition(department: Department):
    """SQL condition on Department: in ``department``'s subtree (itself included)."""
    return Department.path.startswith(department.path, autoescape=True)


def subtree_ids(department: Department):
    """A subquery of the ids of ``department`` and every department below it."""
    return select(Department.id).where(subtree_condition(department)).scalar_subquery()


def list_departments(
    search: str = "", include_archived: bool = False, within: Department | None = None, details: bool = False
):
    """Named query for lists of departments, in tree order; ``details`` also loads their
    functions and collaborations (the API shows them)."""
    query = select(Department).options(selectinload(Department.parent), selectinload(Department.head_position))
    if details:
        query = query.options(
            selectinload(Department.functions),
            selectinload(Department.collaborations).selectinload(Collaboration.partner),
        )
    if not include_archived:
        query = query.where(Department.archived_at.is_(None))
    if search:
        query = query.where(text_search(search, Department.name, Department.code))
    if within is not None:
        query = query.where(subtree_condition(within))
    return query.order_by(Department.path)


def department_position_counts(department_ids) -> dict[int, dict[str, int]]:
    """{department id: {"positions": n, "headcount": authorised, "subs": sub-departments}} in two queries."""
    counts = {dep_id: {"positions": 0, "headcount": 0, "subs": 0} for dep_id in department_ids}
    for row in db.session.execute(
        select(Position.department_id, func.count(Position.id), func.coalesce(func.sum(Position.headcount), 0))
        .where(Position.department_id.in_(list(department_ids)), Position.archived_at.is_(None))
        .group_by(Position.department_id)
    ):
        counts[row[0]].update(positions=row[1], headcount=row[2])
    for row in db.session.execute(
        select(Department.parent_id, func.count(Department.id))
        .where(Department.parent_id.in_(list(department_ids)), Department.archived_at.is_(None))
        .group_by(Department.parent_id)
    ):
        counts[row[0]]["subs"] = row[1]
    return counts


def load_department_page(department_id: int) -> Department:
    """A department with what its page shows, in a fixed number of queries."""
    department = db.session.scalar(
        select(Department)
        .where(Department.id == department_id)
        .options(
            selectinload(Department.parent),
            selectinload(Department.children),
            selectinload(Department.head_position),
            selectinload(Department.positions).selectinload(Position.reports_to),
            selectinload(Department.functions),
            selectinload(Department.collaborations).selectinload(Collaboration.partner),
        )
    )
    if department is None:
        raise NotFound(_("No such department."))
    return department


def department_choices(exclude: Department | None = None) -> list[tuple[int, str]]:
    """(id, indented name) of the active departments in tree order, for select fields (all of
    them kept until the data changes: see ``views_cache``)."""
    if exclude is None or exclude.id is None:
        return views_cache.cached("department choices", (), lambda: _department_choices(None))
    return _department_choices(exclude)


def _department_choices(exclude: Department | None) -> list[tuple[int, str]]:
    query = select(Department.id, Department.name, Department.code, Department.depth, Department.path).where(
        Department.archived_at.is_(None)
    )
    if exclude is not None and exclude.id is not None:
        query = query.where(~Department.path.startswith(exclude.path, autoescape=True))
    rows = [tuple(row) for row in db.session.execute(query.order_by(Department.path))]  # the org chart's order
    return [(dep_id, "\u2003" * depth + f"{name} ({code})") for dep_id, name, code, depth, _path in rows]


def _set_parent(department: Department, parent_id: int | None) -> None:
    """Attach ``department`` under ``parent_id``, refusing its own subtree, and re-path its subtree."""
    parent = None
    if department.id is not None:
        # Moves are serialised and read the paths as committed, so that two moves at once can
        # neither close a loop nor leave a subtree's paths behind.
        serialize(db.session, "org:department-tree")
        db.session.refresh(department, ["path", "depth"])
    if parent_id:
        with db.session.no_autoflush:  # a new department must not be flushed (and get an id) before the checks
            parent = db.session.get(Department, parent_id)
            if parent is not None and department.id is not None:
                db.session.refresh(parent, ["path", "archived_at"])
        if parent is None:
            raise ServiceError.field("parent_id", _("No such department."))
        if department.id is not None and (parent.id == department.id or parent.path.startswith(department.path)):
            raise ServiceError.field(
                "parent_id", _("A department cannot be placed under itself or one of its sub-departments.")
            )
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
    code, name = clean_text(data.code), clean_text(data.name)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    ensure_unique(
        Department, Department.code, code, department.id, "code", _("Another department already has this code.")
    )
    department.code, department.name = code, name
    apply_plain(department, data, "code", "name")
    if data.head_position_id:
        head = db.session.get(Position, data.head_position_id)
        if head is None or (department.id is not None and head.department_id != department.id):
            raise ServiceError.field("head_position_id", _("The head must be a position of this department."))
        department.head_position = head
    else:
        department.head_position = None
    # The lists are replaced only when they differ, so that saving them unchanged neither rewrites
    # their rows nor counts as a change of the department (its version and audit trail).
    collaborations = []
    for i, (partner, duty) in enumerate(data.collaborations):
        partner, duty = clean_text(partner), clean_text(duty)
        if not duty:
            continue
        with db.session.no_autoflush:  # the edit is flushed once, at the end: one new version
            match = db.session.scalar(
                select(Department).where(or_(Department.name == partner, Department.code == partner))
            )
        collaborations.append(Collaboration(position=i, partner=match, partner_name=partner, duty=duty))

    def same(rows) -> list[tuple]:  # a partner that is a department is the same whichever way it was typed
        return [
            (row.partner.id if row.partner else None, "" if row.partner else row.partner_name, row.duty) for row in rows
        ]

    if same(collaborations) != same(department.collaborations):
        department.collaborations = collaborations
    # Functions given as texts (the form's lines, the API, a spreadsheet) keep the rows (and so
    # the job descriptions' links to them) of the texts that are still there.
    texts = [text for text in (t.strip() for t in data.functions) if text]
    if texts != [function.text for function in department.functions]:
        by_text: dict[str, list[DepartmentFunction]] = {}
        for function in department.functions:
            by_text.setdefault(function.text, []).append(function)
        _set_functions(
            department, [(by_text[text].pop(0).id if by_text.get(text) else None, None, text) for text in texts]
        )


MAX_FUNCTIONS = 200
MAX_FUNCTION_TITLE = 120
MAX_FUNCTION_TEXT = 2000


@dataclass
class FunctionItem:
    """One of a department's functions as edited: ``id`` of an existing one (None: new)."""

    id: int | None
    title: str
    text: str


def _set_functions(department: Department, items) -> None:
    """Make ``department.functions`` the (id, title or None to keep it, text) ``items``, in
    order, updating the rows of the ids given, adding the others and removing those left out."""
    old = {function.id: function for function in department.functions}
    functions = []
    for i, (function_id, title, text) in enumerate(items):
        function = old.pop(function_id, None) if function_id is not None else None
        function = function or DepartmentFunction()
        function.position, function.text = i, text
        if title is not None:
            function.title = title
        functions.append(function)
    department.functions = functions


def save_functions(department: Department, items: list[FunctionItem], seen_version: int | None) -> None:
    """Replace a department's functions by ``items`` (ordered; each an existing id or new),
    checked as a whole: errors name ``functions.<i>.title`` / ``.text`` / ``.id``. The department's
    version moves (functions are part of it), so a stale edit is refused."""
    check_version(department, seen_version)
    errors: dict[str, list[str]] = {}
    if len(items) > MAX_FUNCTIONS:
        raise ServiceError.field("functions", _("At most %(num)d items.", num=MAX_FUNCTIONS))
    known = {function.id for function in department.functions}
    seen: set[int] = set()
    clean = []
    for i, item in enumerate(items):
        title, text = clean_text(item.title or ""), (item.text or "").strip()
        if item.id is not None and (item.id not in known or item.id in seen):
            errors.setdefault(f"functions.{i}.id", []).append(_("Not a function of this department."))
        if len(title) > MAX_FUNCTION_TITLE:
            errors.setdefault(f"functions.{i}.title", []).append(
                _("At most %(num)d characters (this has %(len)d).", num=MAX_FUNCTION_TITLE, len=len(title))
            )
        if len(text) > MAX_FUNCTION_TEXT:
            errors.setdefault(f"functions.{i}.text", []).append(
                _("At most %(num)d characters (this has %(len)d).", num=MAX_FUNCTION_TEXT, len=len(text))
            )
        if not text and not title:
            if item.id is None:
                continue  # a blank new row
            errors.setdefault(f"functions.{i}.text", []).append(_("Describe the function, or remove it."))
        if item.id is not None:
            seen.add(item.id)
        clean.append((item.id, title, text or title))
    if errors:
        raise ServiceError(_("The functions have %(num)d problem(s): see the marked fields.", num=len(errors)), errors)
    if [(f.id, f.title, f.text) for f in department.functions] != clean:
        _set_functions(department, clean)
        db.session.flush()


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


def _appraisal_cycles_referring_to(department: Department) -> list[str]:
    """Names of the appraisal cycles that refer to ``department``: their scope names it, or
    reviews were made in it. Looked up by table name, so that the organisation does not import
    the appraisals built on it."""
    cycles = db.metadata.tables.get("appraisal_cycles")
    scope = db.metadata.tables.get("appraisal_cycle_departments")
    reviews = db.metadata.tables.get("appraisal_reviews")
    if cycles is None or scope is None or reviews is None:
        return []
    ids = (
        select(scope.c.cycle_id)
        .where(scope.c.department_id == department.id)
        .union(select(reviews.c.cycle_id).where(reviews.c.department_id == department.id))
        .subquery()
    )
    return list(
        db.session.scalars(select(cycles.c.name).where(cycles.c.id.in_(select(ids.c.cycle_id))).order_by(cycles.c.id))
    )


def department_references(department: Department) -> dict:
    """What refers to ``department`` (and so prevents deleting it): counts of its sub-departments,
    positions and appraisal reviews, and the names of the appraisal cycles that refer to it."""
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    reviews = db.metadata.tables.get("appraisal_reviews")
    return {
        "sub_departments": count(select(Department.id).where(Department.parent_id == department.id)),
        "positions": count(select(Position.id).where(Position.department_id == department.id)),
        "appraisal_reviews": count(select(reviews.c.id).where(reviews.c.department_id == department.id))
        if reviews is not None
        else 0,
        "appraisal_cycles": _appraisal_cycles_referring_to(department),
    }


def delete_department(department: Department) -> None:
    refs = department_references(department)
    if refs["positions"] or refs["sub_departments"]:
        raise ServiceError(
            _(
                "This department still has %(positions)d position(s) and %(subs)d sub-department(s). "
                "Move or delete them first, or archive the department instead.",
                positions=refs["positions"],
                subs=refs["sub_departments"],
            )
        )
    if refs["appraisal_cycles"]:
        names = refs["appraisal_cycles"]
        shown = "、".join(names[:5]) + ("…" if len(names) > 5 else "")
        raise ServiceError(
            _(
                "Appraisal cycles refer to this department (%(cycles)s): archive it instead, so that "
                "their scope and reviews are kept.",
                cycles=shown,
            )
        )
    db.session.delete(department)
    db.session.flush()


def archive_department(department: Department, archived: bool = True) -> None:
    if archived:
        active_children = db.session.scalar(
            select(func.count()).where(Department.parent_id == department.id, Department.archived_at.is_(None))
        )
        active_positions = db.session.scalar(
            select(func.count()).where(Position.department_id == department.id, Position.archived_at.is_(None))
        )
        if active_children or active_positions:
            raise ServiceError(
                _(
                    "Archive its sub-departments and positions first (%(subs)d and %(positions)d are still active).",
                    subs=active_children,
                    positions=active_positions,
                )
            )
        department.archived_at = utcnow()
    else:
        if department.parent is not None and department.parent.is_archived:
            raise ServiceError(_("Restore the parent department first."))
        department.archived_at = None
    db.session.flush()
