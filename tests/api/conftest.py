"""Fixtures of the API tests: clients that authenticate with an API token, and a small
organisation with two departments, their reporting lines, holders and accounts."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from app.auth.services import issue_token
from app.extensions import db
from tests import factories


@pytest.fixture
def api(app, ctx):
    """``api(role)`` → a test client sending ``Authorization: Bearer <token>`` of a new user with
    that role (``client.user``, ``client.token``). ``api(user=...)`` uses an existing user."""

    def _api(role: str = "hr", user=None, **kwargs):
        user = user or factories.create_user(role, **kwargs)
        token, clear = issue_token(user, "tests")
        # As if just used: its first request then does not record the use (an extra UPDATE,
        # tested in tests/auth), so query counts measure the endpoint alone.
        token.last_used_at = datetime.now(timezone.utc)
        db.session.commit()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
        client.user, client.token = user, token
        return client

    return _api


@pytest.fixture
def org(ctx):
    """电商部 (EC) with 运营组 (EC-OPS) below it, and 人事部 (HR) beside it:

    EC-MGR 电商部经理 (王强, account ``manager``)
      └ EC-OPS-LEAD 运营主管 (李娜)
          └ EC-OPS-STAFF 运营专员, headcount 2 (张伟, account ``employee``)
    HR-MGR 人事部经理 (陈静)
    """
    ec = factories.create_department("EC", "电商部")
    ops = factories.create_department("EC-OPS", "运营组", parent=ec)
    hr = factories.create_department("HR", "人事部")
    mgr = factories.create_position("EC-MGR", ec, "电商部经理")
    lead = factories.create_position("EC-OPS-LEAD", ops, "运营主管", reports_to=mgr)
    staff = factories.create_position("EC-OPS-STAFF", ops, "运营专员", reports_to=lead, headcount=2)
    hr_mgr = factories.create_position("HR-MGR", hr, "人事部经理")
    manager_user = factories.create_user("manager")
    employee_user = factories.create_user("employee")
    wang = factories.create_employee("E001", "王强", position=mgr, user=manager_user)
    li = factories.create_employee("E002", "李娜", position=lead)
    zhang = factories.create_employee("E003", "张伟", position=staff, user=employee_user)
    chen = factories.create_employee("E004", "陈静", position=hr_mgr)
    return SimpleNamespace(
        ec=ec,
        ops=ops,
        hr=hr,
        mgr=mgr,
        lead=lead,
        staff=staff,
        hr_mgr=hr_mgr,
        manager_user=manager_user,
        employee_user=employee_user,
        wang=wang,
        li=li,
        zhang=zhang,
        chen=chen,
    )


def assert_error(response, status: int, *fields: str) -> dict:
    """The response is the API's JSON error with this status and errors for these fields."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}, body
    assert body["code"] == status and isinstance(body["message"], str) and body["message"]
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in body["errors"].values()
    ), body
    for field in fields:
        assert field in body["errors"], (field, body)
    return body


@pytest.fixture
def jd(org):
    """Job descriptions of ``org``: the KPI SALES and the competency OPS in the libraries, a base
    job description, and a version in each state of the workflow:

        EC-OPS-STAFF  v1 published (held by 张伟, account ``employee``)
        EC-OPS-LEAD   v1 draft
        EC-MGR        v1 in review, with a linter finding open (an age limit)
        HR-MGR        v1 approved
    """
    from app.jobs import library, lint, services

    kpi = factories.create_kpi("SALES", "销售额", unit="元")
    competency = factories.create_competency("OPS", "电商运营能力")

    def content(title: str, *requirements: str) -> dict:
        return factories.jd_content(
            title,
            duties=[f"负责{title}的日常工作", "编写月度报告"],
            requirements=[("education", "本科及以上学历", True), *(("other", text, True) for text in requirements)],
            kpis=[(kpi, 500000, 100, "monthly", 400000, 600000)],
            competencies=[(competency, 3)],
            heading="岗位职责",
        )

    published = factories.publish_jd(org.staff, content("运营专员"))
    template = library.create_template("运营专员（基准）", content("运营专员"), source="tests")
    draft = services.start_draft(org.lead, None, content=content("运营主管"))
    in_review = services.start_draft(org.mgr, None, content=content("电商部经理", "年龄20-26之间"))
    services.submit(in_review, None)
    approved = services.start_draft(org.hr_mgr, None, content=content("人事部经理"))
    services.submit(approved, None)
    for finding in lint.lint_version(approved):
        services.waive(approved, finding.key, "test data", None)
    services.approve(approved, None)
    db.session.commit()
    return SimpleNamespace(
        kpi=kpi,
        competency=competency,
        template=template,
        published=published,
        draft=draft,
        in_review=in_review,
        approved=approved,
        content=content,
    )


def launched_cycle(org):
    """A launched November 2026 cycle for the whole organisation, and 张伟's review in it."""
    from datetime import date

    from app.appraisals import services
    from app.appraisals.models import Review
    from app.appraisals.services import launch

    cycle = services.create_cycle(
        services.CycleData(name="2026-11", period_type="monthly", start_date=date(2026, 11, 1))
    )
    launch.launch_cycle(cycle)
    db.session.commit()
    review = db.session.scalar(db.select(Review).where(Review.cycle_id == cycle.id, Review.employee_id == org.zhang.id))
    return cycle, review
