"""Role × endpoint matrix of the API with bearer tokens (tests/test_routes.py runs the same
matrix with session cookies): every API endpoint, each role and an anonymous client."""

from __future__ import annotations

import pytest
from flask import url_for

from app.documents.word import MIMETYPE as DOCX
from tests import factories
from tests.api.conftest import assert_error, launched_cycle
from tests.test_routes import MATRIX, OBJECT_CHECK_FIRST, ROLES

SKIP = {"api_reference.page"}  # an HTML page, in tests/test_routes.py and tests/browser


@pytest.mark.parametrize("role", ROLES + ("anonymous",))
def test_each_role_reaches_exactly_its_api_endpoints(app, api, org, jd, role):
    client = app.test_client() if role == "anonymous" else api(role)
    cycle, review = launched_cycle(org)
    ids = {
        "department_id": org.ops.id,
        "position_id": org.staff.id,
        "employee_id": org.zhang.id,
        "assignment_id": org.zhang.assignments[0].id,
        "version_id": jd.published.id,
        "kpi_id": jd.kpi.id,
        "competency_id": jd.competency.id,
        "template_id": jd.template.id,
        "cycle_id": cycle.id,
        "review_id": review.id,
        "task_id": factories.create_task(org.manager_user).id,
        "exclusion_id": 1,
        "plan_id": _plan(org).id,
        "improvement_plan_id": 1,
        "nomination_id": 1,
        "goal_id": 1,
    }
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in SKIP:
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
        response = client.open(url, method=method, json={} if method != "GET" else None)
        allowed = MATRIX[rule.endpoint]
        if role == "anonymous":
            assert_error(response, 401)
        elif role in allowed and rule.endpoint in OBJECT_CHECK_FIRST:
            assert response.status_code != 401 and response.status_code < 500, (role, method, url)
        elif role in allowed:
            assert response.status_code not in (401, 403) and response.status_code < 500, (
                role,
                method,
                url,
                response.status_code,
            )
            assert (
                response.mimetype in ("application/json", "application/pdf", "image/svg+xml", DOCX)
                or response.status_code == 204
            )
        else:
            assert_error(response, 403)
        checked += 1
    assert checked == len(
        [
            e
            for e in MATRIX
            if e.split(".")[0]
            in {
                "api-docs",
                "departments",
                "positions",
                "employees",
                "assignments",
                "organisation",
                "job_descriptions",
                "job_description_versions",
                "kpis",
                "competencies",
                "appraisal_templates",
                "appraisal_cycles",
                "reviews",
                "printouts",
                "background_tasks",
                "target_plans",
                "improvement_plans",
                "search_api",
                "notifications_api",
                "coverage",
                "review_feedback",
                "review_goals",
            }
        ]
    )


def _plan(org):
    from app.extensions import db
    from app.targets import services

    plan = services.create_plan(org.ops, 2026)
    db.session.commit()
    return plan
