"""A cycle over the demo's whole company, taken to closed by HR and managers alone, in a real
browser, without any employee account: a misaligned start date refused with the nearest
periods, the general manager excluded before the launch (reviewed by the board), the stalled
list with its remedies, the self-reviews of staff without an account skipped, a paper
self-review entered by HR for the one employee who has an account, the paper manager reviews
of team leads without an account entered by HR, 王强's own reviews, HR finalising (reviews
without a job description with a reason), and the cycle closed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.appraisals.models import AppraisalCycle, Review
from app.auth.models import User
from app.demo.services import DEMO_PASSWORD, load_demo
from app.extensions import db
from app.org.models import Employee

pytestmark = pytest.mark.browser


def _as(browser, live_server, email):
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    return page


def _fill_and_submit(page) -> None:
    """Fill the open step form (paper or own): every actual, every rating, the outcome."""
    form = page.get_by_test_id("step-form")
    for field in form.locator("input[name$='-actual']").all():
        if not field.input_value():
            field.fill("100")
    for rating in form.locator("select[name$='-rating']").all():
        rating.select_option("3")
    outcome = form.locator("select[name='outcome']")
    if outcome.count():
        outcome.select_option("no_action")
    page.get_by_test_id("submit").click()
    expect(page.locator(".alert-success")).to_be_visible()


def _reviews(cycle_id: int, status: str | None = None) -> list[Review]:
    db.session.expire_all()
    query = select(Review).where(Review.cycle_id == cycle_id, Review.excluded_at.is_(None)).order_by(Review.id)
    if status:
        query = query.where(Review.status == status)
    return list(db.session.scalars(query))


def test_hr_and_managers_close_a_whole_company_cycle_without_employee_accounts(browser, live_server, ctx, screenshot):
    load_demo()
    db.session.commit()
    used: set[str] = set()
    hr = _as(browser, live_server, "hr@rolebook.demo")
    used.add("hr")

    # A misaligned start date is refused at the field, with the nearest months offered, input kept
    hr.goto(live_server + "/appraisals/cycles/new")
    hr.get_by_label("Name").fill("2026年12月全员考核")
    hr.get_by_label("Period").select_option("monthly")
    hr.get_by_label("Start date").fill("2026-12-05")
    hr.get_by_role("button", name="Save cycle").click()
    expect(hr.locator(".invalid-feedback").first).to_contain_text("Dec 1, 2026 – Dec 31, 2026")
    expect(hr.get_by_label("Start date")).to_have_value("2026-12-05")
    hr.get_by_label("Start date").fill("2026-12-01")
    hr.get_by_role("button", name="Save cycle").click()
    expect(hr.get_by_test_id("cycle-status")).to_have_text("Not launched")
    cycle_url = hr.url
    cycle = db.session.scalar(select(AppraisalCycle).where(AppraisalCycle.name == "2026年12月全员考核"))

    # The general manager is reviewed by the board: excluded before the launch, with the reason
    exclusions = hr.get_by_test_id("exclusions")
    exclusions.get_by_label("Employee number").fill("E0001")
    exclusions.get_by_label("Reason").select_option("other")
    hr.get_by_test_id("exclude-employee").click()
    expect(hr.get_by_test_id("exclusions").locator(".invalid-feedback")).to_contain_text("Say what the reason is")
    expect(hr.get_by_test_id("exclusions").get_by_label("Employee number")).to_have_value("E0001")
    hr.get_by_test_id("exclusions").get_by_label("Comment").fill("总经理由董事会考核")
    hr.get_by_test_id("exclude-employee").click()
    expect(hr.get_by_test_id("exclusions")).to_contain_text("总经理由董事会考核")

    hr.get_by_test_id("launch").click()
    expect(hr.get_by_test_id("cycle-status")).to_have_text("Running")
    stalled = hr.get_by_test_id("stalled-reviews")
    expect(stalled).to_contain_text("The reviewer has no account")
    expect(stalled.get_by_test_id("remedy").first).to_be_visible()
    expect(hr.get_by_test_id("excluded-reviews")).to_contain_text("周建华")
    screenshot(hr, "accountless-1-launched-en")

    reviews = _reviews(cycle.id)
    numbers = {r.id: r.employee.employee_no for r in reviews}
    assert len(reviews) == 27 and "E0001" not in numbers.values()
    skipped = [r for r in reviews if r.self_review_state == "skipped_no_account"]
    assert len(skipped) == 24 and all(r.status == "manager_review" for r in skipped)

    # 陈静 has an (employee) account but hands in a paper form: HR enters it on her behalf
    chen = next(r for r in reviews if numbers[r.id] == "E0015")
    hr.goto(f"{live_server}/appraisals/reviews/{chen.id}")
    expect(hr.get_by_test_id("on-behalf")).to_contain_text("陈静")
    _fill_and_submit(hr)
    expect(hr.get_by_test_id("self-review-state")).to_contain_text("Entered on paper")
    screenshot(hr, "accountless-2-paper-self-review-en")

    # 李娜 (HR) and 王强 (manager) do their own self-reviews
    mine = next(r for r in reviews if numbers[r.id] == "E0013")
    hr.goto(f"{live_server}/appraisals/reviews/{mine.id}")
    _fill_and_submit(hr)
    manager = _as(browser, live_server, "manager@rolebook.demo")
    used.add("manager")
    wang = next(r for r in reviews if numbers[r.id] == "E0003")
    manager.goto(f"{live_server}/appraisals/reviews/{wang.id}")
    _fill_and_submit(manager)

    # 王强's manager reviews, then HR enters the paper ones of the team leads without an account
    manager_account = db.session.scalar(select(User).where(User.email == "manager@rolebook.demo"))
    wang_id = db.session.scalar(select(Employee.id).where(Employee.user_id == manager_account.id))
    for review in _reviews(cycle.id, "manager_review"):
        if review.reviewer_id == wang_id:
            manager.goto(f"{live_server}/appraisals/reviews/{review.id}")
            _fill_and_submit(manager)
    admin = None
    for review in _reviews(cycle.id, "manager_review"):
        page = hr
        if numbers[review.id] == "E0013":  # HR never acts on her own review: the administrator does
            admin = admin or _as(browser, live_server, "admin@rolebook.demo")
            used.add("admin")
            page = admin
        page.goto(f"{live_server}/appraisals/reviews/{review.id}")
        expect(page.get_by_test_id("on-behalf")).to_be_visible()
        _fill_and_submit(page)
    assert not _reviews(cycle.id, "self_review") and not _reviews(cycle.id, "manager_review")
    history = hr.goto(f"{live_server}/appraisals/reviews/{reviews[5].id}")
    assert history.ok
    expect(hr.get_by_test_id("history")).to_contain_text("Manager review entered on the reviewer’s behalf")

    # HR finalises: a review without a job description needs the reason
    for review in _reviews(cycle.id, "calibration"):
        page = admin if numbers[review.id] == "E0013" else hr
        page.goto(f"{live_server}/appraisals/reviews/{review.id}")
        calibration = page.get_by_test_id("calibration")
        if review.final_score is None:
            calibration.get_by_test_id("finalise").click()
            expect(page.locator(".invalid-feedback").first).to_contain_text("give the reason")
            page.get_by_test_id("calibration").locator("textarea").fill("岗位说明书未发布，本期只记录结论。")
            page.get_by_test_id("calibration").get_by_test_id("finalise").click()
        else:
            calibration.get_by_test_id("finalise").click()
        expect(page.locator(".alert-success")).to_contain_text("Finalised")

    hr.goto(cycle_url)
    expect(hr.get_by_test_id("unscored-count")).to_contain_text("finalised without score")
    hr.get_by_role("button", name="Close the cycle").click()
    expect(hr.get_by_test_id("cycle-status")).to_have_text("Closed")
    screenshot(hr, "accountless-3-closed-en")
    db.session.expire_all()
    assert db.session.get(AppraisalCycle, cycle.id).status == "closed"
    assert used == {"hr", "manager", "admin"}  # no employee account was used
    assert not db.session.scalars(
        select(Review.id).where(Review.cycle_id == cycle.id, Review.acknowledged_at.is_not(None))
    ).all()
