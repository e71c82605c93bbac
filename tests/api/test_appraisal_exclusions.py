"""The API of account-less appraisals: paper reviews on someone's behalf, skipping the
self-review, exclusions before and after the launch, the overlap refusal, aligned periods and
finalising without score: 403 before any body check, 422 naming the field, 409 on a stale
version, ETags, and everything audited."""

from __future__ import annotations

from datetime import date

from app.appraisals import services
from app.appraisals.models import Review
from app.appraisals.services import launch
from app.audit.models import AuditEvent
from app.extensions import db
from tests.api.conftest import assert_error, launched_cycle


def _review(cycle, employee) -> Review:
    return db.session.scalar(db.select(Review).where(Review.cycle_id == cycle.id, Review.employee_id == employee.id))


def test_an_account_less_review_and_the_paper_self_review(api, org):
    cycle, zhang = launched_cycle(org)
    li = _review(cycle, org.li)
    hr, manager, employee = api("hr"), api(user=org.manager_user), api(user=org.employee_user)
    body = hr.get(f"/api/v1/reviews/{li.id}").json
    assert body["status"] == "manager_review" and body["self_review_state"] == "skipped_no_account"
    # 403 before the body is read, for someone who may not enter it
    assert employee.post(f"/api/v1/reviews/{zhang.id}/paper-self-review", json={"bad": 1}).status_code == 403
    assert manager.post(f"/api/v1/reviews/{zhang.id}/paper-self-review", json={}).status_code == 403
    assert_error(
        hr.post(f"/api/v1/reviews/{zhang.id}/paper-self-review", json={"version": zhang.version, "submit": "maybe"}),
        422,
        "submit",
    )
    stale = hr.post(
        f"/api/v1/reviews/{zhang.id}/paper-self-review", json={"version": zhang.version + 5, "comment": "x"}
    )
    assert stale.status_code == 409
    done = hr.post(
        f"/api/v1/reviews/{zhang.id}/paper-self-review",
        json={"version": zhang.version, "comment": "纸质自评", "submit": True},
    )
    assert done.status_code == 200, done.json
    assert done.json["status"] == "manager_review" and done.json["self_review_state"] == "on_behalf"
    assert done.headers["ETag"] == f'W/"{done.json["version"]}"'
    # the paper self-review of an account-less employee, during the manager review
    late = hr.post(
        f"/api/v1/reviews/{li.id}/paper-self-review", json={"version": li.version, "comment": "纸质", "submit": True}
    )
    assert late.status_code == 200 and late.json["status"] == "manager_review"
    assert late.json["self_review_state"] == "on_behalf" and late.json["self_comment"] == "纸质"
    # once entered, there is nothing skipped to enter any more
    assert_error(hr.post(f"/api/v1/reviews/{li.id}/paper-self-review", json={"version": late.json["version"]}), 422)


def test_skipping_an_optional_self_review_and_finalising_without_score(api, org):
    template = services.create_template(
        {**services.template_data(services.default_template()), "name": "可选自评", "self_review": "optional"}
    )
    db.session.commit()
    cycle = services.create_cycle(
        services.CycleData(name="12月", period_type="monthly", start_date=date(2026, 12, 1), template_id=template.id)
    )
    launch.launch_cycle(cycle)
    db.session.commit()
    zhang = _review(cycle, org.zhang)
    assert api("hr").get(f"/api/v1/appraisal-templates/{template.id}").json["self_review"] == "optional"
    employee = api(user=org.employee_user)
    assert employee.post(f"/api/v1/reviews/{zhang.id}/skip-self-review", json={}).status_code == 403
    manager = api(user=org.manager_user)  # 王强 is not 张伟's reviewer (李娜 is): not his to skip
    assert manager.post(f"/api/v1/reviews/{zhang.id}/skip-self-review", json={"version": 1}).status_code == 403
    hr = api("hr")
    skipped = hr.post(f"/api/v1/reviews/{zhang.id}/skip-self-review", json={"version": zhang.version})
    assert skipped.status_code == 200 and skipped.json["self_review_state"] == "skipped_optional"
    assert (
        hr.post(f"/api/v1/reviews/{zhang.id}/skip-self-review", json={"version": skipped.json["version"]}).status_code
        == 409
    )  # already past the step

    chen = _review(cycle, org.chen)  # no job description, no reviewer: HR names one and enters the paper review
    named = hr.post(f"/api/v1/reviews/{chen.id}/reviewer", json={"version": chen.version, "reviewer_id": org.li.id})
    assert named.status_code == 200
    submitted = hr.post(
        f"/api/v1/reviews/{chen.id}/submit",
        json={"version": named.json["version"], "outcome": "no_action", "submit": True},
    )
    assert submitted.status_code == 200 and submitted.json["status"] == "calibration", submitted.json
    refused = assert_error(
        hr.post(f"/api/v1/reviews/{chen.id}/finalise", json={"version": submitted.json["version"]}), 422, "reason"
    )
    assert "no score" in refused["message"]
    final = hr.post(
        f"/api/v1/reviews/{chen.id}/finalise",
        json={"version": submitted.json["version"], "reason": "人事部经理岗位说明书待发布"},
    )
    assert final.status_code == 200 and final.json["finalised_without_score"] is True
    assert final.json["unscored_reason"] == "人事部经理岗位说明书待发布"
    results = hr.get(f"/api/v1/appraisal-cycles/{cycle.id}/results").json
    assert results["finalised_without_score"] == 1 and results["finalised"] == 1 and results["scored"] == 0
    listed = hr.get(f"/api/v1/reviews?cycle_id={cycle.id}&finalised_without_score=true").json
    assert [r["id"] for r in listed["items"]] == [chen.id]


