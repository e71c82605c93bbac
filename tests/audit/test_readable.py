"""The audit trail as HR reads it: record types, fields and actions in the user's language,
values formatted (states by their labels, names instead of ids, local dates), the actor always
named, links to the records; and the same person named alike on every panel of a page."""

from __future__ import annotations

import html
import re

import pytest

from app.audit.models import AuditEvent
from app.audit.services import acting_as, record
from app.extensions import db
from app.jobs import services as jd_services
from app.org import services as org_services
from tests import factories
from tests.appraisals.conftest import cycle, fill_self, review_of, shop  # noqa: F401 (fixtures)


def _rows(page: str) -> list[str]:
    body = page[page.index('data-testid="audit-table"') :]
    return [html.unescape(re.sub(r"<[^>]+>", " ", row)) for row in body.split('data-testid="audit-row"')[1:]]


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            {
                "type": "Appraisal",
                "status": "Status",
                "before": "Self-review",
                "after": "Manager review",
                "field": "Self-review submitted",
                "action": "Changed",
                "task": "background task 7",
            },
        ),
        (
            "zh_CN",
            {
                "type": "考核",
                "status": "状态",
                "before": "员工自评",
                "after": "上级评估",
                "field": "自评已提交",
                "action": "修改",
                "task": "后台任务 7",
            },
        ),
    ],
)
def test_a_change_reads_in_the_users_language_with_names_and_a_link(app, cycle, shop, lang, words):
    review = review_of(cycle, shop.zhang)
    with acting_as(f"{shop.employee_user.email} (task 7)", shop.employee_user.id):
        fill_self(review)
    page = (
        factories.logged_in_client(app, shop.hr_user, lang)
        .get("/audit/?entity=appraisal_reviews&action=update")
        .get_data(as_text=True)
    )
    row = next(r for r in _rows(page) if words["field"] in r)
    for word in words.values():
        assert word in row, word
    assert "张伟" in row and "2026-11" in row  # the record: whose appraisal, in which cycle
    assert f'href="/appraisals/reviews/{review.id}"' in page
    for raw in (
        "appraisal_reviews",
        "self_submitted_at",
        "manager_review",
        "anonymous",
        "+00:00",
        shop.employee_user.email,
    ):
        assert raw not in row, raw
    assert re.search(r"\d{1,2}:\d{2}", row)  # times in local time, short


def test_ids_become_names_and_deleted_records_say_so(app, ctx):
    hr_user = factories.create_user("hr", name="HR 用户")
    dep = factories.create_department("EC", "电商部")
    boss = factories.create_position("EC-MGR", dep, "电商部经理")
    clerk = factories.create_position("EC-OPS", dep, "运营专员")
    with acting_as("cli"):
        org_services.update_position(
            clerk,
            org_services.PositionData(
                code="EC-OPS", title="运营专员", department_id=dep.id, reports_to_id=boss.id, headcount=3
            ),
            clerk.version,
        )
        db.session.commit()
    page = (
        factories.logged_in_client(app, hr_user, "zh_CN")
        .get("/audit/?entity=positions&action=update")
        .get_data(as_text=True)
    )
    row = _rows(page)[0]
    assert "直接上级" in row or "上级" in row
    assert "电商部经理 (EC-MGR)" in row and "编制" in row and "命令行" in row
    assert f'href="/org/positions/{clerk.id}"' in page


def test_logins_and_own_changes_name_the_person_failed_logins_say_not_logged_in(app, ctx):
    hr_user = factories.create_user("hr", name="人事专员 李娜")
    employee = factories.create_employee("E1", "李娜", user=hr_user)
    assert employee.user_id == hr_user.id
    app.test_client().post("/login", data={"email": hr_user.email, "password": "wrong-password-1"})
    client = factories.logged_in_client(app, hr_user, "zh_CN")  # a login, then a change of her own language
    db.session.expire_all()
    login = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "login")).one()
    assert login.actor_id == hr_user.id
    page = client.get("/audit/").get_data(as_text=True)
    rows = _rows(page)
    assert any("登录" in r and "李娜" in r for r in rows)
    assert any("语言" in r and "简体中文" in r and "李娜" in r for r in rows)
    assert any("登录失败" in r and "未登录" in r for r in rows)
    actors = [
        html.unescape(re.sub(r"<[^>]+>", " ", cell.split("</td>")[0]))
        for cell in page.split('data-testid="actor">')[1:]
    ]
    assert actors and not any("anonymous" in a or hr_user.email in a for a in actors)
    # the same person, found by the name the page shows
    assert "语言" in "".join(_rows(client.get("/audit/?actor=李娜").get_data(as_text=True)))


def test_system_and_command_line_changes_say_so(app, ctx):
    record("backup", "database", label="nightly.zip")  # no request, no command: the system
    with acting_as("cli"):
        record("restore", "database", label="nightly.zip")
    db.session.commit()
    page = (
        factories.logged_in_client(app, factories.create_user("admin"))
        .get("/audit/?entity=database")
        .get_data(as_text=True)
    )
    rows = _rows(page)
    assert any("Restored" in r and "Command line" in r for r in rows)
    assert any("Backup" in r and "System" in r for r in rows)
    assert "Database" in page


def test_the_version_page_names_each_person_alike_on_every_panel(app, ctx):
    hr_user = factories.create_user("hr", name="人事专员 李娜")
    factories.create_employee("E1", "李娜", user=hr_user)
    dep = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-OPS", dep, "运营专员")
    with acting_as(hr_user.email, hr_user.id):
        draft = jd_services.start_draft(position, hr_user, content=factories.jd_content("运营专员"))
        jd_services.submit(draft, hr_user)
        db.session.commit()
    page = factories.logged_in_client(app, hr_user).get(f"/jobs/versions/{draft.id}").get_data(as_text=True)
    assert "Submitted for review by 李娜." in page
    history = page[page.rindex("list-group") :]
    assert "李娜" in history and hr_user.email not in history and "人事专员 李娜" not in history


def test_a_created_record_is_recorded_with_its_id_and_linked(app, ctx):
    hr_user = factories.create_user("hr")
    dep = factories.create_department("EC", "电商部")
    created = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "departments", AuditEvent.action == "create")
    ).one()
    assert created.entity_id == str(dep.id)
    page = factories.logged_in_client(app, hr_user).get("/audit/?entity=departments").get_data(as_text=True)
    assert f'href="/org/departments/{dep.id}"' in page and "Added" in page


@pytest.mark.parametrize(
    "lang, message", [("en", "Enter a date as YYYY-MM-DD."), ("zh_CN", "请按 YYYY-MM-DD 格式输入日期。")]
)
def test_bad_filter_dates_are_named_next_to_the_field_and_kept(app, ctx, lang, message):
    hr = factories.logged_in_client(app, factories.create_user("hr"), lang)
    response = hr.get(
        "/audit/?since=31.12.2026&until=2026-13-01&actor=" + "x" * 3000
    )  # (within the longest address answered)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count(message) == 2 and 'value="31.12.2026"' in page and 'data-testid="error-since"' in page
    backwards = hr.get("/audit/?since=2026-12-07&until=2026-12-01").get_data(as_text=True)
    assert 'data-testid="error-until"' in backwards and 'value="2026-12-01"' in backwards
    assert 'data-testid="error-since"' not in backwards
