"""The DOT source of an org chart: HTML-like labels (title, holders, filled/authorised counts,
vacancies, over-staffing), departments as clusters, dotted lines dashed, leaves stacked in rows.
Every piece of user text goes through ``_html`` (HTML-like labels) or ``_attr`` (quoted
attributes) before it reaches the DOT source, which is what makes inlining the SVG safe."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

if TYPE_CHECKING:
    from app.org.chart import ChartNode, OrgChart

Link = Callable[[int], str]

FONT = "Noto Sans CJK SC"
MAX_HOLDER_NAMES = 3
TITLE_WIDTH = 26  # label wrap width, in Latin characters (a CJK character counts two)
TITLE_LINES = 3
# Edges are polylines unless ORG_CHART_EDGES is "ortho": right-angled edges are the nicest for org
# charts, but Graphviz's orthogonal router aborts on some small, ordinary charts (``maze.c:
# chkSgraph: Assertion … failed``, Graphviz 2.43 of Debian 12: 11 of 703 charts of generated
# organisations, bench/bench_graphviz.py; polylines: none). With "ortho", a chart it cannot draw
# is drawn again with polylines (chart_svg.render_chart_svg), and above this many drawn positions
# polylines are used anyway: orthogonal routing grows much faster than the rest of the layout.
ORTHO_MAX_NODES = 300
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


class _Words:
    """The words of a chart's boxes, translated once per chart rather than once per box (a
    translation, like a URL, costs microseconds: a chart of hundreds of boxes added them up).
    Those with a number are templates, filled in with ``%``."""

    def __init__(self) -> None:
        self.more_holders = _("+%(num)d more")
        self.vacant = _html(_("Vacant"))
        self.open_posts = _("%(num)d vacant")
        self.over_staffed = _html(_("Over-staffed"))
        self.more_below = _("+%(num)d more below")
        self.open_department = _("Open the chart of this department")


def _node_label(node: ChartNode, more_link: str | None, words: _Words) -> str:
    # one row a line (not <BR/>): browsers need the cell padding as leading for CJK text
    rows = [_row(f"<B>{_html(line)}</B>") for line in _wrap(node.title)]
    names = [_html(name) for name in node.holders[:MAX_HOLDER_NAMES]]
    if len(node.holders) > MAX_HOLDER_NAMES:
        names.append(_html(words.more_holders % {"num": len(node.holders) - MAX_HOLDER_NAMES}))
    rows.extend(_row(_font(name, 10, COLORS["text"])) for name in names)
    if node.vacant:
        rows.append(_row(_font(f"<I>{words.vacant}</I>", 10, COLORS["vacant_text"])))
    elif node.open_posts:
        rows.append(_row(_font(_html(words.open_posts % {"num": node.open_posts}), 9, COLORS["vacant_text"])))
    count = f"{node.filled}/{node.headcount}"
    if node.over_staffed:
        rows.append(_row(_font(f"<B>{count}</B> · {words.over_staffed}", 9, COLORS["over_border"])))
    else:
        rows.append(_row(_font(count, 9, COLORS["muted"])))
    if node.hidden_below:
        more = _html(words.more_below % {"num": node.hidden_below})
        rows.append(
            _row(
                _font(f"<U>{more}</U>" if more_link else more, 9, COLORS["link"]),
                href=more_link,
                title=words.open_department,
            )
        )
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _node_attrs(node: ChartNode) -> dict[str, str]:
    attrs = {"id": f'"position-{node.id}"'}
    if node.vacant:
        attrs.update(
            style='"rounded,filled,dashed"',
            fillcolor=f'"{COLORS["vacant_fill"]}"',
            color=f'"{COLORS["vacant_border"]}"',
            penwidth="1.4",
        )
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


def chart_to_dot(
    chart: OrgChart, link: Link | None = None, department_link: Link | None = None, splines: str | None = None
) -> str:
    """DOT source of ``chart``. ``link(position_id)`` is the URL of a position's page and
    ``department_link(department_id)`` that of a department's chart (for clusters and "more
    below"); without them the SVG has no links (e.g. for a PDF). ``splines``: "ortho" (right
    angles) or "polyline"; by default the ORG_CHART_EDGES setting, polylines for big charts."""
    many = len(chart.nodes) > ORTHO_MAX_NODES
    words = _Words()
    if department_link:
        department_link = cache(department_link)  # a department's URL once, not once per box in it
    splines = splines or ("polyline" if many else current_app.config.get("ORG_CHART_EDGES", "polyline"))
    out = [
        "digraph orgchart {",
        f"  graph [rankdir=TB, splines={splines}, nodesep=0.25, ranksep=0.5, newrank=true, "
        f'pad=0.25, bgcolor="white", fontname="{FONT}", fontsize=13, fontcolor="{COLORS["brand"]}", '
        f"labeljust=l, labelloc=t, mclimit={0.3 if many else 1.0}, nslimit={2 if many else 10}];",
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
            cluster = {
                "label": f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{lines}</TABLE>>',
                "tooltip": _attr(name),
                "style": '"rounded,filled"',
                "fillcolor": f'"{COLORS["cluster_fill"]}"',
                "color": f'"{COLORS["cluster_border"]}"',
                "id": f'"department-{department_id}"',
            }
            if department_link:
                cluster.update(URL=_attr(department_link(department_id)), target='"_top"')
            out.append(f"  subgraph cluster_{department_id} {{")
            out.extend(f"    {key}={value};" for key, value in cluster.items())
            indent = "    "
        for node in nodes:
            more = department_link(node.department_id) if department_link and node.hidden_below else None
            attrs = {"label": _node_label(node, more, words), "tooltip": _attr(node.title), **_node_attrs(node)}
            if link:
                attrs.update(URL=_attr(link(node.id)), target='"_top"')
            out.append(f"{indent}p{node.id} [{_attrs(attrs)}];")
        if clustered:
            out.append("  }")
    for other in chart.outside:
        label = (
            f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f"{''.join(_row(_font(_html(line), 10)) for line in _wrap(other.title))}"
            f"{_row(_font(_html(other.department_name), 8))}</TABLE>>"
        )
        attrs = {
            "label": label,
            "tooltip": _attr(_("%(title)s (outside this chart)", title=_plain(other.title))),
            "id": f'"outside-{other.id}"',
            "fillcolor": f'"{COLORS["outside_fill"]}"',
            "color": f'"{COLORS["outside_border"]}"',
            "fontcolor": f'"{COLORS["muted"]}"',
            "width": "1.2",
        }
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
