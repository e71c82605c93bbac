"""The position manual of a department's subtree or of the whole company: a cover, a table of
contents with page numbers, the org chart (one page, or one page per department subtree when
it would be too small to read), the headcount plan, the duty coverage of the departments that
link duties to their functions (``app.jobs.coverage``), then the job description in force of every
position, each on a new page, headed with its department. Positions without a published job
description are listed as such in the contents.

``build_context`` collects everything in a fixed number of queries (the chart as DOT source,
so the cache key can be computed without drawing it); ``render`` draws the charts and lays the
manual out, in one WeasyPrint pass for small manuals, in parts for big ones (``parts``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import clock
from app.documents import context as contexts
from app.documents import parts
from app.documents.render import html_to_pdf, render_html
from app.extensions import db
from app.jobs import coverage as duty_coverage
from app.jobs import services as jobs
from app.org import chart as charts
from app.org.headcount import Counts, headcount_report
from app.org.models import Department, DepartmentFunction, Position
from app.tasks.services import report_progress

log = logging.getLogger(__name__)

TEMPLATE = "documents/pdf/manual.html"
# A chart of more positions than this is split: one page per department subtree.
CHART_MAX_POSITIONS = 24
OVERVIEW_DEPTH = 2  # levels of the overview chart that precedes the split pages
# Space for a chart on a page, in mm (the page's content box less the chart's title and a legend
# of up to three lines, which must stay on the chart's page).
CHART_BOX = {"landscape": (267.0, 150.0), "portrait": (174.0, 226.0)}
PART_TITLE = 11.0  # mm taken by the part's title ("Organisation chart") above the first chart
PT = 25.4 / 72  # mm per point


# --- context ------------------------------------------------------------------------------------


def _counts(counts: Counts) -> dict:
    return {"authorised": counts.authorised, "filled": counts.filled, "vacant": counts.vacant, "over": counts.over}


def _positions(position_ids) -> dict[int, Position]:
    """The positions with what their basic-information block shows, in four queries."""
    if not position_ids:
        return {}
    query = (
        select(Position)
        .where(Position.id.in_(list(position_ids)))
        .options(
            selectinload(Position.department), selectinload(Position.reports_to), selectinload(Position.subordinates)
        )
    )
    return {position.id: position for position in db.session.scalars(query)}


def build_context(department, lang: str) -> dict:
    """Everything the manual prints, as plain values (labels drawn into the charts in ``lang``)."""
    with force_locale(lang):
        report = headcount_report(department)
        ids = [line.id for block in report.departments for line in block.positions]
        positions = _positions(ids)
        versions = {v.position_id: v for v in db.session.scalars(jobs.published_versions(ids))} if ids else {}
        chart_pages = _chart_pages(department, report.departments)

    departments, jds, headcount = [], [], []
    for block in report.departments:
        entries = []
        headcount.append(
            {
                "kind": "department",
                "name": block.name,
                "code": block.code,
                "level": block.level,
                **_counts(block.subtree),
            }
        )
        for line in block.positions:
            version = versions.get(line.id)
            document = contexts.job_description(version, positions[line.id]) if version is not None else None
            entries.append(
                {
                    "id": line.id,
                    "code": line.code,
                    "title": line.title,
                    "document_no": document["document_no"] if document else None,
                }
            )
            if document is not None:
                jds.append({**document, "department": block.name})
            headcount.append(
                {
                    "kind": "position",
                    "code": line.code,
                    "title": line.title,
                    "grade": line.grade,
                    "level": block.level,
                    "authorised": line.authorised,
                    "filled": line.filled,
                    "vacant": line.vacant,
                    "over": line.over,
                }
            )
        departments.append(
            {"id": block.id, "name": block.name, "code": block.code, "level": block.level, "positions": entries}
        )

    context = {
        "coverage": _coverage([block.id for block in report.departments]),
        "company": contexts.company_name(),
        "scope": {"name": department.name, "code": department.code} if department is not None else None,
        "departments": departments,
        "counts": {"positions": len(ids), "published": len(jds)},
        "charts": chart_pages,
        "headcount": {"rows": headcount, "total": _counts(report.total)},
        "jds": jds,
    }
    # The edition names the content (the same content prints the same edition on any day);
    # the date is the day it was printed.
    context["edition"] = (
        hashlib.sha256(json.dumps(context, sort_keys=True, ensure_ascii=False, default=str).encode())
        .hexdigest()[:8]
        .upper()
    )
    context["printed"] = clock.today().isoformat()
    return context


def _coverage(department_ids: list[int]) -> list[dict]:
    """The coverage of each department of the manual that links duties to its functions (in the
    manual's order): per function, the positions serving it and whether it is a gap or an overlap; the
    duties serving none. One query, then the matrix's four for each such department."""
    with_functions = (
        set(
            db.session.scalars(
                select(DepartmentFunction.department_id)
                .where(DepartmentFunction.department_id.in_(department_ids))
                .distinct()
            )
        )
        if department_ids
        else set()
    )
    result = []
    for department_id in (i for i in department_ids if i in with_functions):
        matrix = duty_coverage.department_matrix(db.session.get(Department, department_id))
        if not matrix.linked:
            continue  # a department that does not link duties to its functions (yet)
        gaps, overlaps = {f.id for f in matrix.gaps}, {f.id for f, _cols in matrix.overlaps}
        result.append(
            {
                "name": matrix.department.name,
                "code": matrix.department.code,
                "limit": matrix.limit,
                "functions": [
                    {
                        "title": f.title,
                        "text": f.text,
                        "positions": [c.position.title for c in matrix.positions_serving(f.id)],
                        "state": "gap" if f.id in gaps else "overlap" if f.id in overlaps else "",
                    }
                    for f in matrix.functions
                ],
                "gaps": len(gaps),
                "overlaps": len(overlaps),
                "orphans": [{"position": c.position.title, "text": d.text} for c, d in matrix.orphans],
            }
        )
    return result


def _chart_pages(department, blocks) -> list[dict]:
    """The chart on one page when it is small enough to read. Else an overview (the top two
    levels, when that is small enough), then one page per department subtree that is (a
    department with a larger subtree gets a page of its own positions, then its sub-departments
    follow). Each page: its title and DOT source."""
    department_id = department.id if department is not None else None
    chart = charts.build_chart(department_id, None)
    title = department.name if department is not None else contexts.company_name()
    if chart.shown <= CHART_MAX_POSITIONS:
        return [{"title": title, "dot": charts.chart_to_dot(chart)}]
    pages = []
    overview = charts.build_chart(department_id, OVERVIEW_DEPTH)
    if overview.shown <= CHART_MAX_POSITIONS:
        pages.append({"title": _("%(name)s: overview", name=title), "dot": charts.chart_to_dot(overview)})
    by_department = defaultdict(set)
    for node in chart.nodes:
        by_department[node.department_id].add(node.id)
    children = defaultdict(list)
    in_report = {block.id for block in blocks}
    for block in blocks:
        children[block.parent_id if block.parent_id in in_report else None].append(block)
    # Loops, not recursion: a department tree may be deeper than Python's recursion limit.
    order, stack = [], list(reversed(children[None]))
    while stack:  # every department, parents before their sub-departments
        block = stack.pop()
        order.append(block)
        stack.extend(reversed(children[block.id]))
    size: dict[int, int] = {}  # positions drawn in each department's subtree
    for block in reversed(order):
        size[block.id] = len(by_department[block.id]) + sum(size[child.id] for child in children[block.id])

    def positions_below(block) -> set[int]:
        ids, stack = set(), [block]
        while stack:
            current = stack.pop()
            ids |= by_department[current.id]
            stack.extend(children[current.id])
        return ids

    stack = list(reversed(children[None]))
    while stack:  # the same order, a small subtree on one page
        block = stack.pop()
        if not size[block.id]:
            continue
        if size[block.id] <= CHART_MAX_POSITIONS:
            pages.append({"title": block.name, "dot": charts.chart_to_dot(_part_of(chart, positions_below(block)))})
            continue
        if by_department[block.id]:
            pages.append({"title": block.name, "dot": charts.chart_to_dot(_part_of(chart, by_department[block.id]))})
        stack.extend(reversed(children[block.id]))
    return pages


def _part_of(chart: charts.OrgChart, ids: set[int]) -> charts.OrgChart:
    """The positions ``ids`` of ``chart``, their superiors elsewhere drawn as outside boxes."""
    nodes = [node for node in chart.nodes if node.id in ids]
    drawn = {node.id: node for node in chart.nodes}
    known_outside = {other.id: other for other in chart.outside}
    outside, outside_edges, edges = {}, [], []
    for kind, superior, subordinate in chart.edges + chart.outside_edges:
        if subordinate not in ids:
            continue
        if superior in ids:
            edges.append((kind, superior, subordinate))
            continue
        if superior in drawn:
            node = drawn[superior]
            outside[superior] = charts.OutsideNode(node.id, node.title, node.department_name)
        elif superior in known_outside:
            outside[superior] = known_outside[superior]
        else:
            continue
        outside_edges.append((kind, superior, subordinate))
    return charts.OrgChart(
        department=None,
        depth=None,
        nodes=nodes,
        outside=list(outside.values()),
        edges=edges,
        outside_edges=outside_edges,
        total=len(nodes),
        departments={node.department_id: node.department_name for node in nodes},
    )


# --- rendering ----------------------------------------------------------------------------------


_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"[^>]*?\bheight="([\d.]+)pt"')


def chart_image(svg: str, reserve: float = 0.0) -> dict:
    """The chart as an image sized for the page that shows it largest (landscape or portrait),
    never enlarged, leaving ``reserve`` mm of the page's height for what is printed above it."""
    match = _SVG_SIZE.search(svg)
    width, height = (float(match.group(1)) * PT, float(match.group(2)) * PT) if match else (250.0, 140.0)
    best = None
    for orientation, (box_w, box_h) in CHART_BOX.items():
        box_h -= reserve
        scale = min(1.0, box_w / width, box_h / height)
        if best is None or scale > best[0] + 1e-6:
            best = (scale, orientation)
    scale, orientation = best
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return {
        "src": f"data:image/svg+xml;base64,{data}",
        "width": round(width * scale, 2),
        "height": round(height * scale, 2),
        "landscape": orientation == "landscape",
        "scale": round(scale, 3),
    }


def _draw_charts(pages: list[dict]) -> list[dict]:
    """DOT → SVG for every chart page (``dot`` runs in parallel: it is a process of its own). A
    chart that cannot be drawn at all leaves its page with a message, not the manual undone."""

    def draw(page, first):
        try:
            svg = charts.render_chart_svg(page["dot"])
            return {"title": page["title"], **chart_image(svg, PART_TITLE if first else 0.0)}
        except charts.ChartError as error:
            return {"title": page["title"], "error": error.message, "landscape": True}

    firsts = [index == 0 for index in range(len(pages))]
    if len(pages) <= 1:
        return [draw(page, first) for page, first in zip(pages, firsts)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(draw, pages, firsts))


def render(context: dict, lang: str, workers: int = 0, parts_from: int = 24) -> bytes:
    """The manual as PDF bytes: in one pass, or (from ``parts_from`` job descriptions) in parts
    rendered by ``workers`` processes (0: one after the other here) and assembled. Reports its
    progress when it runs as a background task."""
    with force_locale(lang):
        report_progress(0, 1, _("Drawing the org chart"))
        started = time.perf_counter()
        view = {**context, "charts": _draw_charts(context["charts"])}
        log.info("%d org chart pages drawn in %.1f s", len(view["charts"]), time.perf_counter() - started)
        if len(context["jds"]) >= parts_from:
            return parts.render_in_parts(TEMPLATE, view, lang, workers)
        report_progress(1, 2, _("Laying out the pages"))
        pdf = html_to_pdf(render_html(TEMPLATE, {**view, "part": "all"}, lang))
        report_progress(2, 2)
        return pdf
