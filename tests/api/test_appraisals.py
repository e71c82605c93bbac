"""The appraisal endpoints: cycles (create, change, launch, results), reviews scoped per role,
the steps with versions (409 on a stale one), bad input as 4xx JSON naming the field."""

from __future__ import annotations

from app.appraisals.models import Review
from app.extensions import db
from tests import factories
from tests.api.conftest import assert_error, launched_cycle


def _review(review_id):
    db.session.expire_all()
    return db.session.get(Review, review_id)


def _with_jd(org):
    sales = factories.create_kpi("SALES", "销售额")
    skill = factories.create_competency("OPS", "运营能力")
    factories.publish_jd(
        org.staff,
        factories.jd_content("运营专员", kpis=[(sales, 100, 100, "monthly", 80, 120)], competencies=[(skill, 3)]),
    )
    return launched_cycle(org)


def test_cycles_are_created_changed_and_launched_once(api, org):
    hr = api("hr")
    response = hr.post(
        "/api/v1/appraisal-cycles",
        json={"name": "坏", "period_type": "custom", "start_date": "2026-11-30", "end_date": "2026-11-01"},
    )
    assert_error(response, 422, "end_date")
    response = hr.post(
        "/api/v1/appraisal-cycles",
        json={"name": "2026 Q4", "period_type": "quarterly", "start_date": "2026-10-01", "department_ids": [org.ec.id]},
    )
    assert response.status_code == 201, response.json
    cycle = response.json
    assert cycle["end_date"] == "2026-12-31" and cycle["department_ids"] == [org.ec.id] and cycle["status"] == "draft"
    stale = response.headers["ETag"]
    response = hr.patch(
        f"/api/v1/appraisal-cycles/{cycle['id']}", json={"name": "2026年第四季度"}, headers={"If-Match": stale}
    )
    assert response.status_code == 200 and response.json["name"] == "2026年第四季度"
    assert_error(
        hr.patch(f"/api/v1/appraisal-cycles/{cycle['id']}", json={"name": "x"}, headers={"If-Match": stale}), 409
    )
    first = hr.post(f"/api/v1/appraisal-cycles/{cycle['id']}/launch", json={"version": response.json["version"]})
    assert first.status_code == 200 and first.json["created"] == 3 and first.json["cycle"]["status"] == "running"
    second = hr.post(f"/api/v1/appraisal-cycles/{cycle['id']}/launch", json={"version": first.json["cycle"]["version"]})
    assert second.json["created"] == 0 and second.json["existing"] == 3
    assert_error(
        hr.patch(
            f"/api/v1/appraisal-cycles/{cycle['id']}",
            json={"start_date": "2026-10-02", "version": second.json["cycle"]["version"]},
        ),
        422,
        "start_date",
    )
    assert_error(api("employee").get("/api/v1/appraisal-cycles"), 403)


def test_reviews_are_listed_within_each_roles_scope(api, org):
    _cycle, _review_obj = launched_cycle(org)
    names = lambda client: {r["employee_name"] for r in client.get("/api/v1/reviews?per_page=100").json["items"]}  # noqa: E731
    assert names(api("hr")) == {"王强", "李娜", "张伟", "陈静"}
    assert names(api(user=org.manager_user)) == {"王强", "李娜", "张伟"}  # own and subtree
    assert names(api(user=org.employee_user)) == {"张伟"}
    other = db.session.scalar(db.select(Review.id).where(Review.employee_id == org.chen.id))
    assert_error(api(user=org.employee_user).get(f"/api/v1/reviews/{other}"), 404)
    assert_error(api(user=org.manager_user).get(f"/api/v1/reviews/{other}"), 404)


