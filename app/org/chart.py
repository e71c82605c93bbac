"""Position-based org charts: the active positions of a department subtree (or of the whole
company) with their holders and filled/authorised counts, laid out by Graphviz ``dot`` as SVG.

The same SVG is inlined in the chart page (with links to the position pages) and can be reused
as-is in PDFs (built without links). This module gathers the chart as data; ``chart_dot`` writes
its DOT source (escaping every piece of user text) and ``chart_svg`` runs Graphviz.

Queries: a fixed number whatever the size of the chart (department, positions with their
departments, dotted lines, outside superiors, holders, filled counts); the tree walk, the depth
collapse and the counts below collapsed posts are computed in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from app.extensions import db
from app.org import services
from app.org.chart_dot import Link, chart_to_dot
from app.org.chart_svg import ChartError, ChartTimeout, clear_cache, render_chart_svg, render_svg, svg_response  # noqa: F401
from app.org.models import Department, Position, dotted_lines
from app.org.services import views_cache

COMPANY_DEPTH = 3  # levels drawn by default for the whole company: enough to read, fast to draw


# --- the chart as data --------------------------------------------------------------------


@dataclass
class ChartNode:
    id: int
    code: str
    title: str
    department_id: int
    department_name: str
    headcount: int
    reports_to_id: int | None
    level: int = 0  # 1 for the top of the chart
    holders: list[str] = field(default_factory=list)
    filled: int = 0  # current primary holders
    hidden_below: int = 0  # positions not drawn below this one (depth collapse)

    @property
    def vacant(self) -> bool:
        return self.filled == 0 and self.headcount > 0

    @property
    def open_posts(self) -> int:
        return max(self.headcount - self.filled, 0)

    @property
    def over_staffed(self) -> bool:
        return self.filled > self.headcount


@dataclass
class OutsideNode:
    """A superior outside the chart (another department, or archived), drawn small and grey."""

    id: int
    title: str
    department_name: str


@dataclass
class OrgChart:
    department: Department | None
    depth: int | None
    nodes: list[ChartNode]  # drawn, in tree order
    outside: list[OutsideNode]
    edges: list[tuple[str, int, int]]  # (kind, superior id, subordinate id); kind: solid/dotted
    outside_edges: list[tuple[str, int, int]]  # same, the superior being an OutsideNode
    total: int  # active positions in scope (drawn or not)
    departments: dict[int, str] = field(default_factory=dict)  # drawn departments: id → name

    @property
    def shown(self) -> int:
        return len(self.nodes)

    @property
    def hidden(self) -> int:
        return self.total - self.shown

    @property
    def is_empty(self) -> bool:
        return self.total == 0


@dataclass
class RenderedChart:
    chart: OrgChart
    svg: str


def build_chart(department_id: int | None = None, depth: int | None = None) -> OrgChart:
    """The chart of ``department_id``'s subtree (the whole company when None), positions more
    than ``depth`` levels below the top collapsed into their nearest drawn ancestor."""
    department = services.get_department(department_id) if department_id is not None else None
    if depth is not None and depth < 1:
        depth = None

    # The reporting lines of every position in scope (two numbers a row), for the levels and the
    # counts below; what a box prints, for the positions drawn only: a chart of the top levels of
    # a big company does not build what it does not draw. Table columns, not the mapped ones: the
    # rows come back plain, without the ORM's per-row work (a third of the time for 2,000 rows).
    positions, departments = Position.__table__.c, Department.__table__.c
    details = (
        positions.code,
        positions.title,
        positions.department_id,
        positions.headcount,
        departments.name.label("department_name"),
    )
    query = (
        select(positions.id, positions.reports_to_id, *(details if depth is None else ()))
        .join(Department.__table__, departments.id == positions.department_id)
        .where(positions.archived_at.is_(None))
    )
    if department is not None:
        query = query.where(services.subtree_condition(department))
    rows = db.session.execute(query.order_by(departments.path, positions.code, positions.id)).all()
    reports_to: dict[int, int | None] = dict((row[0], row[1]) for row in rows)

    drawn_ids, levels, hidden_below = _walk(reports_to, depth)
    drawn = set(drawn_ids)
    if depth is not None and drawn_ids:
        rows = db.session.execute(
            select(positions.id, *details)
            .join(Department.__table__, departments.id == positions.department_id)
            .where(positions.id.in_(drawn_ids))
        ).all()
    scope = {
        row.id: ChartNode(
            row.id,
            row.code,
            row.title,
            row.department_id,
            row.department_name,
            row.headcount,
            reports_to[row.id],
            levels[row.id],
            hidden_below=hidden_below.get(row.id, 0),
        )
        for row in rows
        if row.id in drawn
    }

    edges: list[tuple[str, int, int]] = []
    outside_edges: list[tuple[str, int, int]] = []
    outside_ids: list[int] = []
    for pid in drawn_ids:
        superior = reports_to[pid]
        if superior is None:
            continue
        if superior in drawn:
            edges.append(("solid", superior, pid))
        elif superior not in reports_to:
            outside_edges.append(("solid", superior, pid))
            outside_ids.append(superior)

    if drawn_ids:
        dotted_rows = db.session.execute(
            select(dotted_lines.c.position_id, dotted_lines.c.superior_id)
            .where(dotted_lines.c.position_id.in_(drawn_ids))
            .order_by(dotted_lines.c.position_id, dotted_lines.c.superior_id)
        ).all()
        for pid, superior in dotted_rows:
            if superior in drawn:
                edges.append(("dotted", superior, pid))
            elif superior not in reports_to:
                outside_edges.append(("dotted", superior, pid))
                outside_ids.append(superior)
            # a superior in scope but collapsed away: the line is not drawn

    outside: list[OutsideNode] = []
    if outside_ids:
        outside = [
            OutsideNode(row.id, row.title, row.name)
            for row in db.session.execute(
                select(Position.id, Position.title, Department.name)
                .join(Department, Department.id == Position.department_id)
                .where(Position.id.in_(set(outside_ids)))
                .order_by(Position.code)
            )
        ]

    if drawn_ids:
        holders = services.holder_names(drawn_ids)  # names only: no Employee built
        filled = services.filled_counts(drawn_ids)
        for pid in drawn_ids:
            node = scope[pid]
            node.holders = holders.get(pid, [])
            node.filled = filled.get(pid, 0)

    nodes = [scope[pid] for pid in drawn_ids]
    return OrgChart(
        department=department,
        depth=depth,
        nodes=nodes,
        outside=outside,
        edges=edges,
        outside_edges=outside_edges,
        total=len(reports_to),
        departments={node.department_id: node.department_name for node in nodes},
    )


def _walk(reports_to: dict[int, int | None], depth: int | None) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """(the positions drawn, in breadth-first order from the top positions: those whose
    superior is outside the scope; their levels, 1 at the top; for those at ``depth``, how many
    positions are collapsed below them). ``reports_to``: position → superior, in display order.
    Each position is reached once, from its superior, so the walk is a forest even if the data
    held a loop: its positions are walked last, from the first of them in display order. Below
    ``depth`` the walk only counts: no order, level or subtree size is kept for what is not drawn."""
    reports: dict[int, list[int]] = defaultdict(list)
    roots = []
    for pid, superior in reports_to.items():  # rows come in department path, code order
        if superior in reports_to and superior != pid:
            reports[superior].append(pid)
        else:
            roots.append(pid)
    drawn: list[int] = []
    levels: dict[int, int] = {}
    hidden: dict[int, int] = {}
    seen: set[int] = set()

    def visit(start: int) -> None:
        seen.add(start)
        level, queue = 1, [start]
        while queue:
            drawn.extend(queue)
            for pid in queue:
                levels[pid] = level
            if level == depth:
                for pid in queue:
                    hidden[pid] = _count_below(pid, reports, seen)
                return
            nxt = []
            for pid in queue:
                for child in reports.get(pid, ()):
                    if child not in seen:
                        seen.add(child)
                        nxt.append(child)
            level, queue = level + 1, nxt

    for pid in roots:
        visit(pid)
    if len(seen) < len(reports_to):  # only positions caught in a reporting loop are left
        for pid in reports_to:
            if pid not in seen:
                visit(pid)
    return drawn, levels, hidden


def _count_below(top: int, reports: dict[int, list[int]], seen: set[int]) -> int:
    """The positions below ``top`` not reached yet (each marked reached), counted."""
    count, stack = 0, [top]
    while stack:
        for child in reports.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                count += 1
                stack.append(child)
    return count


def chart_dot(
    department_id: int | None = None,
    depth: int | None = None,
    link: Link | None = None,
    department_link: Link | None = None,
) -> str:
    return chart_to_dot(build_chart(department_id, depth), link, department_link)


# --- rendering --------------------------------------------------------------------------


def org_chart(
    department_id: int | None = None,
    depth: int | None = None,
    link: Link | None = None,
    department_link: Link | None = None,
) -> RenderedChart:
    """The chart (for counts and the empty state) and its SVG."""
    chart = build_chart(department_id, depth)
    return RenderedChart(chart, render_chart_svg(chart_to_dot(chart, link, department_link)))


def org_chart_svg(
    department_id: int | None = None,
    depth: int | None = None,
    link: Link | None = None,
    department_link: Link | None = None,
) -> str:
    return org_chart(department_id, depth, link, department_link).svg


def cached_page_chart(
    department_id: int | None, depth: int | None, link: Link, department_link: Link
) -> tuple[OrgChart, str]:
    """(the chart, its SVG) for the chart page, kept until the data changes (``views_cache``):
    the page then costs what it shows, whatever the size of the company. The department is read
    afresh (an ORM object is not kept)."""

    def build() -> RenderedChart:
        rendered = org_chart(department_id, depth, link, department_link)
        return RenderedChart(replace(rendered.chart, department=None), rendered.svg)

    rendered = views_cache.cached("org chart page", (department_id, depth), build)
    department = services.get_department(department_id) if department_id is not None else None
    return replace(rendered.chart, department=department), rendered.svg
