"""Position-based org charts: the active positions of a department subtree (or of the whole
company) with their holders and filled/authorised counts, laid out by Graphviz ``dot`` as SVG.

The same SVG is inlined in the chart page (with links to the position pages) and can be reused
as-is in PDFs (built without links). Every piece of user text goes through ``_html`` (for
HTML-like labels) or ``_attr`` (for quoted attributes) before it reaches the DOT source, which
is what makes inlining the SVG in a page safe.

Queries: a fixed number whatever the size of the chart (department, positions with their
departments, dotted lines, outside superiors, holders, filled counts); the tree walk, the depth
collapse and the counts below collapsed posts are computed in Python.
"""
from __future__ import annotations

import hashlib
import html
import logging
import re
import shutil
import subprocess
import threading
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import ServiceError
from app.extensions import db
from app.org import services
from app.org.models import Department, Position, dotted_lines

log = logging.getLogger(__name__)

FONT = "Noto Sans CJK SC"
SVG_CLASS = "rolebook-org-chart"
# What browsers without the Noto CJK font fall back to; dot itself measures with FONT.
FONT_FALLBACKS = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
MAX_HOLDER_NAMES = 3
TITLE_WIDTH = 26          # label wrap width, in Latin characters (a CJK character counts two)
TITLE_LINES = 3
DEFAULT_TIMEOUT = 30      # seconds for one ``dot`` run (config ORG_CHART_TIMEOUT)
CACHE_SIZE = 8            # SVGs kept in memory, by DOT source
# Above this many drawn positions, edges are drawn as polylines: orthogonal routing is the
# nicest for org charts but grows much faster than the rest of the layout.
ORTHO_MAX_NODES = 300
ORTHO_TIMEOUT = 5         # seconds; past it the chart is drawn again with polylines
# Subordinates without anyone below them are stacked in rows of this many (per superior and
# department), once there are at least LEAF_STACK_MIN of them: a tree of 2,000 posts is
# otherwise one very long row of leaves.
LEAF_COLUMNS = 2
LEAF_STACK_MIN = 3

COLORS = {
    "brand": "#1f4e79",
    "text": "#212529",
    "muted": "#6c757d",
    "edge": "#5b6b7b",
    "dotted": "#7a5aa6",
    "vacant_fill": "#fff8e6",
    "vacant_border": "#b7791f",
    "vacant_text": "#8a5300",
    "over_fill": "#fdecea",
    "over_border": "#c62828",
    "outside_fill": "#f3f3f3",
    "outside_border": "#b0b0b0",
    "cluster_fill": "#f5f8fb",
    "cluster_border": "#c5d3e0",
    "link": "#0b5cad",
}

Link = Callable[[int], str]
COMPANY_DEPTH = 3   # levels drawn by default for the whole company: enough to read, fast to draw


class ChartError(ServiceError):
    """Graphviz is missing, failed or took too long."""

    status = 503