def test_the_steps_with_versions_and_bad_input(api, org):
    _cycle, review = _with_jd(org)
    employee = api(user=org.employee_user)
    got = employee.get(f"/api/v1/reviews/{review.id}")
    kpi, rating = got.json["kpis"][0], got.json["competencies"][0]
    etag = got.headers["ETag"]
    body = {"kpis": [{"id": kpi["id"], "actual": -5}], "competencies": [{"id": rating["id"], "rating": 3}]}
    assert (
        "cannot be negative"
        in assert_error(
            employee.post(f"/api/v1/reviews/{review.id}/submit", json=body, headers={"If-Match": etag}),
            422,
            "kpis.0.actual",
        )["errors"]["kpis.0.actual"][0]
    )
    assert_error(
        employee.post(
            f"/api/v1/reviews/{review.id}/submit",
            json={"kpis": [{"id": kpi["id"], "actual": "很多"}]},
            headers={"If-Match": etag},
        ),
        422,
        "kpis.0.actual",
    )
    assert_error(
        employee.post(
            f"/api/v1/reviews/{review.id}/submit",
            json={"competencies": [{"id": rating["id"], "rating": 7}]},
            headers={"If-Match": etag},
        ),
        422,
        "competencies.0.rating",
    )
    assert_error(employee.post(f"/api/v1/reviews/{review.id}/submit", json=body), 428)
    assert _review(review.id).kpi_results[0].actual is None  # nothing changed
    body["kpis"][0]["actual"] = 110
    body["submit"] = True
    response = employee.post(f"/api/v1/reviews/{review.id}/submit", json=body, headers={"If-Match": etag})
    assert response.status_code == 200 and response.json["status"] == "manager_review"
    assert response.json["kpis"][0]["attainment"] == 110
    # submitted twice: said as clearly as on the page, not a bare "no permission"
    twice = assert_error(
        employee.post(f"/api/v1/reviews/{review.id}/submit", json=body, headers={"If-Match": response.headers["ETag"]}),
        409,
    )
    assert "already submitted" in twice["message"]
    assert _review(review.id).status == "manager_review"
    lead = factories.create_user("manager")  # 李娜 holds the post above 张伟's: she reviews him
    org.li.user_id = lead.id
    db.session.commit()
    manager = api(user=lead)
    assert_error(
        manager.post(f"/api/v1/reviews/{review.id}/submit", json={"comment": "旧"}, headers={"If-Match": etag}), 409
    )  # based on the version before the self-review
    version = response.json["version"]
    response = manager.post(
        f"/api/v1/reviews/{review.id}/submit",
        json={
            "version": version,
            "competencies": [{"id": rating["id"], "rating": 4}],
            "outcome": "reward",
            "comment": "好",
            "submit": True,
        },
    )
    assert response.status_code == 200 and response.json["status"] == "calibration"
    assert response.json["final_score"] == 110 * 0.7 + 80 * 0.3 and response.json["band"] == "A"
    hr = api("hr")
    version = response.json["version"]
    assert_error(
        hr.post(f"/api/v1/reviews/{review.id}/submit", json={"version": version, "calibrated_band": "B"}), 422, "reason"
    )
    response = hr.post(
        f"/api/v1/reviews/{review.id}/submit",
        json={"version": version, "calibrated_band": "B", "reason": "校准", "submit": True},
    )
    assert response.json["status"] == "finalised" and response.json["calibrated_band"] == "B"
    late = assert_error(
        manager.post(
            f"/api/v1/reviews/{review.id}/submit", json={"version": response.json["version"], "comment": "改"}
        ),
        409,
    )
    assert "finalised and locked" in late["message"]
    response = employee.post(f"/api/v1/reviews/{review.id}/acknowledge", json={"version": response.json["version"]})
    assert response.status_code == 200 and response.json["acknowledged_at"]
    assert_error(
        hr.post(
            f"/api/v1/reviews/{review.id}/reopen",
            json={"version": response.json["version"], "step": "manager_review", "reason": ""},
        ),
        422,
        "reason",
    )
    response = hr.post(
        f"/api/v1/reviews/{review.id}/reopen",
        json={"version": response.json["version"], "step": "manager_review", "reason": "申诉"},
    )
    assert response.json["status"] == "manager_review" and response.json["acknowledged_at"] is None
    assert response.json["calibrated_band"] is None and response.json["band"] == "A"  # calibrated again later


