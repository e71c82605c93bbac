"""Positions: the reporting line (never a loop), dotted lines, acting-for cover, holders and
filled counts, named queries, create, edit, archive and delete."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, update
from sqlalchemy.orm import selectinload

from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import serialize, utcnow
from app.extensions import db
from app.org.fields import POSITION, Values
from app.org.models import Assignment, Department, Employee, Position, dotted_lines
from app.org.services.common import apply_plain, clean_text, current_filter, ensure_unique, text_search
from app.org.services.departments import subtree_condition
from app.org.services.levels import ensure_reporting_levels


class PositionData(Values):
    """A position's fields as declared in app/org/fields.py (``POSITION``)."""

    entity = POSITION


def chain_up(position_id: int) -> list[tuple[int, int]]:
    """[(position id, distance)] from ``position_id`` (distance 0) up to the top of its line,
    one recursive query. Stops after 200 levels, which only a cycle could exceed."""
    base = (
        select(Position.id, Position.reports_to_id, literal(0).label("distance"))
        .where(Position.id == position_id)
        .cte("chain", recursive=True)
    )
    step = (
        select(Position.id, Position.reports_to_id, (base.c.distance + 1).label("distance"))
        .join(base, Position.id == base.c.reports_to_id)
        .where(base.c.distance < 200)
    )
    chain = base.union_all(step)
    return [
        (row.id, row.distance)
        for row in db.session.execute(select(chain.c.id, chain.c.distance).order_by(chain.c.distance))
    ]


def head_first(query):
    """``query`` (selecting from Position) ordered head first: by the place in the reporting line
    (the stored ``reporting_level``), then by code, as the department page, the lists and the
    manuals show positions."""
    ensure_reporting_levels()
    return query.order_by(Position.reporting_level, Position.code)


def position_levels(position_ids) -> dict[int, int]:
    """{position id: place in the reporting line} of the given positions (one query, always)."""
    ensure_reporting_levels()
    ids = list(position_ids)
    return dict(db.session.execute(select(Position.id, Position.reporting_level).where(Position.id.in_(ids))).all())


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
    serialize(db.session, "org:reporting-lines")  # two changes at once must not close a loop together
    chain = [pid for pid, _distance in chain_up(superior_id)]
    if position.id in chain:
        loop_ids = chain[: chain.index(position.id) + 1]
        titles = dict(db.session.execute(select(Position.id, Position.title).where(Position.id.in_(loop_ids))).all())
        loop = " → ".join([position.title] + [titles[pid] for pid in loop_ids])
        raise ServiceError.field("reports_to_id", _("This reporting line would create a loop: %(loop)s.", loop=loop))


def _apply_position(position: Position, data: PositionData) -> None:
    code, title = clean_text(data.code), clean_text(data.title)
    if not code:
        raise ServiceError.field("code", _("Enter a code."))
    if not title:
        raise ServiceError.field("title", _("Enter a title."))
    ensure_unique(Position, Position.code, code, position.id, "code", _("Another position already has this code."))
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
    apply_plain(position, data, "code", "title")  # headcount checked above; the others as typed
    position.reports_to_id = data.reports_to_id or None
    position.acting_position_id = data.acting_position_id or None
    if {p.id for p in superiors} != {p.id for p in position.dotted_superiors}:  # else no change to record
        position.dotted_superiors = sorted(superiors, key=lambda p: p.code)


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
        raise ServiceError(
            _(
                "This position has %(assignments)d assignment(s) and %(subs)d subordinate position(s): "
                "archive it instead, so its history is kept.",
                assignments=refs["assignments"],
                subs=refs["subordinates"],
            )
        )
    if refs["history"]:
        raise ServiceError(
            _("This position has job descriptions or appraisals on record: archive it instead, so they are kept.")
        )
    db.session.execute(
        update(Department).where(Department.head_position_id == position.id).values(head_position_id=None)
    )
    db.session.delete(position)
    db.session.flush()


def archive_position(position: Position, archived: bool = True) -> None:
    if archived:
        holders = db.session.scalar(select(func.count()).where(Assignment.position_id == position.id, current_filter()))
        if holders:
            raise ServiceError(
                _("%(num)d employee(s) still hold this position: end their assignments first.", num=holders)
            )
        position.archived_at = utcnow()
    else:
        position.archived_at = None
    db.session.flush()


def archive_positions(positions: list[Position]) -> None:
    """Archive these positions together, all or nothing: refused whole, naming the positions at
    fault, when one is archived already or is still held (two queries, whatever the number)."""
    from app.core.bulk import refusal

    archived = [p for p in positions if p.archived_at is not None]
    if archived:
        raise refusal(_("Already archived:"), [f"{p.code} {p.title}" for p in archived])
    held_ids = set(
        db.session.scalars(
            select(Assignment.position_id).where(
                Assignment.position_id.in_([p.id for p in positions]), current_filter()
            )
        )
    )
    held = [p for p in positions if p.id in held_ids]
    if held:
        raise refusal(
            _("Employees still hold these positions (end their assignments first):"),
            [f"{p.code} {p.title}" for p in held],
        )
    now = utcnow()
    for position in positions:
        position.archived_at = now
    db.session.flush()