class ChartTimeout(ChartError):
    pass


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
    level: int = 0                 # 1 for the top of the chart
    holders: list[str] = field(default_factory=list)
    filled: int = 0                # current primary holders
    hidden_below: int = 0          # positions not drawn below this one (depth collapse)

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
    nodes: list[ChartNode]                       # drawn, in tree order
    outside: list[OutsideNode]
    edges: list[tuple[str, int, int]]            # (kind, superior id, subordinate id); kind: solid/dotted
    outside_edges: list[tuple[str, int, int]]    # same, the superior being an OutsideNode
    total: int                                   # active positions in scope (drawn or not)
    departments: dict[int, str] = field(default_factory=dict)   # drawn departments: id → name

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

    query = select(Position.id, Position.code, Position.title, Position.department_id, Position.headcount,
                   Position.reports_to_id, Department.name.label("department_name")) \
        .join(Department, Department.id == Position.department_id) \
        .where(Position.archived_at.is_(None))
    if department is not None:
        query = query.where(services.subtree_condition(department))
    rows = db.session.execute(query.order_by(Department.path, Position.code, Position.id)).all()
    scope = {row.id: ChartNode(row.id, row.code, row.title, row.department_id, row.department_name,
                               row.headcount, row.reports_to_id) for row in rows}

    order, children = _walk(scope)
    drawn_ids = [pid for pid in order if depth is None or scope[pid].level <= depth]
    drawn = set(drawn_ids)
    if depth is not None:
        below = _subtree_sizes(order, children)
        for pid in drawn_ids:
            if scope[pid].level == depth:
                scope[pid].hidden_below = below[pid] - 1

    edges: list[tuple[str, int, int]] = []
    outside_edges: list[tuple[str, int, int]] = []
    outside_ids: list[int] = []
    for pid in drawn_ids:
        superior = scope[pid].reports_to_id
        if superior is None:
            continue
        if superior in drawn:
            edges.append(("solid", superior, pid))
        elif superior not in scope:
            outside_edges.append(("solid", superior, pid))
            outside_ids.append(superior)

    if drawn_ids:
        dotted_rows = db.session.execute(
            select(dotted_lines.c.position_id, dotted_lines.c.superior_id)
            .where(dotted_lines.c.position_id.in_(drawn_ids))
            .order_by(dotted_lines.c.position_id, dotted_lines.c.superior_id)).all()
        for pid, superior in dotted_rows:
            if superior in drawn:
                edges.append(("dotted", superior, pid))
            elif superior not in scope:
                outside_edges.append(("dotted", superior, pid))
                outside_ids.append(superior)
            # a superior in scope but collapsed away: the line is not drawn

    outside: list[OutsideNode] = []
    if outside_ids:
        outside = [OutsideNode(row.id, row.title, row.name) for row in db.session.execute(
            select(Position.id, Position.title, Department.name)
            .join(Department, Department.id == Position.department_id)
            .where(Position.id.in_(set(outside_ids))).order_by(Position.code))]

    if drawn_ids:
        holders = services.current_holders(drawn_ids)
        filled = services.filled_counts(drawn_ids)
        for pid in drawn_ids:
            node = scope[pid]
            node.holders = [employee.name for employee in holders.get(pid, [])]
            node.filled = filled.get(pid, 0)

    nodes = [scope[pid] for pid in drawn_ids]
    return OrgChart(department=department, depth=depth, nodes=nodes, outside=outside, edges=edges,
                    outside_edges=outside_edges, total=len(scope),
                    departments={node.department_id: node.department_name for node in nodes})


def _walk(scope: dict[int, ChartNode]) -> tuple[list[int], dict[int, list[int]]]:
    """Breadth-first order from the top positions (those whose superior is outside the
    scope), setting each node's level; ``children`` follows the walk, so it is a forest even
    if the data held a loop."""
    reports: dict[int, list[int]] = defaultdict(list)
    roots = []
    for pid, node in scope.items():  # rows come in department path, code order
        if node.reports_to_id in scope and node.reports_to_id != pid:
            reports[node.reports_to_id].append(pid)
        else:
            roots.append(pid)
    order: list[int] = []
    children: dict[int, list[int]] = defaultdict(list)
    seen: set[int] = set()

    def visit(start: int) -> None:
        scope[start].level = 1
        seen.add(start)
        queue = [start]
        while queue:
            nxt = []
            for pid in queue:
                order.append(pid)
                for child in reports.get(pid, ()):
                    if child not in seen:
                        seen.add(child)
                        scope[child].level = scope[pid].level + 1
                        children[pid].append(child)
                        nxt.append(child)
            queue = nxt

    for pid in roots:
        visit(pid)
    for pid in scope:  # only positions caught in a reporting loop are left
        if pid not in seen:
            visit(pid)
    return order, children


def _subtree_sizes(order: list[int], children: dict[int, list[int]]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for pid in reversed(order):
        sizes[pid] = 1 + sum(sizes[child] for child in children.get(pid, ()))
    return sizes


# --- DOT --------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(text: str | None) -> str:
    """One line of user text, without the control characters XML forbids."""
    return " ".join(_CONTROL.sub("", text or "").split())


def _html(text: str | None) -> str:
    """User text for a DOT HTML-like label: ``&``, ``<``, ``>`` and ``"`` become entities, so it
    can only ever be text, in the label and in the SVG dot writes. dot reads a backslash as an
    escape (``\\N`` is the node's name), so each is doubled."""
    return html.escape(_plain(text), quote=True).replace("&#x27;", "'").replace("\\", "\\\\")


def _attr(text: str | None) -> str:
    """A double-quoted DOT attribute value (tooltips, URLs). dot writes entities through
    unchanged, so escaping to entities here keeps the SVG attribute literal. A backslash is
    unescaped twice (by the DOT parser, then as in ``\\N``, the node's name): four stand for one."""
    return '"' + html.escape(_plain(text), quote=True).replace("\\", "\\" * 4) + '"'


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int = TITLE_WIDTH, max_lines: int = TITLE_LINES) -> list[str]:
    """Lines of at most ``width`` (CJK characters count two): breaks at spaces, else anywhere
    (which is how Chinese breaks anyway); an ellipsis past ``max_lines``."""
    lines: list[str] = []
    current = ""
    for word in _plain(text).split(" "):
        while _width(word) > width:
            if current:
                lines.append(current)
                current = ""
            cut, used = 0, 0
            while cut < len(word) and used + _width(word[cut]) <= width:
                used += _width(word[cut])
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(len(lines[-1]) - 1, 1)] + "…"
    return lines or [""]


