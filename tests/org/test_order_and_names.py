"""Smaller things that make lists read right: positions head first (place in the reporting line,
then code) on the department page, the lists and the manual; departments in the org chart's
order everywhere; things named 名称 (not 姓名); base job descriptions' sources as document
names; the compare button on one line; CSV downloads that name their charset once."""

from __future__ import annotations

import re

from app.documents.manual import build_context
from app.extensions import db
from app.jobs import library
from app.org import services
from app.org.headcount import headcount_report
from tests import factories


def _org():
    """Departments created Z before A (the org chart keeps that order); in Z the head's code sorts
    last and the staff's first."""
    z = factories.create_department("Z", "Z 部")
    a = factories.create_department("A", "A 部")
    head = factories.create_position("Z-HEAD", z, "Z 部经理")
    lead = factories.create_position("Z-LEAD", z, "Z 主管", reports_to=head)
    staff = factories.create_position("A-STAFF", z, "Z 专员", reports_to=lead)
    other = factories.create_position("A-HEAD", a, "A 部经理")
    return z, a, (head, lead, staff, other)


def test_positions_are_listed_head_first_everywhere(app, ctx):
    z, a, (head, lead, staff, other) = _org()
    hr = factories.logged_in_client(app, factories.create_user("hr"))
    page = hr.get(f"/org/departments/{z.id}").get_data(as_text=True)
    table = page[page.index("New position") :]
    links = [table.index(f'href="/org/positions/{p.id}"') for p in (head, lead, staff)]
    assert links == sorted(links)
    listed = hr.get(f"/org/positions?department={z.id}").get_data(as_text=True)
    assert listed.index("Z-HEAD") < listed.index("Z-LEAD") < listed.index("A-STAFF")
    everyone = [p.code for p in db.session.scalars(services.list_positions())]
    assert everyone == ["A-HEAD", "Z-HEAD", "Z-LEAD", "A-STAFF"]  # level 0, 0, 1, 2; then code
    by_code = hr.get(f"/org/positions?department={z.id}&sort=code").get_data(as_text=True)
    assert by_code.index("A-STAFF") < by_code.index("Z-HEAD")  # sorting by code is still offered
    jds = hr.get(f"/jobs/?department={z.id}").get_data(as_text=True)
    assert jds.index("Z-HEAD") < jds.index("Z-LEAD") < jds.index("A-STAFF")
    manual = build_context(z, "en")
    assert [p["code"] for p in manual["departments"][0]["positions"]] == ["Z-HEAD", "Z-LEAD", "A-STAFF"]


def test_departments_follow_the_org_chart_order(app, ctx):
    z, a, _positions = _org()
    assert [d.code for d in headcount_report().departments] == ["Z", "A"]
    assert [label for _id, label in services.department_choices()] == ["Z 部 (Z)", "A 部 (A)"]
    assert [d.code for d in db.session.scalars(services.list_departments())] == ["Z", "A"]


def test_things_are_named_not_people(app, ctx):
    library.create_template("电商运营专员", factories.jd_content("电商运营专员"), source="电子商务岗位说明书")
    factories.create_kpi("SALES", "销售额")
    db.session.commit()
    hr = factories.logged_in_client(app, factories.create_user("hr"), "zh_CN")
    page = hr.get("/jobs/library").get_data(as_text=True)
    assert "<th>名称</th>" in page and "<th>姓名</th>" not in page and "电子商务岗位说明书" in page
    assert "<th>名称</th>" in hr.get("/jobs/kpis").get_data(as_text=True)
    assert "姓名" in hr.get("/org/employees/new").get_data(as_text=True)  # a person keeps 姓名


def test_the_compare_button_never_stacks_its_text(app, ctx):
    dep = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-OPS", dep, "运营专员")
    factories.publish_jd(position, factories.jd_content("运营专员"))
    second = factories.publish_jd(position, factories.jd_content("运营专员", duties=("新职责。",)))
    page = (
        factories.logged_in_client(app, factories.create_user("hr"), "zh_CN")
        .get(f"/jobs/versions/{second.id}/compare")
        .get_data(as_text=True)
    )
    button = re.search(r'<button[^>]*data-testid="compare-button"[^>]*>', page).group(0)
    assert "text-nowrap" in button and "flex-shrink-0" in button


def test_csv_downloads_name_their_charset_once(app, ctx):
    hr = factories.logged_in_client(app, factories.create_user("hr"))
    response = hr.get("/transfer/export/departments.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
