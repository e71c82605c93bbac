"""Org charts: real rendering with Graphviz ``dot`` (no mocks), escaping, depth collapse, the
page for every role, a fixed number of queries, and bad query arguments."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from sqlalchemy import update

from app.extensions import db
from app.org import chart as charts
from app.org import chart_svg, services
from app.org.models import Position

SVG = "{http://www.w3.org/2000/svg}"
_numbers = itertools.count(1)


def _department(code, name, parent=None):
    return services.create_department(
        services.DepartmentData(code=code, name=name, parent_id=parent.id if parent else None)
    )


def _position(code, title, department, boss=None, headcount=1, dotted=()):
    return services.create_position(
        services.PositionData(
            code=code,
            title=title,
            department_id=department.id,
            reports_to_id=boss.id if boss else None,
            headcount=headcount,
            dotted_superior_ids=[p.id for p in dotted],
        )
    )


def _holder(name, position):
    employee = services.create_employee(services.EmployeeData(employee_no=f"C{next(_numbers):05d}", name=name))
    services.assign(employee, position.id, date(2020, 1, 1))
    return employee


def _org():
    """总经理 → 销售总监 (→ 销售经理 → 销售代表 ×5) and 财务总监 (→ 出纳, vacant); 运维工程师
    in IT reports to 财务总监 with a dotted line to 销售总监."""
    office = _department("GM", "总经理办公室")
    sales = _department("SAL", "销售部", office)
    finance = _department("FIN", "财务部", office)
    it = _department("IT", "信息技术部", office)
    ceo = _position("P01", "总经理", office)
    director = _position("P10", "销售总监", sales, ceo)
    manager = _position("P11", "销售经理", sales, director)
    reps = _position("P12", "销售代表", sales, manager, headcount=4)
    cfo = _position("P20", "财务总监", finance, ceo)
    cashier = _position("P21", "出纳", finance, cfo)
    ops = _position("P30", "运维工程师", it, cfo, dotted=[director])
    _holder("王建国", ceo)
    _holder("张伟", director)
    _holder("刘洋", manager)
    for name in ("陈静", "杨帆", "赵磊", "黄敏", "周杰"):  # five on four posts: over-staffed
        _holder(name, reps)
    _holder("孙丽", cfo)
    _holder("林峰", ops)
    db.session.commit()
    return {
        "office": office,
        "sales": sales,
        "finance": finance,
        "it": it,
        "ceo": ceo,
        "director": director,
        "manager": manager,
        "reps": reps,
        "cfo": cfo,
        "cashier": cashier,
        "ops": ops,
    }


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def _node_text(root: ET.Element, element_id: str) -> str:
    for group in root.iter(f"{SVG}g"):
        if group.get("id") == element_id:
            return " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
    raise AssertionError(f"no SVG element {element_id}")


def _edge(root: ET.Element, superior: int | str, subordinate: int, kind: str = "solid") -> ET.Element:
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "edge" and group.get("id") == f"{kind}-{superior}-{subordinate}":
            return group.find(f"{SVG}path")
    raise AssertionError(f"no {kind} edge {superior}->{subordinate}")


def test_company_chart_shows_posts_holders_counts_and_lines(ctx):
    org = _org()
    svg = charts.org_chart_svg(link=lambda pid: f"/org/positions/{pid}")
    root = _tree(svg)
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    for title in ("总经理", "销售总监", "销售经理", "销售代表", "财务总监", "出纳", "运维工程师"):
        assert title in svg
    for name in ("王建国", "张伟", "刘洋", "周杰", "杨帆", "赵磊", "孙丽", "林峰"):  # holders by name
        assert name in svg
    reps = _node_text(root, f"position-{org['reps'].id}")
    assert "+2 more" in reps and "陈静" not in reps  # three names, then +N
    assert "5/4" in reps and "Over-staffed" in reps
    assert "Vacant" in _node_text(root, f"position-{org['cashier'].id}")
    assert "0/1" in _node_text(root, f"position-{org['cashier'].id}")
    assert "1/1" in _node_text(root, f"position-{org['ceo'].id}")
    # reporting lines solid, the dotted line dashed
    assert _edge(root, org["ceo"].id, org["director"].id).get("stroke-dasharray") is None
    assert _edge(root, org["cfo"].id, org["ops"].id).get("stroke-dasharray") is None
    assert _edge(root, org["director"].id, org["ops"].id, "dotted").get("stroke-dasharray")
    # several departments: one box each, labelled
    clusters = {
        g.get("id"): " ".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "cluster"
    }
    assert clusters[f"department-{org['sales'].id}"].startswith("销售部")
    assert len(clusters) == 4
    # Chinese rendered as text with the CJK font; nodes link to the position pages
    assert 'font-family="Noto Sans CJK SC"' in svg
    assert f'xlink:href="/org/positions/{org["ceo"].id}"' in svg
    # hovering shows the position's title, never dot's internal names
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "销售代表" in titles and not any(t.startswith("p") or t == "orgchart" for t in titles)


def test_chart_without_links_has_no_links(ctx):
    _org()
    svg = charts.org_chart_svg()
    assert "xlink:href" not in svg and "总经理" in svg


def test_user_text_is_escaped(ctx):
    office = _department("X", 'R&D <i>"Lab"</i>')
    boss = _position("P1", "<script>alert(1)</script>", office)
    _position("P2", "Q&A \\N 'quoted' &lt;b&gt;", office, boss)
    _holder("<img src=x onerror=alert(2)>", boss)
    _position("P3", "Other post", _department("Y", "Other", office), boss)
    db.session.commit()
    svg = charts.org_chart_svg(link=lambda pid: f"/org/positions/{pid}")
    assert "<script" not in svg and "<img" not in svg and "<i>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    root = _tree(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts
    assert "<img src=x onerror=alert(2)>" in texts
    assert "Q&A \\N 'quoted' &lt;b&gt;" in texts  # literally what was typed
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    assert "<script>alert(1)</script>" in titles
    assert "Q&A \\N 'quoted' &lt;b&gt;" in titles


def test_chart_page_never_turns_user_text_into_markup(login):
    office = _department("X", "Lab")
    _position("P1", "<script>alert(1)</script>", office)
    db.session.commit()
    page = login("employee").get("/org/chart").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_depth_collapses_deep_posts_into_more_below(ctx):
    org = _org()
    chart = charts.build_chart(None, 2)
    assert {node.title for node in chart.nodes} == {"总经理", "销售总监", "财务总监"}
    assert chart.total == 7 and chart.shown == 3 and chart.hidden == 4
    svg = charts.org_chart_svg(
        depth=2, link=lambda pid: f"/org/positions/{pid}", department_link=lambda dep: f"/org/chart?department={dep}"
    )
    for hidden in ("销售经理", "销售代表", "出纳", "运维工程师", "陈静"):
        assert hidden not in svg
    root = _tree(svg)
    assert "+2 more below" in _node_text(root, f"position-{org['director'].id}")
    assert "+2 more below" in _node_text(root, f"position-{org['cfo'].id}")
    assert f'xlink:href="/org/chart?department={org["sales"].id}"' in svg
    # depth 1: only the top; no depth: everything
    assert [node.title for node in charts.build_chart(None, 1).nodes] == ["总经理"]
    assert charts.build_chart(None, None).shown == 7


def _top_levels(chart, depth):
    """The boxes of the whole chart down to ``depth``, in its order, with their levels."""
    return [(node.code, node.level) for node in chart.nodes if node.level <= depth]


def test_a_chart_at_a_depth_draws_in_display_order_whatever_the_order_of_creation(ctx):
    """At a depth, the reporting lines are read in no order and the boxes drawn are put in
    display order (department, then code) after: the same boxes, levels and order as the whole
    chart (read in display order) down to that depth, and the same counts below."""
    office = _department("GM", "总经理办公室")
    first, second = _department("A", "甲部", office), _department("B", "乙部", office)
    ceo = _position("P01", "总经理", office)
    late = _position("P20", "乙部经理", second, ceo)  # created before those shown before it
    _position("P21", "乙部专员", second, late)
    _position("P11", "甲部副经理", first, ceo)
    early = _position("P10", "甲部经理", first, ceo)
    _position("P12", "甲部专员", first, early)
    db.session.commit()
    whole = charts.build_chart(None, None)
    assert _top_levels(whole, 9) == [("P01", 1), ("P10", 2), ("P11", 2), ("P20", 2), ("P12", 3), ("P21", 3)]
    for depth in (1, 2, 3):
        chart = charts.build_chart(None, depth)
        assert [(node.code, node.level) for node in chart.nodes] == _top_levels(whole, depth)
    collapsed = {node.code: node.hidden_below for node in charts.build_chart(None, 2).nodes}
    assert collapsed == {"P01": 0, "P10": 1, "P11": 0, "P20": 1}
    # a department's chart alike
    assert [node.code for node in charts.build_chart(first.id, 1).nodes] == ["P10", "P11"]


def test_a_reporting_loop_at_a_depth_starts_where_the_whole_chart_starts(ctx):
    """A loop (refused by the services, written behind their back) has no top position: the walk
    starts from its first position in display order, at a depth as in the whole chart."""
    org = _org()
    db.session.execute(update(Position).where(Position.id == org["ceo"].id).values(reports_to_id=org["reps"].id))
    db.session.commit()
    whole = charts.build_chart(None, None)
    assert whole.nodes[0].code == "P01" and whole.total == 7
    for depth in (1, 2, 3, 4):
        chart = charts.build_chart(None, depth)
        assert [(node.code, node.level) for node in chart.nodes] == _top_levels(whole, depth)
        assert chart.shown + sum(node.hidden_below for node in chart.nodes) == 7
    # a loop whose first position in display order was created after the other
    first, second = _department("QA", "甲部", org["office"]), _department("QB", "乙部", org["office"])
    late = _position("Q20", "乙部经理", second)
    early = _position("Q10", "甲部经理", first, late)
    db.session.execute(update(Position).where(Position.id == late.id).values(reports_to_id=early.id))
    db.session.commit()
    whole = charts.build_chart(None, None)
    assert [(node.code, node.level) for node in whole.nodes if node.code.startswith("Q")] == [("Q10", 1), ("Q20", 2)]
    for depth in (1, 2):
        chart = charts.build_chart(None, depth)
        assert [(node.code, node.level) for node in chart.nodes] == _top_levels(whole, depth)


def test_department_chart_shows_outside_superiors_greyed(ctx):
    org = _org()
    chart = charts.build_chart(org["it"].id)
    assert [node.title for node in chart.nodes] == ["运维工程师"]
    assert {node.title for node in chart.outside} == {"财务总监", "销售总监"}
    svg = charts.org_chart_svg(org["it"].id)
    root = _tree(svg)
    assert "财务部" in _node_text(root, f"outside-{org['cfo'].id}")
    assert _edge(root, f"x{org['director'].id}", org["ops"].id, "dotted").get("stroke-dasharray")
    assert _edge(root, f"x{org['cfo'].id}", org["ops"].id).get("stroke-dasharray") is None
    assert not any(g.get("class") == "cluster" for g in root.iter(f"{SVG}g"))  # one department: no box
    # a subtree chart takes the sub-departments in and leaves the rest out
    sales = charts.build_chart(org["office"].id, None)
    assert sales.total == 7 and not sales.outside


def test_archived_positions_are_left_out_and_a_reporting_loop_does_not_hang(ctx):
    org = _org()
    services.archive_position(org["cashier"])
    # a loop the services would refuse, written behind their back
    db.session.execute(update(Position).where(Position.id == org["ceo"].id).values(reports_to_id=org["reps"].id))
    db.session.commit()
    chart = charts.build_chart(None, None)
    assert chart.total == 6 and "出纳" not in {node.title for node in chart.nodes}
    assert "总经理" in charts.render_svg(charts.chart_to_dot(chart))


def test_chinese_chart_renders_with_the_cjk_font(ctx, tmp_path):
    """The font dot measures with is the one the SVG names: Noto Sans CJK SC is installed."""
    import subprocess

    _org()
    source = charts.chart_dot()
    assert 'fontname="Noto Sans CJK SC"' in source
    result = subprocess.run(
        ["dot", "-v", "-Tsvg", "-o", str(tmp_path / "c.svg")],
        input=source.encode(),
        capture_output=True,
        timeout=30,
        check=True,
    )
    assert "Noto Sans CJK" in result.stderr.decode("utf-8", "replace")  # resolved, not substituted


@pytest.mark.parametrize("role", ("admin", "hr", "manager", "employee"))
def test_every_role_sees_the_chart_page(login, role):
    _org()
    client = login(role)
    response = client.get("/org/chart?depth=all")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "data-org-chart" in page and "销售代表" in page and "svg-pan-zoom.min.js" in page
    assert "7 of 7 positions shown" in page
    response = client.get("/org/chart.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<?xml")
    assert "attachment" in response.headers["Content-Disposition"]


def test_anonymous_users_are_sent_to_login(client):
    assert client.get("/org/chart").status_code == 302
    assert client.get("/org/chart.svg").status_code == 302


def test_chart_page_has_a_fixed_number_of_queries(login, count_queries):
    employee = login("employee")
    office = _department("TOP", "公司")
    boss = _position("B0", "总经理", office)
    for number in range(1, 5):
        _holder(f"员工{number}", _position(f"A{number}", f"岗位{number}", office, boss))
    db.session.commit()
    with count_queries() as few:
        assert employee.get("/org/chart").status_code == 200
    with count_queries() as few_all:
        assert employee.get("/org/chart?depth=all").status_code == 200
    for number in range(5, 40):
        department = _department(f"D{number}", f"部门{number}", office)
        post = _position(f"A{number}", f"岗位{number}", department, boss, dotted=[boss] if number % 3 else [])
        if number % 2:
            _holder(f"员工{number}", post)
    db.session.commit()
    with count_queries() as many:
        assert employee.get("/org/chart").status_code == 200
    with count_queries() as many_all:
        page = employee.get("/org/chart?depth=all").get_data(as_text=True)
    assert "40 of 40 positions shown" in page
    assert len(few) == len(many)
    assert len(few_all) == len(many_all)


def test_empty_company_shows_a_helpful_empty_state(login):
    page = login("hr").get("/org/chart").get_data(as_text=True)
    assert "No positions yet." in page and "/org/positions/new" in page and "data-org-chart" not in page
    department = _department("EMPTY", "空部门")
    db.session.commit()
    page = login("employee").get(f"/org/chart?department={department.id}").get_data(as_text=True)
    assert "No positions in this department yet." in page and "/org/positions/new" not in page
    assert login("employee").get("/org/chart.svg").status_code == 200


@pytest.mark.parametrize(
    "query, status",
    [
        ("?depth=abc", 200),
        ("?depth=-1", 200),
        ("?depth=0", 200),
        ("?depth=999999999999", 200),
        ("?depth=all", 200),
        ("?depth=", 200),
        ("?department=abc", 200),
        ("?department=", 200),
        ("?department=-3", 404),
        ("?department=999999", 404),
        ("?department=99999999999999999999", 404),
        ("?department=1.5&depth=2.5", 200),
    ],
)
def test_bad_query_arguments_never_fail(login, query, status):
    _org()
    client = login("employee")
    assert client.get(f"/org/chart{query}").status_code == status
    assert client.get(f"/org/chart.svg{query}").status_code == status


def test_department_chart_from_the_page(login):
    org = _org()
    page = login("employee").get(f"/org/chart?department={org['sales'].id}").get_data(as_text=True)
    assert "销售代表" in page and f'id="outside&#45;{org["ceo"].id}"' in page  # the outside superior, greyed
    assert "3 of 3 positions shown" in page
    assert f'<option value="{org["sales"].id}" selected' in page


def test_missing_graphviz_is_a_clear_message_not_a_crash(app, login):
    _org()
    client = login("employee")
    app.config["GRAPHVIZ_DOT"] = "/nonexistent/dot"
    try:
        response = client.get("/org/chart?depth=2")
        assert response.status_code == 200
        assert "Graphviz (the dot program) is not installed" in response.get_data(as_text=True)
        assert client.get("/org/chart.svg?depth=2").status_code == 503
    finally:
        app.config.pop("GRAPHVIZ_DOT")


def test_a_dot_run_over_the_time_limit_is_reported(app, login):
    _org()
    client = login("employee")
    charts.clear_cache()
    app.config["ORG_CHART_TIMEOUT"] = 0.000001
    try:
        page = client.get("/org/chart?depth=all").get_data(as_text=True)
        assert "The chart took too long to draw." in page and "data-org-chart" not in page
    finally:
        app.config.pop("ORG_CHART_TIMEOUT")
    assert "data-org-chart" in client.get("/org/chart?depth=all").get_data(as_text=True)


def test_right_angled_edges_fall_back_to_polylines_when_slow(ctx, monkeypatch, caplog):
    from flask import current_app

    monkeypatch.setitem(current_app.config, "ORG_CHART_EDGES", "ortho")
    _org()
    charts.clear_cache()
    monkeypatch.setattr(chart_svg, "ORTHO_TIMEOUT", 0.000001)  # as if ortho routing were stuck
    result = charts.org_chart()
    assert "销售代表" in result.svg and result.chart.shown == 7
    assert "drawing polylines" in caplog.text


def test_every_chart_of_a_generated_20_department_company_is_drawn_without_a_failed_dot_run(ctx):
    """The company of bench/generate.py with 20 departments and 200 positions: the org chart page's
    charts and every chart page of its manual. With right-angled edges, Graphviz 2.43 aborted on
    one of them (``maze.c: chkSgraph: Assertion … failed``) before the fallback drew it."""
    from app.documents import manual
    from app.org.headcount import headcount_report
    from bench.generate import generate

    generate(departments=20, positions=200, employees=600)
    failed = chart_svg.dot_failures()
    sources = [charts.chart_to_dot(charts.build_chart(None, depth)) for depth in (2, 3, None)]
    sources += [page["dot"] for page in manual._chart_pages(None, headcount_report(None).departments)]
    assert len(sources) > 15
    for source in sources:
        charts.clear_cache()
        assert chart_svg.render_chart_svg(source).startswith("<svg")
        assert chart_svg.last_settings() == "polyline"
    assert chart_svg.dot_failures() == failed


def test_the_chart_page_is_kept_until_the_data_changes(app, login, count_queries):
    """With ORG_VIEW_CACHE on (as outside the tests), the chart and the department choices are
    built once and kept: a second view runs fewer queries. Any committed change (it writes an
    audit row) shows at once; so does a change of language."""
    from app.org.services import views_cache

    org = _org()
    client = login("employee")
    app.config["ORG_VIEW_CACHE"] = True
    views_cache.clear()
    try:
        with count_queries() as first:
            assert "销售代表" in client.get("/org/chart?depth=all").get_data(as_text=True)
        with count_queries() as again:
            page = client.get("/org/chart?depth=all").get_data(as_text=True)
        assert "销售代表" in page and len(again) < len(first)
        services.update_position(
            org["reps"],
            services.PositionData(
                code="P12",
                title="高级销售代表",
                department_id=org["sales"].id,
                reports_to_id=org["manager"].id,
                headcount=4,
            ),
            org["reps"].version,
        )
        db.session.commit()
        assert "高级销售代表" in client.get("/org/chart?depth=all").get_data(as_text=True)
        added = _department("NEW", "新部门", org["office"])
        db.session.commit()
        assert f'<option value="{added.id}"' in client.get("/org/chart").get_data(as_text=True)
        department = client.get(f"/org/chart?department={org['sales'].id}").get_data(as_text=True)
        assert f'<option value="{org["sales"].id}" selected' in department and "销售部" in department
    finally:
        app.config["ORG_VIEW_CACHE"] = False
        views_cache.clear()