def _row(content: str, href: str | None = None, title: str | None = None) -> str:
    link = f' HREF="{_html(href)}" TITLE="{_html(title)}" TARGET="_top"' if href else ""
    return f"<TR><TD{link}>{content}</TD></TR>"


def _font(text: str, size: int | None = None, color: str | None = None) -> str:
    attrs = (f' POINT-SIZE="{size}"' if size else "") + (f' COLOR="{color}"' if color else "")
    return f"<FONT{attrs}>{text}</FONT>"


def _node_label(node: ChartNode, more_link: str | None) -> str:
    # one row a line (not <BR/>): browsers need the cell padding as leading for CJK text
    rows = [_row(f"<B>{_html(line)}</B>") for line in _wrap(node.title)]
    names = [_html(name) for name in node.holders[:MAX_HOLDER_NAMES]]
    if len(node.holders) > MAX_HOLDER_NAMES:
        names.append(_html(_("+%(num)d more", num=len(node.holders) - MAX_HOLDER_NAMES)))
    rows.extend(_row(_font(name, 10, COLORS["text"])) for name in names)
    if node.vacant:
        vacant = _html(_("Vacant"))
        rows.append(_row(_font(f"<I>{vacant}</I>", 10, COLORS["vacant_text"])))
    elif node.open_posts:
        rows.append(_row(_font(_html(_("%(num)d vacant", num=node.open_posts)), 9, COLORS["vacant_text"])))
    count = f"{node.filled}/{node.headcount}"
    if node.over_staffed:
        over = _html(_("Over-staffed"))
        rows.append(_row(_font(f"<B>{count}</B> · {over}", 9, COLORS["over_border"])))
    else:
        rows.append(_row(_font(count, 9, COLORS["muted"])))
    if node.hidden_below:
        more = _html(_("+%(num)d more below", num=node.hidden_below))
        rows.append(_row(_font(f"<U>{more}</U>" if more_link else more, 9, COLORS["link"]),
                         href=more_link, title=_("Open the chart of this department")))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _node_attrs(node: ChartNode) -> dict[str, str]:
    attrs = {"id": f'"position-{node.id}"'}
    if node.vacant:
        attrs.update(style='"rounded,filled,dashed"', fillcolor=f'"{COLORS["vacant_fill"]}"',
                     color=f'"{COLORS["vacant_border"]}"', penwidth="1.4")
    elif node.over_staffed:
        attrs.update(fillcolor=f'"{COLORS["over_fill"]}"', color=f'"{COLORS["over_border"]}"', penwidth="2")
    return attrs


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attrs.items())


def _stack_leaves(chart: OrgChart) -> tuple[set[int], list[tuple[int, int]]]:
    """Keep wide charts readable: the subordinates of a position that have none drawn below
    them are laid out in rows of LEAF_COLUMNS (per department box) instead of one long row.
    Returns the positions moved to a lower row (their edge no longer sets their rank) and the
    invisible edges that stack each one under the position above it."""
    below: dict[int, list[int]] = defaultdict(list)
    for kind, superior, subordinate in chart.edges:
        if kind == "solid":
            below[superior].append(subordinate)
    department = {node.id: node.department_id for node in chart.nodes}
    drawn_in = defaultdict(int)
    for node in chart.nodes:
        drawn_in[node.department_id] += 1
    stacked: set[int] = set()
    chains: list[tuple[int, int]] = []
    for subordinates in below.values():
        groups: dict[int, list[int]] = defaultdict(list)
        for pid in subordinates:
            if not below.get(pid):
                # one alone in its department's box stacks with the others alone in theirs
                groups[department[pid] if drawn_in[department[pid]] > 1 else 0].append(pid)
        for leaves in groups.values():
            if len(leaves) < LEAF_STACK_MIN:
                continue
            for i in range(LEAF_COLUMNS, len(leaves)):
                stacked.add(leaves[i])
                chains.append((leaves[i - LEAF_COLUMNS], leaves[i]))
    return stacked, chains