def test_exclusions_before_and_after_the_launch(api, org):
    cycle = services.create_cycle(
        services.CycleData(name="2026-11", period_type="monthly", start_date=date(2026, 11, 1))
    )
    db.session.commit()
    hr, manager = api("hr"), api(user=org.manager_user)
    url = f"/api/v1/appraisal-cycles/{cycle.id}/exclusions"
    assert manager.post(url, json={"nonsense": True}).status_code == 403
    assert_error(hr.post(url, json={"employee_id": org.li.id, "reason": "holiday"}), 422, "reason")
    assert_error(hr.post(url, json={"employee_id": 999999, "reason": "left"}), 422, "employee_id")
    assert_error(hr.post(url, json={"employee_id": org.li.id, "reason": "other"}), 422, "comment")
    assert (
        hr.post(url, json={"employee_id": org.li.id, "reason": "left", "version": cycle.version + 3}).status_code == 409
    )
    created = hr.post(url, json={"employee_id": org.li.id, "reason": "long_leave", "comment": "产假"})
    assert created.status_code == 201 and created.json["employee_name"] == "李娜"
    assert [e["reason"] for e in hr.get(url).json] == ["long_leave"]
    other = hr.post(url, json={"employee_id": org.chen.id, "reason": "joined_late"}).json
    assert hr.delete(f"{url}/{other['id']}").status_code == 204
    assert hr.delete(f"{url}/{other['id']}").status_code == 404
    launched = hr.post(f"/api/v1/appraisal-cycles/{cycle.id}/launch", json={"version": cycle.version})
    assert launched.status_code == 200 and launched.json["created"] == 4 and launched.json["excluded"] == 1
    assert hr.get(url).json == []
    excluded = hr.get(f"/api/v1/reviews?cycle_id={cycle.id}&excluded=true").json["items"]
    assert [(r["employee_name"], r["exclusion_reason"], r["excluded"]) for r in excluded] == [
        ("李娜", "long_leave", True)
    ]
    assert hr.get(f"/api/v1/reviews?cycle_id={cycle.id}").json["total"] == 3
    assert hr.get(f"/api/v1/appraisal-cycles/{cycle.id}/results").json["total"] == 3

    zhang = _review(cycle, org.zhang)
    review_url = f"/api/v1/reviews/{zhang.id}"
    assert manager.post(f"{review_url}/exclude", json={}).status_code == 403
    assert_error(hr.post(f"{review_url}/exclude", json={"version": zhang.version}), 422, "reason")
    assert hr.post(f"{review_url}/exclude", json={"version": zhang.version + 1, "reason": "left"}).status_code == 409
    removed = hr.post(f"{review_url}/exclude", json={"version": zhang.version, "reason": "left", "comment": "11月离职"})
    assert removed.status_code == 200 and removed.json["excluded"] is True
    employee = api(user=org.employee_user)
    blocked = employee.post(f"{review_url}/submit", json={"version": removed.json["version"], "comment": "x"})
    assert blocked.status_code == 409
    restored = hr.post(f"{review_url}/restore", json={"version": removed.json["version"]})
    assert (
        restored.status_code == 200 and restored.json["excluded"] is False and restored.json["status"] == "self_review"
    )
    actions = set(
        db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.entity.in_(["appraisal_exclusions", "appraisal_reviews"]))
        )
    )
    assert {"create", "delete", "update"} <= actions


def test_the_overlap_refusal_and_aligned_periods(api, org):
    cycle, _zhang = launched_cycle(org)
    hr = api("hr")
    quarter = hr.post(
        "/api/v1/appraisal-cycles", json={"name": "Q4", "period_type": "quarterly", "start_date": "2026-10-01"}
    )
    assert quarter.status_code == 201
    launch_url = f"/api/v1/appraisal-cycles/{quarter.json['id']}/launch"
    refused = assert_error(hr.post(launch_url, json={"version": quarter.json["version"]}), 409, "confirm_overlap")
    assert "王强 (E001, 2026-11)" in refused["message"]
    assert hr.get(f"/api/v1/appraisal-cycles/{quarter.json['id']}").json["status"] == "draft"
    confirmed = hr.post(launch_url, json={"version": quarter.json["version"], "confirm_overlap": True})
    assert confirmed.status_code == 200 and confirmed.json["created"] == 4
    misaligned = assert_error(
        hr.post("/api/v1/appraisal-cycles", json={"name": "x", "period_type": "monthly", "start_date": "2026-12-05"}),
        422,
        "start_date",
    )
    assert "Dec 1, 2026 – Dec 31, 2026" in misaligned["errors"]["start_date"][0]
    assert_error(
        hr.post(
            "/api/v1/appraisal-cycles",
            json={"name": "x", "period_type": "monthly", "start_date": "2026-12-01", "end_date": "2026-12-20"},
        ),
        422,
        "end_date",
    )
    custom = hr.post(
        "/api/v1/appraisal-cycles",
        json={"name": "x", "period_type": "custom", "start_date": "2026-12-05", "end_date": "2026-12-20"},
    )
    assert custom.status_code == 201
