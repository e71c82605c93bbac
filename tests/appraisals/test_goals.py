"""Individual goals (issue 18): set by the employee or the reviewer, agreed with weights adding
up to 100, check-ins, scored as a section with the rescaling rules; pages and API with their
object checks, field errors and versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.appraisals import services
from app.appraisals.models import Goal, GoalCheckIn
from app.appraisals.services import goals, launch
from app.appraisals.services.templates import default_settings
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from tests import factories
from tests.api.conftest import api  # noqa: F401  (the API clients' fixture)
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of


@pytest.fixture
def gc(shop):
    template = services.create_template(
        {
            **default_settings(),
            "name": "goals",
            "kpi_weight": 50,
            "competency_weight": 20,
            "goals": {"enabled": True, "weight": 30},
        }
    )
    cycle = make_cycle(template_id=template.id)
    launch.launch_cycle(cycle)
    db.session.commit()
    return cycle


def _goal(title="Open two new shops", weight="60", krs=None, kpi_code=None):
    return goals.GoalData(
        title=title,
        weight=weight,
        kpi_code=kpi_code,
        key_results=krs or [{"name": "Shops opened", "start": "0", "target": "2"}],
    )


def test_the_template_refuses_weights_that_do_not_add_up(ctx):
    with pytest.raises(ServiceError) as caught:
        services.create_template({**default_settings(), "name": "bad", "goals": {"enabled": True, "weight": 10}})
    assert "competency_weight" in caught.value.errors and "110" in caught.value.errors["competency_weight"][0]


def test_goals_are_checked_agreed_checked_in_and_scored(app, gc, shop):
    review = review_of(gc, shop.zhang)
    with pytest.raises(ServiceError) as caught:
        goals.create_goal(
            review, _goal(title="", weight="101", kpi_code="NOPE", krs=[{"name": "x", "start": "5", "target": "5"}])
        )
    assert {"title", "weight", "kpi_code", "key_results.0.target"} <= set(caught.value.errors)
    db.session.rollback()
    review = review_of(gc, shop.zhang)
    first = goals.create_goal(review, _goal(kpi_code="SALES"))
    second = goals.create_goal(
        review, _goal("Launch the live channel", "30", [{"name": "Channel live", "start": "", "target": ""}])
    )
    db.session.commit()
    with pytest.raises(ServiceError) as caught:
        goals.agree(review, review.version)
    assert "weight" in caught.value.errors and "90" in caught.value.message
    db.session.rollback()
    review = review_of(gc, shop.zhang)
    goals.update_goal(
        goals.get_goal(review, second.id),
        _goal("Launch the live channel", "40", [{"name": "Channel live"}]),
        second.version,
    )
    goals.agree(review, review.version)
    db.session.commit()
    with pytest.raises(ServiceError, match="agreed"):
        goals.create_goal(review, _goal("Late"))
    db.session.rollback()
    first = goals.get_goal(review_of(gc, shop.zhang), first.id)
    with pytest.raises(ServiceError) as caught:
        goals.check_in(first, [{"id": first.key_results[0].id, "current": "1"}], "", None, first.version)
    assert "comment" in caught.value.errors
    db.session.rollback()
    first = goals.get_goal(review_of(gc, shop.zhang), first.id)
    goals.check_in(first, [{"id": first.key_results[0].id, "current": "1"}], "One shop open", None, first.version)
    db.session.commit()
    with pytest.raises(Conflict):
        goals.check_in(first, [], "stale", None, 1)
    db.session.rollback()
    review = review_of(gc, shop.zhang)
    assert [len(g.check_ins) for g in goals.list_goals(review)] == [1, 0]
    # 60 % × 50 (one of two shops) + 40 % × 0 (not live) = 30
    assert goals.section_score(review, services.cycle_settings(gc)) == pytest.approx(30.0)
    fill_self(review)
    fill_manager(review)
    review = services.get_review(review.id)
    assert review.goals_score == pytest.approx(30.0)
    expected = (review.kpi_score * 50 + review.competency_score * 20 + 30.0 * 30) / 100
    assert review.final_score == pytest.approx(expected)


def test_unagreed_goals_leave_the_section_out(app, gc, shop):
    review = review_of(gc, shop.zhang)
    goals.create_goal(review, _goal(weight="100"))
    db.session.commit()
    fill_self(review)
    fill_manager(review)
    review = services.get_review(review.id)
    assert review.goals_score is None
    assert review.final_score == pytest.approx((review.kpi_score * 50 + review.competency_score * 20) / 70)


def test_the_pages_add_goals_with_errors_at_the_field_and_check_object_rights(app, gc, shop):
    review = review_of(gc, shop.zhang)
    employee = factories.logged_in_client(app, shop.employee_user)
    url = f"/appraisals/reviews/{review.id}/goals"
    bad = employee.post(
        url,
        data={"title": "Grow sales", "weight": "60", "kr-0-name": "Sales", "kr-0-start": "100", "kr-0-target": "100"},
    )
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "The target must differ from the start value." in page and 'value="Grow sales"' in page
    assert db.session.scalar(select(db.func.count(Goal.id))) == 0
    assert (
        employee.post(
            url,
            data={
                "title": "Grow sales",
                "weight": "100",
                "kr-0-name": "Sales",
                "kr-0-start": "100",
                "kr-0-target": "150",
            },
        ).status_code
        == 302
    )
    goal = goals.list_goals(review)[0]
    outsider = factories.logged_in_client(app, factories.create_user("employee"))
    assert outsider.post(url, data={"title": "x"}).status_code == 404
    assert (
        employee.post(f"/appraisals/reviews/{review.id}/goals/agree", data={"version": review.version}).status_code
        == 403
    )
    manager = factories.logged_in_client(app, shop.manager_user)
    review = review_of(gc, shop.zhang)
    assert (
        manager.post(f"/appraisals/reviews/{review.id}/goals/agree", data={"version": review.version}).status_code
        == 302
    )
    kr = goal.key_results[0]
    done = employee.post(
        f"/appraisals/reviews/{review.id}/goals/{goal.id}/check-in",
        data={"version": goal.version, f"kr-{kr.id}-current": "125", "comment": "Half way"},
    )
    assert done.status_code == 302
    assert db.session.scalar(select(GoalCheckIn.comment)) == "Half way"
    assert "Half way" in manager.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)


def test_the_api_sets_agrees_and_checks_in_with_versions(app, api, gc, shop):
    review = review_of(gc, shop.zhang)
    employee, manager = api(user=shop.employee_user), api(user=shop.manager_user)
    url = f"/api/v1/reviews/{review.id}/goals"
    bad = employee.post(
        url, json={"title": "Grow", "weight": 100, "key_results": [{"name": "Sales", "start": 5, "target": 5}]}
    )
    assert bad.status_code == 422 and "key_results.0.target" in bad.get_json()["errors"]
    created = employee.post(
        url, json={"title": "Grow", "weight": 100, "key_results": [{"name": "Sales", "start": 0, "target": 10}]}
    )
    assert created.status_code == 201, created.get_json()
    goal = created.get_json()
    stale = employee.put(
        f"{url}/{goal['id']}",
        json={"title": "Grow more", "weight": 100, "key_results": [{"name": "Sales", "start": 0, "target": 20}]},
        headers={"If-Match": 'W/"99"'},
    )
    assert stale.status_code == 409
    listing = manager.get(url)
    assert listing.status_code == 200 and listing.get_json()["goals"][0]["title"] == "Grow"
    assert employee.post(url + "/agree", json={}, headers={"If-Match": listing.headers["ETag"]}).status_code == 403
    agreed = manager.post(url + "/agree", json={}, headers={"If-Match": listing.headers["ETag"]})
    assert agreed.status_code == 200 and agreed.get_json()["agreed_at"]
    current = employee.get(f"{url}/{goal['id']}")
    kr = current.get_json()["key_results"][0]["id"]
    checked = employee.post(
        f"{url}/{goal['id']}/check-ins",
        json={"comment": "Good start", "key_results": [{"id": kr, "current": 5}]},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert checked.status_code == 201 and checked.get_json()["progress"] == 50.0
    assert api("employee").get(url).status_code == 404