def chart_to_dot(chart: OrgChart, link: Link | None = None, department_link: Link | None = None,
                 splines: str | None = None) -> str:
    """DOT source of ``chart``. ``link(position_id)`` is the URL of a position's page and
    ``department_link(department_id)`` that of a department's chart (for clusters and "more
    below"); without them the SVG has no links (e.g. for a PDF). ``splines``: "ortho" (right
    angles) or "polyline"; by default ortho unless the chart is big."""
    many = len(chart.nodes) > ORTHO_MAX_NODES
    splines = splines or ("polyline" if many else "ortho")
    out = [
        "digraph orgchart {",
        f'  graph [rankdir=TB, splines={splines}, nodesep=0.25, ranksep=0.5, newrank=true, '
        f'pad=0.25, bgcolor="white", fontname="{FONT}", fontsize=13, fontcolor="{COLORS["brand"]}", '
        f'labeljust=l, labelloc=t, mclimit={0.3 if many else 1.0}, nslimit={2 if many else 10}];',
        f'  node [shape=box, style="rounded,filled", fillcolor="white", color="{COLORS["brand"]}", penwidth=1.2, '
        f'fontname="{FONT}", fontsize=11, fontcolor="{COLORS["text"]}", margin="0.12,0.06", width=1.6];',
        f'  edge [fontname="{FONT}", color="{COLORS["edge"]}", arrowhead=none, penwidth=1.2];',
    ]
    if not chart.nodes:
        nothing = _html(_("No positions"))
        out.append(f'  empty [shape=plaintext, style="", label=<{nothing}>];')
    clustered = len(chart.departments) > 1
    by_department: dict[int, list[ChartNode]] = defaultdict(list)
    for node in chart.nodes:
        by_department[node.department_id].append(node)
    for department_id, nodes in by_department.items():
        indent = "  "
        if clustered:
            name = chart.departments[department_id]
            lines = "".join(f'<TR><TD ALIGN="LEFT"><B>{_html(line)}</B></TD></TR>' for line in _wrap(name, 36))
            cluster = {"label": f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{lines}</TABLE>>', "tooltip": _attr(name), "style": '"rounded,filled"',
                       "fillcolor": f'"{COLORS["cluster_fill"]}"', "color": f'"{COLORS["cluster_border"]}"',
                       "id": f'"department-{department_id}"'}
            if department_link:
                cluster.update(URL=_attr(department_link(department_id)), target='"_top"')
            out.append(f"  subgraph cluster_{department_id} {{")
            out.extend(f"    {key}={value};" for key, value in cluster.items())
            indent = "    "
        for node in nodes:
            more = department_link(node.department_id) if department_link and node.hidden_below else None
            attrs = {"label": _node_label(node, more), "tooltip": _attr(node.title), **_node_attrs(node)}
            if link:
                attrs.update(URL=_attr(link(node.id)), target='"_top"')
            out.append(f"{indent}p{node.id} [{_attrs(attrs)}];")
        if clustered:
            out.append("  }")
    for other in chart.outside:
        label = (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 f'{"".join(_row(_font(_html(line), 10)) for line in _wrap(other.title))}'
                 f'{_row(_font(_html(other.department_name), 8))}</TABLE>>')
        attrs = {"label": label, "tooltip": _attr(_("%(title)s (outside this chart)", title=_plain(other.title))),
                 "id": f'"outside-{other.id}"', "fillcolor": f'"{COLORS["outside_fill"]}"',
                 "color": f'"{COLORS["outside_border"]}"', "fontcolor": f'"{COLORS["muted"]}"', "width": "1.2"}
        if link:
            attrs.update(URL=_attr(link(other.id)), target='"_top"')
        out.append(f"  x{other.id} [{_attrs(attrs)}];")
    dotted = f'style=dashed, color="{COLORS["dotted"]}", constraint=false'
    stacked, chains = _stack_leaves(chart)
    for kind, superior, subordinate in chart.edges:
        attrs = f'id="{kind}-{superior}-{subordinate}"'
        if kind == "dotted":
            attrs += f", {dotted}"
        elif subordinate in stacked:
            attrs += ", constraint=false"
        out.append(f"  p{superior} -> p{subordinate} [{attrs}];")
    out.extend(f"  p{upper} -> p{lower} [style=invis];" for upper, lower in chains)
    for kind, superior, subordinate in chart.outside_edges:
        style = dotted if kind == "dotted" else f'color="{COLORS["outside_border"]}"'
        out.append(f'  x{superior} -> p{subordinate} [id="{kind}-x{superior}-{subordinate}", {style}];')
    out.append("}")
    return "\n".join(out) + "\n"