def holder_counts(position_ids=None, day: date | None = None):
    """Select (position_id, filled) counting current primary assignments."""
    query = (
        select(Assignment.position_id, func.count(Assignment.id).label("filled"))
        .where(current_filter(day), Assignment.is_primary.is_(True))
        .group_by(Assignment.position_id)
    )
    if position_ids is not None:
        query = query.where(Assignment.position_id.in_(position_ids))
    return query


def filled_counts(position_ids, day: date | None = None) -> dict[int, int]:
    """{position id: current primary holders} for the given positions."""
    return dict(db.session.execute(holder_counts(list(position_ids), day)).all())


def list_positions(
    search: str = "",
    department: Department | None = None,
    vacancy: str = "",
    include_archived: bool = False,
    by_code: bool = False,
):
    """Named query for the positions page, head first (``by_code``: by code, as the API lists
    them). ``vacancy``: vacant, filled, over (over-staffed). Filled counts for the page come
    from ``filled_counts``."""
    query = (
        select(Position)
        .join(Position.department)
        .options(
            selectinload(Position.department),
            selectinload(Position.reports_to),
            selectinload(Position.dotted_superiors),
        )
    )
    if not include_archived:
        query = query.where(Position.archived_at.is_(None))
    if search:
        query = query.where(text_search(search, Position.title, Position.code))
    if department is not None:
        query = query.where(subtree_condition(department))
    if vacancy in ("vacant", "filled", "over"):
        # correlated: one index lookup per candidate position, not an aggregate of every assignment
        filled_count = (
            select(func.count(Assignment.id))
            .where(Assignment.position_id == Position.id, Assignment.is_primary.is_(True), current_filter())
            .correlate(Position)
            .scalar_subquery()
        )
        query = query.where(
            {
                "vacant": filled_count < Position.headcount,
                "filled": filled_count >= Position.headcount,
                "over": filled_count > Position.headcount,
            }[vacancy]
        )
    return query.order_by(Position.code) if by_code else head_first(query)


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
    query = (
        select(Position.code, Position.title, Department.name)
        .join(Position.department)
        .where(Position.archived_at.is_(None))
        .order_by(Position.code)
        .limit(limit)
    )
    if text:
        query = query.where(text_search(text, Position.code, Position.title))
    return [
        {"code": code, "title": title, "department": department}
        for code, title, department in db.session.execute(query)
    ]


def position_choices(exclude_id: int | None = None) -> list[tuple[int, str]]:
    query = (
        select(Position.id, Position.title, Position.code).where(Position.archived_at.is_(None)).order_by(Position.code)
    )
    return [(row.id, f"{row.title} ({row.code})") for row in db.session.execute(query) if row.id != exclude_id]


def current_holders(position_ids, day: date | None = None) -> dict[int, list[Employee]]:
    """{position id: [employees holding it on ``day``]} in one query."""
    rows = db.session.execute(
        select(Assignment.position_id, Employee)
        .join(Assignment.employee)
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
        select(Assignment.position_id, Employee.name)
        .join(Assignment.employee)
        .where(Assignment.position_id.in_(list(position_ids)), current_filter(day))
        .order_by(Assignment.is_primary.desc(), Employee.name)
    )
    names: dict[int, list[str]] = {}
    for position_id, name in rows:
        names.setdefault(position_id, []).append(name)
    return names


def load_position_page(position_id: int) -> Position:
    """A position with what its page shows, in a fixed number of queries."""
    position = db.session.scalar(
        select(Position)
        .where(Position.id == position_id)
        .options(
            selectinload(Position.department),
            selectinload(Position.reports_to),
            selectinload(Position.subordinates),
            selectinload(Position.dotted_superiors),
            selectinload(Position.acting_position),
            selectinload(Position.assignments).selectinload(Assignment.employee),
        )
    )
    if position is None:
        raise NotFound(_("No such position."))
    return position


def direct_subordinates(position_ids) -> dict[int, list]:
    """{position id: [(id, code, title) of the positions reporting to it, by code]} in one query:
    the derived direct subordinates of a page of positions."""
    ids = list(position_ids)
    found: dict[int, list] = {pid: [] for pid in ids}
    if ids:
        for row in db.session.execute(
            select(Position.id, Position.code, Position.title, Position.reports_to_id)
            .where(Position.reports_to_id.in_(ids))
            .order_by(Position.code)
        ):
            found[row.reports_to_id].append(row)
    return found


def dotted_reports(position: Position) -> list[Position]:
    return list(
        db.session.scalars(
            select(Position)
            .join(dotted_lines, dotted_lines.c.position_id == Position.id)
            .where(dotted_lines.c.superior_id == position.id)
            .order_by(Position.code)
        )
    )
