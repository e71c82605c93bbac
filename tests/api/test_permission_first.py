"""Every write of the API checks permission before it reads the body: a change the user may not
make answers 403 (or 404 for a record they may not read) whatever the body, never 422. Walks
every route of the API, for each role, on records inside and outside their scope."""

from __future__ import annotations

from datetime import date

import pytest
from flask import url_for

from app.appraisals.models import Exclusion, ExclusionReason, FeedbackNomination, ImprovementPlan
from app.extensions import db
from tests import factories
from tests.api.conftest import launched_cycle

BAD_BODY = {"not_a_field_of_any_schema": [1, {"x": None}], "version": "one"}


@pytest.mark.parametrize("role", ["employee", "manager", "hr"])
@pytest.mark.parametrize("scope", ["inside", "outside"])
def test_permission_is_checked_before_the_body(app, api, org, jd, role, scope):
    client = api(role)
    cycle, review = launched_cycle(org)
    task = factories.create_task(org.manager_user)
    exclusion = Exclusion(cycle_id=cycle.id, employee_id=org.chen.id, reason=ExclusionReason.LONG_LEAVE.value)
    db.session.add(exclusion)
    plan_for = org.zhang if scope == "inside" else org.chen
    plan = ImprovementPlan(
        employee_id=plan_for.id,
        position_id=plan_for.assignments[0].position_id,
        start_date=date(2026, 12, 1),
        end_date=date(2027, 2, 28),
    )
    db.session.add(plan)
    from app.targets import services as targets

    plans = {"inside": targets.create_plan(org.ops, 2026), "outside": targets.create_plan(org.hr, 2026)}
    # a feedback request of 李娜 on 张伟's review (nobody of the test's roles may answer it)
    nomination = FeedbackNomination(
        review_id=review.id, respondent_id=org.li.id, relation="peer", status="approved", nominated_by="hr"
    )
    db.session.add(nomination)
    db.session.commit()
    if scope == "inside":
        ids = {
            "department_id": org.ops.id,
            "position_id": org.staff.id,
            "employee_id": org.zhang.id,
            "assignment_id": org.zhang.assignments[0].id,
            "version_id": jd.draft.id,
        }
    else:
        ids = {
            "department_id": org.hr.id,
            "position_id": org.hr_mgr.id,
            "employee_id": org.chen.id,
            "assignment_id": org.chen.assignments[0].id,
            "version_id": jd.approved.id,
        }
    ids.update(
        kpi_id=jd.kpi.id,
        competency_id=jd.competency.id,
        template_id=jd.template.id,
        cycle_id=cycle.id,
        review_id=review.id,
        task_id=task.id,
        exclusion_id=exclusion.id,
        plan_id=plans[scope].id,
        improvement_plan_id=plan.id,
        nomination_id=nomination.id,
        goal_id=1,
    )
    checked = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            with app.test_request_context():
                url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
            bad = client.open(url, method=method, json=BAD_BODY, headers={"If-Match": 'W/"1"'})
            empty = client.open(url, method=method, json={}, headers={"If-Match": 'W/"1"'})
            if empty.status_code in (403, 404) and bad.status_code >= 400:  # (bad may have been allowed)
                assert bad.status_code == empty.status_code, (role, scope, method, url, bad.status_code, bad.get_json())
                checked.append((method, url))
            assert bad.status_code < 500 and empty.status_code < 500, (method, url)
    if role != "hr":
        assert checked, "no refused change was tried"