def chart_dot(department_id: int | None = None, depth: int | None = None, link: Link | None = None,
              department_link: Link | None = None) -> str:
    return chart_to_dot(build_chart(department_id, depth), link, department_link)


# --- rendering --------------------------------------------------------------------------


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_LINK_TITLE = re.compile(r'(<a\b[^>]*\bxlink:title="([^"]*)"[^>]*>)')
_cache: OrderedDict[str, str] = OrderedDict()
_cache_lock = threading.Lock()
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def render_svg(dot_source: str, timeout: float | None = None) -> str:
    """SVG of ``dot_source`` (``dot -Tsvg``), ready to inline in HTML: no XML prolog, doctype
    or comments. Raises ChartError when dot is missing or fails, ChartTimeout past ``timeout``
    (at most the ORG_CHART_TIMEOUT setting). The last few results are kept: the same data and
    options give the same DOT source."""
    config = current_app.config if has_app_context() else {}
    binary = config.get("GRAPHVIZ_DOT") or shutil.which("dot") or "dot"
    limit = config.get("ORG_CHART_TIMEOUT", DEFAULT_TIMEOUT)
    timeout = min(timeout, limit) if timeout else limit
    key = hashlib.sha256(f"{binary}\0{dot_source}".encode("utf-8")).hexdigest()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    svg = _run_dot(dot_source, binary, timeout)
    with _cache_lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _run_dot(dot_source: str, binary: str, timeout: float) -> str:
    try:
        result = subprocess.run([binary, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True,
                                timeout=timeout, check=False)
    except OSError as error:  # not installed (or not executable)
        log.error("Graphviz not found: %s", error)
        raise ChartError(_("Graphviz (the dot program) is not installed, so org charts cannot be drawn.")) from error
    except subprocess.TimeoutExpired as error:
        log.warning("dot took longer than %ss", timeout)
        raise ChartTimeout(_("The chart took too long to draw. Choose fewer levels or one department.")) from error
    if result.returncode != 0 or b"<svg" not in result.stdout:
        log.error("dot failed (%s): %s", result.returncode, result.stderr.decode("utf-8", "replace")[:2000])
        raise ChartError(_("The chart could not be drawn."))
    if result.stderr:
        log.debug("dot: %s", result.stderr.decode("utf-8", "replace")[:2000])
    svg = result.stdout.decode("utf-8")
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    # dot titles every element with its DOT name ("p12", "orgchart"), which browsers show as
    # tooltips: drop those, and give each link the tooltip we set (already XML-escaped).
    svg = _LINK_TITLE.sub(r"\1<title>\2</title>", _TITLE.sub("", svg))
    # One style rule gives browsers without the Noto font a CJK fallback (rather than repeating
    # the list on every text element); it is scoped by a class, as an inline SVG's styles apply
    # to the whole page.
    return svg.replace("<svg ", f'<svg class="{SVG_CLASS}" ', 1).replace(
        ">", f">\n<style>.{SVG_CLASS} text {{ font-family: {FONT_FALLBACKS}; }}</style>", 1)


def render_chart_svg(source: str) -> str:
    """The SVG of a chart's DOT source. Right-angled edges cost much more on some graphs, and
    dot even aborts on a few: when they fail or take too long, the chart is drawn again with
    polylines."""
    if "splines=ortho" not in source:
        return render_svg(source)
    try:
        return render_svg(source, timeout=ORTHO_TIMEOUT)
    except ChartError as error:
        log.warning("dot could not draw right-angled edges (%s); drawing polylines", error.message)
        return render_svg(source.replace("splines=ortho", "splines=polyline", 1))


def org_chart(department_id: int | None = None, depth: int | None = None, link: Link | None = None,
              department_link: Link | None = None) -> RenderedChart:
    """The chart (for counts and the empty state) and its SVG."""
    chart = build_chart(department_id, depth)
    return RenderedChart(chart, render_chart_svg(chart_to_dot(chart, link, department_link)))


def org_chart_svg(department_id: int | None = None, depth: int | None = None, link: Link | None = None,
                  department_link: Link | None = None) -> str:
    return org_chart(department_id, depth, link, department_link).svg


def standalone_svg(svg: str) -> str:
    """An inline SVG as a file of its own."""
    return '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + svg
