"""Appraising everyone, with or without a login: the template's self-review mode, paper reviews
entered on someone's behalf, exclusions, the stalled list with its remedies, overlapping cycles,
aligned periods, and reviews finalised without score."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.appraisals import access, services
from app.appraisals.models import AppraisalTemplate, Exclusion, Review
from app.appraisals.services import exclusions, flow, launch, results, reviewers
from app.audit.models import AuditEvent
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of
from tests.documents.conftest import pages_text, squeeze


def _launched(**fields):
    cycle = make_cycle(**fields)
    launch.launch_cycle(cycle)
    db.session.commit()
    return cycle


def _template(mode: str, reviewer_enters: bool = False) -> AppraisalTemplate:
    data = services.template_data(services.default_template())
    template = services.create_template(
        {**data, "name": f"模板 {mode}", "self_review": mode, "reviewer_enters_self_review": reviewer_enters}
    )
    db.session.commit()
    return template


def test_an_employee_without_an_account_starts_at_the_manager_review(shop, cycle):
    zhang, li = review_of(cycle, shop.zhang), review_of(cycle, shop.li)
    assert zhang.status == "self_review" and zhang.self_review_state is None  # has an account
    assert li.status == "manager_review" and li.self_review_state == "skipped_no_account"
    assert li.self_review_state_enum.label == "Skipped: the employee has no account"


def test_the_template_decides_whether_the_self_review_is_required_optional_or_skipped(shop):
    skipped = _launched(template_id=_template("skipped").id)
    assert {r.status for r in db.session.scalars(db.select(Review).where(Review.cycle_id == skipped.id))} == {
        "manager_review"
    }
    assert review_of(skipped, shop.zhang).self_review_state == "skipped_template"

    optional = _launched(
        name="opt",
        start=date(2026, 12, 1),
        self_review_due=None,
        manager_review_due=None,
        template_id=_template("optional").id,
    )
    review = review_of(optional, shop.zhang)
    assert review.status == "self_review"
    # the reviewer (王强) may go on without it; 张伟's own account may not skip
    assert access.can_skip_self_review_for(shop.manager_user, review)
    assert not access.can_skip_self_review_for(shop.employee_user, review)
    flow.skip_self_review(review, review.version, by_hr=False)
    db.session.commit()
    assert review.status == "manager_review" and review.self_review_state == "skipped_optional"
    assert review.events[-1].action == "self_review_skipped"

    required = review_of(
        _launched(name="req", start=date(2027, 1, 1), self_review_due=None, manager_review_due=None), shop.zhang
    )
    with pytest.raises(ServiceError):
        flow.skip_self_review(required, required.version, by_hr=True)  # 张伟 can log in: required stays
    assert required.status == "self_review"
    with pytest.raises(ServiceError):
        services.create_template(
            {**services.template_data(services.default_template()), "name": "x", "self_review": "sometimes"}
        )


def test_hr_enters_a_paper_self_review_on_the_employees_behalf(app, shop, cycle):
    review = review_of(cycle, shop.zhang)
    hr = shop.hr_user
    assert access.can_enter_self_review_for(hr, review)
    assert not access.can_enter_self_review_for(shop.manager_user, review)  # the template does not allow it
    client = app.test_client()
    client.post("/login", data={"email": hr.email, "password": factories.PASSWORD})
    data = {
        "version": review.version,
        "action": "submit",
        "kpis-0-actual": "十万",
        "kpis-1-actual": "1.5",
        "ratings-0-rating": "3",
        "ratings-1-rating": "4",
        "comment": "纸质自评表，12月3日交人事部。",
    }
    refused = client.post(f"/appraisals/reviews/{review.id}/self-review", data=data)
    assert refused.status_code == 422 and "十万" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert review_of(cycle, shop.zhang).status == "self_review"
    data["kpis-0-actual"] = "110000"
    assert client.post(f"/appraisals/reviews/{review.id}/self-review", data=data).status_code == 302
    db.session.expire_all()
    review = review_of(cycle, shop.zhang)
    assert review.status == "manager_review" and review.self_review_state == "on_behalf"
    event = review.events[-1]
    assert event.action == "self_entered_on_behalf" and "张伟" in event.comment and event.actor_id == hr.id
    page = client.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
    assert (
        "Entered on paper on the employee’s behalf" in page and "Self-review entered on the employee’s behalf" in page
    )
    audited = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "appraisal_reviews", AuditEvent.entity_id == str(review.id))
    ).all()
    assert any("self_review_state" in (e.changes or {}) and e.actor_id == hr.id for e in audited)


def test_the_reviewer_enters_it_where_the_template_allows(shop):
    cycle = _launched(template_id=_template("required", reviewer_enters=True).id)
    review = review_of(cycle, shop.zhang)
    assert access.can_enter_self_review_for(shop.manager_user, review)
    assert not access.can_enter_self_review_for(shop.employee_user, review)  # own review: the normal form


def test_a_late_paper_self_review_keeps_the_managers_actuals(shop, cycle):
    review = review_of(cycle, shop.li)  # no account: at the manager review
    fill_manager(review, actuals=("90000", None), submit=False)
    flow.save_self_review(
        review,
        flow.StepData(
            kpis=[{"id": r.id, "actual": a} for r, a in zip(review.kpi_results, ("95000", "2"))],
            ratings=[{"id": r.id, "rating": "4"} for r in review.ratings],
            comment="纸质自评",
        ),
        review.version,
        submit=True,
        on_behalf=True,
    )
    db.session.commit()
    assert [(r.self_actual, r.actual) for r in review.kpi_results] == [(95000, 90000), (2, 2)]
    assert review.status == "manager_review" and review.self_review_state == "on_behalf"


def test_hr_enters_the_manager_review_of_a_reviewer_without_an_account(app, shop):
    zhou = factories.create_employee("E009", "周杰", position=shop.lead)  # holds the lead post, no account
    cycle = _launched()
    review = review_of(cycle, shop.li)
    assert review.reviewer_id == zhou.id
    assert access.can_enter_manager_review_for(shop.hr_user, review)
    assert not access.can_enter_manager_review_for(shop.manager_user, review)
    stalled = reviewers.stalled_reviews(cycle.id, 20)
    codes = {row["name"]: row["code"] for row in stalled.first}
    assert codes["李娜"] == "no_account" and codes["王强"] == "no_reviewer" and codes["孙丽"] == "no_jd"
    assert all(row["remedy"] for row in stalled.first)
    fill_self(review)
    fill_manager(review)
    db.session.expire_all()
    review = review_of(cycle, shop.li)
    assert review.status == "calibration"  # fill_manager ran outside a request: HR did it as "system"
    other = review_of(cycle, shop.zhang)
    fill_self(other)
    client = app.test_client()
    client.post("/login", data={"email": shop.hr_user.email, "password": factories.PASSWORD})
    page = client.get(f"/appraisals/reviews/{other.id}").get_data(as_text=True)
    assert "周杰 has no account able to do the manager review" in page
    response = client.post(
        f"/appraisals/reviews/{other.id}/manager-review",
        data={
            "version": other.version,
            "action": "submit",
            "kpis-0-actual": "100000",
            "kpis-1-actual": "2",
            "ratings-0-rating": "3",
            "ratings-1-rating": "3",
            "comment": "主管纸质评语",
            "outcome": "no_action",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    other = review_of(cycle, shop.zhang)
    assert other.status == "calibration" and other.events[-1].action == "manager_entered_on_behalf"
    assert "周杰" in other.events[-1].comment


def test_excluded_before_the_launch_counted_nowhere_and_restored(shop):
    cycle = make_cycle()
    with pytest.raises(ServiceError) as refused:
        exclusions.exclude_employee(cycle, shop.li.id, "other", "")
    assert set(refused.value.errors) == {"comment"}
    with pytest.raises(ServiceError) as refused:
        exclusions.exclude_employee(cycle, 999999, "holiday", "")
    assert set(refused.value.errors) == {"employee_id", "reason"}
    exclusions.exclude_employee(cycle, shop.li.id, "long_leave", "产假至2027年2月")
    db.session.commit()
    with pytest.raises(ServiceError):
        exclusions.exclude_employee(cycle, shop.li.id, "left", "")
    db.session.rollback()
    launch.launch_cycle(cycle)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Exclusion)) == 0
    li = review_of(cycle, shop.li)
    assert (
        li.excluded_at is not None and li.exclusion_reason == "long_leave" and li.exclusion_comment == "产假至2027年2月"
    )
    summary = results.summary(cycle)
    assert summary.total == 4 and sum(summary.by_step.values()) == 4  # 王强 张伟 孙丽 陈静
    names = [row[1] for row in results.export_sheet(cycle).rows]
    assert "李娜" not in names and len(names) == 4
    assert li.id not in {r.id for r in db.session.scalars(services.list_reviews(cycle.id))}
    assert [r.id for r in db.session.scalars(services.list_reviews(cycle.id, excluded=True))] == [li.id]
    with pytest.raises(flow.StepOver):
        fill_self(li)
    db.session.rollback()
    li = review_of(cycle, shop.li)
    exclusions.restore_review(li, li.version)
    db.session.commit()
    assert results.summary(cycle).total == 5 and li.events[-1].action == "restored"


def test_removing_a_review_from_a_running_cycle_lets_the_cycle_close(app, shop, cycle):
    for person in (shop.zhang, shop.li, shop.wang, shop.chen):
        review = review_of(cycle, person)
        exclusions.exclude_review(review, "left", "11月15日离职", review.version)
    db.session.commit()
    sun = review_of(cycle, shop.sun)  # no job description: nothing to score
    with pytest.raises(Conflict):
        exclusions.exclude_review(sun, "left", "", sun.version - 1)
    fill_manager(sun, ratings=(), outcome="no_action")
    with pytest.raises(ServiceError) as refused:
        flow.calibrate(sun, None, "", sun.version, finalise=True)
    assert "reason" in refused.value.errors
    db.session.rollback()
    sun = review_of(cycle, shop.sun)
    flow.calibrate(sun, None, "美工岗位说明书待发布，本期只记录结论。", sun.version, finalise=True)
    services.close_cycle(cycle, cycle.version)
    db.session.commit()
    summary = results.summary(cycle)
    assert cycle.status == "closed" and summary.total == 1 and summary.unscored == 1 and summary.scored == 0
    assert [r.id for r in db.session.scalars(services.list_reviews(cycle.id, unscored=True))] == [sun.id]
    client = app.test_client()
    client.post("/login", data={"email": shop.hr_user.email, "password": factories.PASSWORD})
    page = client.get(f"/appraisals/cycles/{cycle.id}?unscored=1").get_data(as_text=True)
    assert "1 finalised without score" in page and 'data-testid="no-score"' in page and "孙丽" in page
    assert "Excluded from the cycle (4): counted nowhere" in page and "11月15日离职" in page
    # ... and apart in the exports (with HR's reason) and in the results PDF
    rows = list(
        csv.reader(io.StringIO(client.get(f"/appraisals/cycles/{cycle.id}/export.csv").data.decode("utf-8-sig")))
    )
    reason = rows[0].index("Finalised without score: reason")
    assert [row[reason] for row in rows[1:]] == ["美工岗位说明书待发布，本期只记录结论。"]
    pdf = client.get(f"/appraisals/cycles/{cycle.id}/results.pdf?lang=en").data
    assert squeeze("1 finalised without score") in squeeze("".join(pages_text(pdf)))


def test_a_second_review_for_an_overlapping_period_needs_hrs_confirmation(shop, cycle):
    quarter = make_cycle(
        name="Q4",
        period_type="quarterly",
        start=date(2026, 10, 1),
        self_review_due=None,
        manager_review_due=None,
        departments=[shop.ec],
    )
    with pytest.raises(launch.Overlap) as refused:
        launch.launch_cycle(quarter)
    assert [p["name"] for p in refused.value.people] == ["王强", "张伟", "李娜", "孙丽"]
    assert "王强 (E001, 2026-11)" in refused.value.message and "confirm_overlap" in refused.value.errors
    db.session.rollback()
    assert quarter.is_draft and not db.session.scalars(db.select(Review).where(Review.cycle_id == quarter.id)).all()
    for person in (shop.wang, shop.zhang, shop.li):
        exclusions.exclude_employee(quarter, person.id, "other", "已参加11月考核")
    with pytest.raises(launch.Overlap) as refused:
        launch.launch_cycle(quarter)
    assert [p["name"] for p in refused.value.people] == ["孙丽"]
    db.session.rollback()
    assert launch.launch_cycle(quarter, confirm_overlap=True).created == 4
    # another template, or a period that does not overlap: no question asked
    other = make_cycle(
        name="另一模板",
        start=date(2026, 12, 1),
        self_review_due=None,
        manager_review_due=None,
        template_id=_template("required").id,
    )
    assert launch.launch_cycle(other).created == 6
    january = make_cycle(name="1月", start=date(2027, 1, 1), self_review_due=None, manager_review_due=None)
    assert launch.launch_cycle(january).created == 6


@pytest.mark.parametrize(
    "fiscal, period, start, ok",
    [
        (1, "monthly", date(2026, 11, 1), True),
        (1, "monthly", date(2026, 11, 2), False),
        (1, "quarterly", date(2026, 10, 1), True),
        (1, "quarterly", date(2026, 11, 1), False),
        (1, "annual", date(2026, 1, 1), True),
        (1, "annual", date(2026, 4, 1), False),
        (4, "quarterly", date(2026, 1, 1), True),
        (4, "quarterly", date(2026, 2, 1), False),
        (4, "annual", date(2026, 4, 1), True),
        (4, "annual", date(2026, 1, 1), False),
        (1, "custom", date(2026, 11, 17), True),
    ],
)
def test_periods_start_on_their_boundaries(shop, fiscal, period, start, ok):
    from flask import current_app

    current_app.config["FISCAL_YEAR_START_MONTH"] = fiscal
    try:
        data = services.CycleData(
            name="x", period_type=period, start_date=start, end_date=date(2026, 12, 31) if period == "custom" else None
        )
        if ok:
            services.create_cycle(data)
        else:
            with pytest.raises(ServiceError) as refused:
                services.create_cycle(data)
            assert list(refused.value.errors) == ["start_date"]
    finally:
        current_app.config["FISCAL_YEAR_START_MONTH"] = 1
        db.session.rollback()


def test_a_misaligned_date_offers_the_nearest_periods_and_the_end_must_fit(shop):
    with pytest.raises(ServiceError) as refused:
        services.create_cycle(services.CycleData(name="x", period_type="quarterly", start_date=date(2026, 11, 15)))
    message = refused.value.errors["start_date"][0]
    assert "Oct 1, 2026 – Dec 31, 2026" in message and "Jan 1, 2027 – Mar 31, 2027" in message
    with pytest.raises(ServiceError) as refused:
        services.create_cycle(
            services.CycleData(
                name="x", period_type="monthly", start_date=date(2026, 11, 1), end_date=date(2026, 11, 20)
            )
        )
    assert "Nov 30, 2026" in refused.value.errors["end_date"][0]
    cycle = services.create_cycle(
        services.CycleData(name="x", period_type="monthly", start_date=date(2026, 11, 1), end_date=date(2026, 11, 30))
    )
    assert cycle.end_date == date(2026, 11, 30)


def test_the_stalled_list_names_a_reviewee_who_lost_their_account(shop, cycle):
    shop.employee_user.active = False  # 张伟's account is deactivated after the launch
    db.session.commit()
    stalled = reviewers.stalled_reviews(cycle.id, 20)
    by_name = {row["name"]: row for row in stalled.first}
    assert by_name["张伟"]["code"] == "reviewee_no_account" and "Skip" in by_name["张伟"]["remedy"]
    assert by_name["孙丽"]["code"] == "no_jd"
    review = review_of(cycle, shop.zhang)
    assert access.can_skip_self_review_for(shop.hr_user, review)
    flow.skip_self_review(review, review.version, by_hr=True)
    db.session.commit()
    assert review.self_review_state == "skipped_no_account"
    assert "张伟" not in {row["name"] for row in reviewers.stalled_reviews(cycle.id, 20).first}


def test_the_remove_form_refuses_bad_input_at_the_field_and_keeps_it(app, shop, cycle):
    review = review_of(cycle, shop.zhang)
    client = app.test_client()
    client.post("/login", data={"email": shop.hr_user.email, "password": factories.PASSWORD})
    url = f"/appraisals/reviews/{review.id}/exclude"
    refused = client.post(
        url, data={"exclusion-version": review.version, "exclusion-reason": "", "exclusion-comment": "12月起长期病假"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Choose a reason from the list." in page and "12月起长期病假" in page
    assert review_of(cycle, shop.zhang).excluded_at is None
    stale = client.post(url, data={"exclusion-version": review.version + 1, "exclusion-reason": "long_leave"})
    assert stale.status_code == 409 and review_of(cycle, shop.zhang).excluded_at is None
    done = client.post(
        url,
        data={
            "exclusion-version": review.version,
            "exclusion-reason": "long_leave",
            "exclusion-comment": "12月起长期病假",
        },
    )
    assert done.status_code == 302
    review = review_of(cycle, shop.zhang)
    assert review.excluded_at is not None and review.events[-1].action == "excluded"
    # the employee's own page says so, and nothing of the review can be done any more
    employee = app.test_client()
    employee.post("/login", data={"email": shop.employee_user.email, "password": factories.PASSWORD})
    assert "Excluded from the cycle" in employee.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
    assert client.post(f"/appraisals/reviews/{review.id}/restore", data={"version": review.version}).status_code == 302
    assert review_of(cycle, shop.zhang).excluded_at is None


def test_the_template_form_sets_the_self_review_mode(app, shop):
    client = app.test_client()
    client.post("/login", data={"email": shop.hr_user.email, "password": factories.PASSWORD})
    form = {
        "name": "门店考核",
        "kpi_weight": "70",
        "competency_weight": "30",
        "levels": "5",
        "bands-0-band": "A",
        "bands-0-min": "90",
        "bands-1-band": "B",
        "bands-1-min": "0",
        "outcomes-0-code": "reward",
        "self_review": "sometimes",
    }
    refused = client.post("/appraisals/templates/new", data=form)
    assert refused.status_code == 422 and "Choose from the list." in refused.get_data(as_text=True)
    form.update(self_review="optional", reviewer_enters_self_review="y")
    assert client.post("/appraisals/templates/new", data=form).status_code == 302
    template = db.session.scalar(db.select(AppraisalTemplate).where(AppraisalTemplate.name == "门店考核"))
    assert template.self_review == "optional" and template.reviewer_enters_self_review is True
    page = client.get("/appraisals/templates").get_data(as_text=True)
    assert "Optional" in page and "the reviewer may enter it on paper" in page


@pytest.mark.parametrize(("change", "code"), [("deactivated", "inactive"), ("employee role", "cannot_review")])
def test_the_stalled_list_names_a_reviewer_whose_account_cannot_review(shop, cycle, change, code):
    if change == "deactivated":
        shop.manager_user.active = False  # 王强 reviews 张伟 and 李娜
    else:
        shop.manager_user.role = "employee"
    db.session.commit()
    stalled = reviewers.stalled_reviews(cycle.id, 20)
    by_name = {row["name"]: row for row in stalled.first}
    assert by_name["李娜"]["code"] == code and by_name["李娜"]["email"] == shop.manager_user.email
    assert by_name["张伟"]["code"] == code  # can log in for the self-review, but the manager review cannot follow
    assert by_name["孙丽"]["code"] == code  # no job description either: the first reason in REASONS' order
    # the counts by reason, the first few and the list's filter (stalled_condition) agree
    listed = db.session.scalars(services.list_reviews(cycle.id, stalled=True)).all()
    assert stalled.total == len(listed) == len(stalled.first) == sum(n for _reason, n in stalled.by_reason)
    assert {row["id"] for row in stalled.first} == {review.id for review in listed}
