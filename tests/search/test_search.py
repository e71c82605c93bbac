"""The search box and GET /api/v1/search: the index follows the services, matches Chinese and
English, marks the matches (escaped), groups by kind, shows only what the user may see, and
answers odd input normally."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.org import services as org
from app.search import indexing
from app.search.models import SearchEntry
from tests import factories


@pytest.fixture
def shop(ctx):
    """电商部 with a manager and an agent (each held), a published job description for the agent,
    a KPI; and 财务部 with an accountant, outside the manager's line."""
    ec = factories.create_department("EC", "电商部")
    fin = factories.create_department("FIN", "财务部")
    manager = factories.create_position("EC-MGR", ec, "电商部经理")
    agent = factories.create_position("EC-CS", ec, "在线客服", reports_to=manager)
    accountant = factories.create_position("FIN-ACC", fin, "会计")
    kpi = factories.create_kpi("CSAT", "Customer satisfaction 满意度", unit="%")
    factories.publish_jd(
        agent,
        factories.jd_content("在线客服", duties=("及时回复客户咨询，跟进售后问题", "Handle refund requests politely")),
    )
    factories.publish_jd(accountant, factories.jd_content("会计", duties=("编制月度财务报表",)))
    manager_user = factories.create_user("manager")
    employee_user = factories.create_user("employee")
    boss = factories.create_employee("E001", "王经理", manager, user=manager_user, email="wang@example.test")
    li = factories.create_employee("E002", "李小红", agent, user=employee_user, email="li.hong@example.test")
    zhao = factories.create_employee("E003", "赵会计", accountant, email="zhao@example.test")
    return {
        "ec": ec,
        "manager": manager,
        "agent": agent,
        "accountant": accountant,
        "kpi": kpi,
        "boss": boss,
        "li": li,
        "zhao": zhao,
        "manager_user": manager_user,
        "employee_user": employee_user,
    }


