"""Issue 18, point 6: the "improvement plan" outcome opens a plan that its owner (the reviewer)
or HR fills in, follows with check-ins and closes; the employee reads it; it prints signed."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest

from app.appraisals.models import ImprovementPlan, PlanStatus
from app.appraisals.services import flow, improvement
from app.auth.services import issue_token
from app.core import clock
from app.core.errors import ServiceError
from app.extensions import db
from tests.appraisals.conftest import fill_manager, fill_self, review_of
from tests.factories import logged_in_client


def _finalised(cycle, employee, outcome="improvement_plan"):
    review = review_of(cycle, employee)
    fill_self(review)
    fill_manager(review, outcome=outcome)
    flow.calibrate(review, None, "", review.version, finalise=True)
    db.session.commit()
    return review


@pytest.fixture
def api_client_for(app):
    """A test client of the API with a bearer token of ``user``."""

    def client(user):
        _token, clear = issue_token(user, "tests")
        db.session.commit()
        test_client = app.test_client()
        test_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {clear}"
        return test_client

    return client


@pytest.fixture
def plan(cycle, shop):
    review = _finalised(cycle, shop.zhang)
    return db.session.scalar(db.select(ImprovementPlan).where(ImprovementPlan.review_id == review.id))


def _data(plan, **changes):
    values = dict(
        objectives="转化率恢复到 2.5%。",
        support="每周一对一辅导。",
        start_date=plan.start_date,
        end_date=plan.end_date,
        checkin_dates=[plan.start_date + timedelta(days=14)],
        owner_id=None,
    )
    values.update(changes)
    return improvement.PlanData(**values)


def test_finalising_with_the_outcome_opens_one_plan(cycle, shop, plan):
    review = review_of(cycle, shop.zhang)
    assert plan is not None and plan.employee_id == shop.zhang.id and plan.owner_id == shop.wang.id
    assert plan.status == "open" and plan.start_date == clock.today() and len(plan.checkin_dates) == 3
    assert improvement.plan_id_of(review) == plan.id
    flow.reopen(review, "calibration", "再议。", review.version)
    flow.calibrate(review, None, "", review.version, finalise=True)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(ImprovementPlan)) == 1
    other = _finalised(cycle, shop.li, outcome="reward")
    assert improvement.plan_id_of(other) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"objectives": "  "}, "objectives"),
        ({"end_date": date(2020, 1, 1)}, "end_date"),
        ({"checkin_dates": [date(2030, 1, 1)]}, "checkin_dates"),
        ({"objectives": "x" * 5001}, "objectives"),
    ],
)
def test_a_plan_that_cannot_be_is_refused_at_its_field(cycle, shop, plan, changes, field):
    before = (plan.objectives, plan.end_date, list(plan.checkin_dates), plan.version)
    with pytest.raises(ServiceError) as refused:
        improvement.update_plan(plan, _data(plan, **changes), plan.version)
    db.session.rollback()
    assert field in refused.value.errors
    plan = db.session.get(ImprovementPlan, plan.id)
    assert (plan.objectives, plan.end_date, list(plan.checkin_dates), plan.version) == before


def test_check_ins_then_closing_locks_the_plan(cycle, shop, plan):
    improvement.update_plan(plan, _data(plan), plan.version)
    db.session.commit()
    with pytest.raises(ServiceError) as early:
        improvement.add_checkin(plan, clock.today() + timedelta(days=1), "提前记录。", plan.version)
    assert "on" in early.value.errors
    db.session.rollback()
    version = plan.version
    improvement.add_checkin(plan, clock.today(), "第一次复盘：转化率 2.1%。", plan.version)
    db.session.commit()
    assert plan.version == version + 1 and [c.comment for c in plan.checkins] == ["第一次复盘：转化率 2.1%。"]
    with pytest.raises(ServiceError) as extension:
        improvement.close_plan(plan, "extended", "需要更多时间。", plan.version, new_end=plan.end_date)
    assert "new_end" in extension.value.errors
    db.session.rollback()
    improvement.close_plan(plan, "extended", "需要更多时间。", plan.version, new_end=plan.end_date + timedelta(30))
    db.session.commit()
    assert plan.status == "extended" and not plan.is_closed
    improvement.close_plan(plan, "successful", "目标全部达成。", plan.version)
    db.session.commit()
    assert plan.is_closed and plan.closed_at is not None
    for attempt in (
        lambda: improvement.update_plan(plan, _data(plan), plan.version),
        lambda: improvement.add_checkin(plan, clock.today(), "再记一次。", plan.version),
        lambda: improvement.close_plan(plan, "unsuccessful", "改判。", plan.version),
    ):
        with pytest.raises(ServiceError):
            attempt()
        db.session.rollback()
    assert db.session.get(ImprovementPlan, plan.id).status == "successful"


def test_who_sees_and_who_changes_a_plan(app, cycle, shop, plan):
    employee = logged_in_client(app, shop.employee_user)  # 张伟, whose plan it is
    page = employee.get(f"/appraisals/plans/{plan.id}")
    assert page.status_code == 200 and 'data-testid="plan-form"' not in page.get_data(as_text=True)
    assert employee.post(f"/appraisals/plans/{plan.id}", data={"objectives": "自己改"}).status_code == 403
    assert plan.id in [p["id"] for p in employee.get("/api/v1/improvement-plans").get_json()["items"]]
    manager = logged_in_client(app, shop.manager_user)  # 王强, the owner
    assert 'data-testid="plan-form"' in manager.get(f"/appraisals/plans/{plan.id}").get_data(as_text=True)
    hr = logged_in_client(app, shop.hr_user)
    assert hr.get(f"/appraisals/plans/{plan.id}").status_code == 200
    other = _finalised(cycle, shop.li)
    li_plan = improvement.plan_id_of(other)
    assert employee.get(f"/appraisals/plans/{li_plan}").status_code == 404
    assert employee.get(f"/api/v1/improvement-plans/{li_plan}").status_code == 404
    assert {p["id"] for p in employee.get("/api/v1/improvement-plans").get_json()["items"]} == {plan.id}


def test_the_page_keeps_bad_input_and_saves_good_input(app, cycle, shop, plan):
    manager = logged_in_client(app, shop.manager_user)
    form = {
        "version": plan.version,
        "objectives": "每周复盘。",
        "support": "辅导。",
        "owner_no": "",
        "start_date": plan.start_date.isoformat(),
        "end_date": plan.end_date.isoformat(),
        "checkin_dates": "2026-13-45",
    }
    refused = manager.post(f"/appraisals/plans/{plan.id}", data=form)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "2026-13-45" in html and "每周复盘。" in html and "is not a date" in html
    form["checkin_dates"] = (plan.start_date + timedelta(days=10)).isoformat()
    form["owner_no"] = "NOPE"
    refused = manager.post(f"/appraisals/plans/{plan.id}", data=form)
    assert refused.status_code == 422 and "No employee has the number NOPE" in refused.get_data(as_text=True)
    form["owner_no"] = ""
    assert manager.post(f"/appraisals/plans/{plan.id}", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(ImprovementPlan, plan.id).objectives == "每周复盘。"
    current = db.session.get(ImprovementPlan, plan.id).version
    checkin = manager.post(
        f"/appraisals/plans/{plan.id}/check-ins",
        data={"version": current, "on": clock.today().isoformat(), "comment": ""},
    )
    assert checkin.status_code == 422 and "Say what the check-in found" in checkin.get_data(as_text=True)
    stale = manager.post(
        f"/appraisals/plans/{plan.id}/close", data={"version": current - 1, "result": "successful", "comment": "达成。"}
    )
    assert stale.status_code == 409 and "达成。" in stale.get_data(as_text=True)


def test_the_api_follows_the_conventions(app, api_client_for, cycle, shop, plan):
    hr = api_client_for(shop.hr_user)
    got = hr.get(f"/api/v1/improvement-plans/{plan.id}")
    assert got.status_code == 200 and got.headers["ETag"] == f'W/"{plan.version}"'
    changed = hr.patch(
        f"/api/v1/improvement-plans/{plan.id}",
        json={"objectives": "达成 2.5%。"},
        headers={"If-Match": got.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.get_json()["objectives"] == "达成 2.5%。"
    stale = hr.patch(
        f"/api/v1/improvement-plans/{plan.id}", json={"objectives": "旧版本"}, headers={"If-Match": got.headers["ETag"]}
    )
    assert stale.status_code == 409
    bad = hr.patch(
        f"/api/v1/improvement-plans/{plan.id}",
        json={"end_date": "2020-01-01"},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert bad.status_code == 422 and "end_date" in bad.get_json()["errors"]
    added = hr.post(
        f"/api/v1/improvement-plans/{plan.id}/check-ins",
        json={"on": clock.today().isoformat(), "comment": "进展良好。"},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert added.status_code == 201 and added.get_json()["checkins"][0]["comment"] == "进展良好。"
    closed = hr.post(
        f"/api/v1/improvement-plans/{plan.id}/close",
        json={"result": "unsuccessful", "comment": "未达成。"},
        headers={"If-Match": added.headers["ETag"]},
    )
    assert closed.status_code == 200 and closed.get_json()["status"] == PlanStatus.UNSUCCESSFUL.value
    locked = hr.patch(
        f"/api/v1/improvement-plans/{plan.id}",
        json={"objectives": "再改"},
        headers={"If-Match": closed.headers["ETag"]},
    )
    assert locked.status_code == 422
    employee = api_client_for(shop.employee_user)
    assert employee.post(f"/api/v1/improvement-plans/{plan.id}/check-ins", json={"bad": 1}).status_code == 403


def test_the_plan_prints_with_its_check_ins_and_signatures(app, cycle, shop, plan, tmp_path):
    improvement.update_plan(plan, _data(plan), plan.version)
    improvement.add_checkin(plan, clock.today(), "第一次复盘：<b>转化率</b> 2.1%。", plan.version)
    db.session.commit()
    response = logged_in_client(app, shop.employee_user).get(f"/appraisals/plans/{plan.id}.pdf?lang=zh_CN")
    assert response.status_code == 200 and response.data[:4] == b"%PDF"
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "转化率恢复到 2.5%" in text and "<b>转化率</b>" in text and "张伟" in text
    compact = "".join(text.split())  # table headers may be spaced out
    assert "绩效改进计划" in compact and "签字" in compact
    assert all(label in compact for label in ("员工", "经理", "人力资源"))