def test_a_step_is_only_saved_unless_submit_is_true(api, org):
    _cycle, review = _with_jd(org)
    employee = api(user=org.employee_user)
    got = employee.get(f"/api/v1/reviews/{review.id}")
    kpi, rating = got.json["kpis"][0], got.json["competencies"][0]
    complete = {"kpis": [{"id": kpi["id"], "actual": 100}], "competencies": [{"id": rating["id"], "rating": 3}]}
    response = employee.post(
        f"/api/v1/reviews/{review.id}/submit", json=complete, headers={"If-Match": got.headers["ETag"]}
    )
    assert response.status_code == 200 and response.json["status"] == "self_review"  # saved, not handed on
    assert response.json["kpis"][0]["actual"] == 100 and response.json["provisional"] is True
    response = employee.post(
        f"/api/v1/reviews/{review.id}/submit", json={"submit": True}, headers={"If-Match": response.headers["ETag"]}
    )
    assert response.json["status"] == "manager_review"
    lead = factories.create_user("manager")
    org.li.user_id = lead.id
    db.session.commit()
    response = api(user=lead).post(
        f"/api/v1/reviews/{review.id}/submit",
        json={
            "version": response.json["version"],
            "competencies": [{"id": rating["id"], "rating": 4}],
            "outcome": "reward",
            "submit": True,
        },
    )
    assert response.json["status"] == "calibration"
    hr = api("hr")
    response = hr.post(
        f"/api/v1/reviews/{review.id}/submit",
        json={"version": response.json["version"], "calibrated_band": "B", "reason": "校准"},
    )
    assert response.status_code == 200 and response.json["status"] == "calibration"  # calibrated, not finalised
    assert response.json["calibrated_band"] == "B" and response.json["finalised_at"] is None
    # not finalised: a provisional score, counted in no result
    summary = hr.get(f"/api/v1/appraisal-cycles/{review.cycle_id}/results").json
    assert (summary["finalised"], summary["scored"], summary["provisional"], summary["average"]) == (0, 0, 1, None)
    assert sum(band["count"] for band in summary["bands"]) == 0
    spec = hr.get("/api/v1/openapi.json").json["components"]["schemas"]["StepIn"]["properties"]["submit"]
    assert spec["default"] is False


def test_nobody_reviews_themselves(api, org):
    _cycle, _review_obj = launched_cycle(org)
    wang = db.session.scalar(db.select(Review).where(Review.employee_id == org.wang.id))
    hr = api("hr")
    response = hr.post(
        f"/api/v1/reviews/{wang.id}/reviewer", json={"version": wang.version, "reviewer_id": org.wang.id}
    )
    assert_error(response, 422, "reviewer_id")
    response = hr.post(
        f"/api/v1/reviews/{wang.id}/reviewer", json={"version": wang.version, "reviewer_id": org.chen.id}
    )
    assert (
        response.status_code == 200
        and response.json["reviewer_id"] == org.chen.id
        and response.json["notes"] == ["no_jd"]
    )


def test_results_summary(api, org):
    cycle, _review = launched_cycle(org)
    body = api("hr").get(f"/api/v1/appraisal-cycles/{cycle.id}/results").json
    # the two employees without an account start at the manager review (self-review skipped)
    assert body["total"] == 4 and body["by_step"]["self_review"] == 2 and body["by_step"]["manager_review"] == 2
    assert body["average"] is None and body["finalised_without_score"] == 0
    assert [b["label"] for b in body["bands"]] == ["A", "B", "C", "D"] and len(body["histogram"]) == 12
    mine = api(user=org.manager_user).get(f"/api/v1/appraisal-cycles/{cycle.id}/results?department_id={org.ops.id}")
    assert mine.json["total"] == 2 and mine.json["departments"][0]["name"] == "运营组"
    assert_error(
        api(user=org.manager_user).get(f"/api/v1/appraisal-cycles/{cycle.id}/results?department_id=999999"),
        422,
        "department_id",
    )


def test_appraisal_templates_are_read_only_for_hr(api, ctx):
    from app.appraisals import services as appraisal_services
    from app.appraisals.services.templates import default_settings
    from app.db import utcnow

    standard = appraisal_services.create_template(default_settings())
    old = appraisal_services.create_template(
        {**default_settings(), "name": "旧模板", "kpi_weight": 60, "competency_weight": 40}
    )
    old.archived_at = utcnow()
    db.session.commit()
    hr = api("hr")
    listed = hr.get("/api/v1/appraisal-templates")
    assert listed.status_code == 200 and [t["id"] for t in listed.json["items"]] == [standard.id]
    everything = hr.get("/api/v1/appraisal-templates?include_archived=true").json
    assert {t["name"]: t["archived"] for t in everything["items"]} == {standard.name: False, "旧模板": True}
    one = hr.get(f"/api/v1/appraisal-templates/{old.id}")
    assert one.status_code == 200 and one.headers["ETag"] == f'W/"{old.version}"'
    assert (one.json["kpi_weight"], one.json["competency_weight"]) == (60, 40)
    assert one.json["bands"][0]["band"] == standard.bands[0]["band"] and one.json["scale"][0]["level"] == 1
    assert_error(hr.get("/api/v1/appraisal-templates/999999"), 404)
    assert_error(api("employee").get("/api/v1/appraisal-templates"), 403)
    assert_error(api("manager").get(f"/api/v1/appraisal-templates/{standard.id}"), 403)
    assert hr.post("/api/v1/appraisal-templates", json={"name": "新"}).status_code == 405