def _kinds(client, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return {group["kind"]: [item["title"] for item in group["items"]] for group in response.get_json()["groups"]}


def test_finds_each_kind_in_chinese_and_english(shop, login):
    hr = login("hr")
    assert _kinds(hr, "电商部") == {"department": ["电商部"], "position": ["EC-MGR 电商部经理"]}
    assert _kinds(hr, "跟进售后") == {"job_description": ["EC-CS 在线客服"]}  # a duty, 4 characters
    assert _kinds(hr, "客服") == {"position": ["EC-CS 在线客服"]}  # 2 characters: LIKE
    assert _kinds(hr, "客户") == {"job_description": ["EC-CS 在线客服"]}
    assert _kinds(hr, "REFUND") == {"job_description": ["EC-CS 在线客服"]}  # case ignored
    assert _kinds(hr, "e002") == {"employee": ["李小红"]}  # employee number
    assert _kinds(hr, "li.hong@") == {"employee": ["李小红"]}  # e-mail
    assert _kinds(hr, "满意度") == {"kpi": ["Customer satisfaction 满意度"]}
    assert _kinds(hr, "客户 月度") == {}  # every word must match
    assert _kinds(hr, "会计 FIN") == {"position": ["FIN-ACC 会计"]}


def test_the_index_follows_changes_made_through_the_services(shop, login):
    hr = login("hr")
    position = shop["manager"]
    org.update_position(
        position,
        org.PositionData(code="EC-MGR", title="电商总监", department_id=shop["ec"].id, headcount=1),
        seen_version=None,
    )
    db.session.commit()
    assert "position" not in _kinds(hr, "电商部经理")
    assert _kinds(hr, "电商总监") == {"position": ["EC-MGR 电商总监"]}
    org.update_department(shop["ec"], org.DepartmentData(code="EC", name="网店部"), seen_version=None)
    db.session.commit()
    response = hr.get("/api/v1/search", query_string={"q": "电商总监"}).get_json()
    assert response["groups"][0]["items"][0]["detail"] == "网店部"  # its positions show the new name
    zhao = shop["zhao"]
    org.end_assignment(zhao.assignments[0], date(2026, 1, 31))
    org.update_employee(
        zhao,
        org.EmployeeData(employee_no="E003", name="赵明", email="", hire_date=None, status="left", user_id=None),
        seen_version=None,
    )
    db.session.commit()
    assert _kinds(hr, "赵会计") == {}
    found = hr.get("/api/v1/search", query_string={"q": "赵明"}).get_json()["groups"][0]["items"][0]
    assert found["archived"] is True
    db.session.delete(db.session.get(type(shop["kpi"]), shop["kpi"].id))
    db.session.commit()
    assert _kinds(hr, "CSAT") == {}


def test_a_new_published_version_replaces_the_old_text(shop, login):
    hr = login("hr")
    factories.publish_jd(
        shop["agent"], factories.jd_content("在线客服", duties=("处理直播间订单",)), effective=date(2026, 6, 1)
    )
    assert _kinds(hr, "跟进售后") == {}
    assert _kinds(hr, "直播间") == {"job_description": ["EC-CS 在线客服"]}


def test_each_user_sees_only_what_their_access_rules_allow(shop, login, app):
    employee = factories.logged_in_client(app, shop["employee_user"])
    manager = factories.logged_in_client(app, shop["manager_user"])
    # employees: their own record, the structure, the job description of their own post, no KPI library
    assert _kinds(employee, "example.test") == {"employee": ["李小红"]}
    assert _kinds(employee, "会计") == {"position": ["FIN-ACC 会计"]}  # not the accountant's JD text
    assert _kinds(employee, "跟进") == {"job_description": ["EC-CS 在线客服"]}
    assert _kinds(employee, "CSAT") == {}
    # a manager: their reporting line (and themselves), the JDs below them, the KPI library
    assert set(_kinds(manager, "example.test")["employee"]) == {"王经理", "李小红"}
    assert _kinds(manager, "财务报表") == {}
    assert _kinds(manager, "CSAT") == {"kpi": ["Customer satisfaction 满意度"]}
    page = employee.get("/search?q=赵会计").get_data(as_text=True)
    assert 'data-testid="search-empty"' in page and "/org/employees/" not in page


def test_matches_are_marked_and_user_text_is_escaped(ctx, login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    factories.create_position("X-1", ec, "<b>boss</b> & 经理")
    page = hr.get("/search?q=boss").get_data(as_text=True)
    assert "&lt;b&gt;<mark>boss</mark>&lt;/b&gt; &amp; 经理" in page
    assert "<b>boss</b>" not in page
    item = hr.get("/api/v1/search?q=boss").get_json()["groups"][0]["items"][0]
    assert item["title_html"] == "X-1 &lt;b&gt;<mark>boss</mark>&lt;/b&gt; &amp; 经理"
    assert item["url"] == f"/org/positions/{item['id']}"


@pytest.mark.parametrize(
    "query",
    [
        '"电商',
        'a" OR "b',
        "NEAR(客服 经理)",
        "客服*",
        "^经理",
        "col:经理",
        "'; DROP TABLE employees; --",
        "1 OR 1=1",
        "%",
        "_",
        "\\",
        "经理 AND",
        "((((",
        "—",
        "🙂",
        "a" * 3000,
    ],
)
def test_odd_queries_answer_normally(shop, login, query):
    hr = login("hr")
    assert hr.get("/search", query_string={"q": query}).status_code == 200
    response = hr.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200, response.get_json()
    assert db.session.scalar(select(func.count()).select_from(SearchEntry)) > 0


def test_operators_are_plain_characters(shop, login):
    hr = login("hr")
    factories.create_position("PCT", shop["ec"], "达成率100% (年度)")
    assert _kinds(hr, "100%") == {"position": ["PCT 达成率100% (年度)"]}
    assert _kinds(hr, "客服 OR 会计") == {}  # OR is a word to find, not an operator


def test_long_queries_are_cut_and_said_so(shop, login):
    hr = login("hr")
    answer = hr.get("/api/v1/search", query_string={"q": "客服 " + "x" * 3000}).get_json()
    assert answer["truncated"] is True and len(answer["query"]) == 200
    page = hr.get("/search", query_string={"q": " ".join(f"w{n}" for n in range(20))}).get_data(as_text=True)
    assert 'data-testid="search-truncated"' in page
    page = hr.get("/search", query_string={"q": "经" * 10_000})
    assert page.status_code == 200 and 'data-testid="search-truncated"' in page.get_data(as_text=True)
    answer = hr.get("/api/v1/search", query_string={"q": "经" * 10_000}).get_json()
    assert answer["truncated"] is True and answer["query"] == "经" * 200


def test_api_names_the_field_at_fault(shop, login):
    hr = login("hr")
    missing = hr.get("/api/v1/search")
    assert missing.status_code == 422 and "q" in missing.get_json()["errors"]
    bad = hr.get("/api/v1/search", query_string={"q": "x", "per_kind": "0"})
    assert bad.status_code == 422 and "per_kind" in bad.get_json()["errors"]
    bad = hr.get("/api/v1/search", query_string={"q": "x", "kind": "salary"})
    assert bad.status_code == 422 and "kind.0" in bad.get_json()["errors"]
    only = hr.get("/api/v1/search", query_string={"q": "客户", "kind": "job_description"}).get_json()
    assert [g["kind"] for g in only["groups"]] == ["job_description"]
    assert hr.get("/api/v1/search?q=").get_json()["groups"] == []


def test_results_are_grouped_with_totals(ctx, login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    for n in range(13):
        factories.create_position(f"P{n:02}", ec, f"专员 {n}")
    group = hr.get("/api/v1/search?q=专员").get_json()["groups"][0]
    assert group["kind"] == "position" and group["total"] == 13 and len(group["items"]) == 10
    assert "10 of 13" in hr.get("/search?q=专员").get_data(as_text=True)


def test_a_search_runs_a_fixed_number_of_queries(ctx, login, count_queries):
    manager_user = factories.create_user("manager")
    ec = factories.create_department("EC", "电商部")
    head = factories.create_position("HEAD", ec, "经理")
    factories.create_employee("E0", "经理甲", head, user=manager_user)
    client = login("hr")
    from app.extensions import db as _db  # noqa: F401

    def run(c):
        with count_queries() as queries:
            assert c.get("/search?q=专员").status_code == 200
        return len(queries)

    manager = factories.logged_in_client(client.application, manager_user)
    few, few_manager = run(client), run(manager)
    for n in range(15):
        position = factories.create_position(f"P{n:02}", ec, f"专员 {n}", reports_to=head)
        factories.create_employee(f"E{n + 1}", f"专员{n}", position)
    assert run(client) == few
    assert run(manager) == few_manager


def test_rebuild_writes_the_index_again(shop, app, ctx):
    db.session.execute(delete(SearchEntry))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "position: 3" in result.output and "job_description: 2" in result.output
    counts = dict(db.session.execute(select(SearchEntry.kind, func.count()).group_by(SearchEntry.kind)).all())
    assert counts == {"department": 2, "position": 3, "employee": 3, "job_description": 2, "kpi": 1}
    assert indexing.rebuild() == counts  # twice gives the same


def test_a_query_too_long_for_a_url_is_sent_in_the_body(shop, login):
    hr = login("hr")
    answer = hr.post("/api/v1/search", json={"q": "客服 " + "经" * 10_000})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["truncated"] is True and len(body["query"]) == 200
    short = hr.post("/api/v1/search", json={"q": "客服", "per_kind": 5}).get_json()
    assert short == hr.get("/api/v1/search", query_string={"q": "客服", "per_kind": 5}).get_json()
    assert hr.post("/api/v1/search", json={"per_kind": 5}).status_code == 422
    # an empty list of kinds (only a body can send one) is no filter, as no list is
    every = hr.post("/api/v1/search", json={"q": "客服", "kind": []})
    assert every.status_code == 200 and every.get_json() == hr.get("/api/v1/search?q=客服").get_json()


def test_the_service_searches_no_kind_when_given_none(shop, ctx):
    from app.search import services as search_services

    query, groups = search_services.search(factories.create_user("hr"), "客服", kinds=())
    assert query.terms == ["客服"] and groups == []
