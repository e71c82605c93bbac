"""Object rules of the job-description API, as on the pages: employees see the published
versions of the positions they hold; managers draft for the positions below their own and never
review; everything else answers 404 exactly like an id that does not exist (nothing leaked), or
403 for what the user may see but not do."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.jobs import services
from app.jobs.models import JobDescriptionVersion
from tests import factories
from tests.api.conftest import assert_error

VERSIONS = "/api/v1/job-descriptions/versions"
MISSING = 999999


def _hidden(client, url: str, missing_url: str, *secrets: str) -> None:
    """``url`` answers exactly like ``missing_url`` (a 404), and says none of ``secrets``."""
    response, missing = client.get(url), client.get(missing_url)
    assert_error(response, 404)
    assert response.get_data() == missing.get_data(), (url, response.json, missing.json)
    for secret in secrets:
        assert secret not in response.get_data(as_text=True)


def _version_urls(version_id: int) -> list[tuple[str, str]]:
    """Every URL that reads a version: (url, the same for a missing version)."""
    return [
        (f"{VERSIONS}/{version_id}", f"{VERSIONS}/{MISSING}"),
        (f"{VERSIONS}/{version_id}/lint", f"{VERSIONS}/{MISSING}/lint"),
        (f"{VERSIONS}/{version_id}/compare?with={version_id}", f"{VERSIONS}/{MISSING}/compare?with={version_id}"),
    ]


def test_an_employee_sees_the_published_versions_of_their_position_only(api, org, jd):
    draft = services.start_draft(org.staff, None)  # HR works on v2 of the employee's own position
    db.session.commit()
    employee = api(user=org.employee_user)

    own = employee.get(f"{VERSIONS}/{jd.published.id}")
    assert own.status_code == 200 and own.json["title"] == "运营专员"
    assert employee.get(f"/api/v1/positions/{org.staff.id}/job-description").json["id"] == jd.published.id
    history = employee.get(f"/api/v1/positions/{org.staff.id}/job-description/versions").json
    assert ([v["id"] for v in history["items"]], history["total"]) == ([jd.published.id], 1)  # not the draft

    for version, title in (
        (draft, "运营专员"),
        (jd.draft, "运营主管"),
        (jd.in_review, "电商部经理"),
        (jd.approved, "人事部经理"),
    ):
        for url, missing in _version_urls(version.id):
            _hidden(employee, url, missing, "日常工作", title)
    for position in (org.lead, org.mgr, org.hr_mgr):
        for suffix in ("", "/versions"):
            _hidden(
                employee,
                f"/api/v1/positions/{position.id}/job-description{suffix}",
                f"/api/v1/positions/{MISSING}/job-description{suffix}",
                position.title,
            )
    compared = employee.get(f"{VERSIONS}/{jd.published.id}/compare?with={draft.id}")
    assert_error(compared, 422, "with")
    assert compared.get_data() == employee.get(f"{VERSIONS}/{jd.published.id}/compare?with={MISSING}").get_data()


def test_an_employee_changes_nothing_but_acknowledges(api, org, jd):
    employee = api(user=org.employee_user)
    etag = {"If-Match": f'W/"{jd.published.version}"'}
    assert_error(employee.post(f"/api/v1/positions/{org.staff.id}/job-description/versions", json={}), 403)
    assert_error(employee.post(f"{VERSIONS}/{jd.published.id}/submit", headers=etag), 403)
    assert_error(employee.delete(f"{VERSIONS}/{jd.published.id}", headers=etag), 403)
    assert_error(employee.put(f"{VERSIONS}/{jd.published.id}", json=jd.content("改"), headers=etag), 403)
    for action, body in (
        ("return", {"comment": "x"}),
        ("approve", {}),
        ("publish", {"effective_date": "2027-01-01"}),
        ("waive", {"finding_key": "k", "reason": "r"}),
    ):
        assert_error(employee.post(f"{VERSIONS}/{jd.published.id}/{action}", json=body, headers=etag), 403)
    for url in (
        "/api/v1/kpis",
        "/api/v1/competencies",
        "/api/v1/job-descriptions/templates",
        f"/api/v1/kpis/{jd.kpi.id}",
        "/api/v1/job-descriptions/review-queue",
        "/api/v1/job-descriptions/outstanding-acknowledgements",
    ):
        assert_error(employee.get(url), 403)
    assert employee.post(f"{VERSIONS}/{jd.published.id}/acknowledge", headers=etag).status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(JobDescriptionVersion)) == 4


def test_a_manager_drafts_below_their_own_position_and_never_reviews(api, org, jd):
    manager = api(user=org.manager_user)  # 王强 holds EC-MGR; EC-OPS-LEAD and EC-OPS-STAFF are below it
    assert manager.get(f"{VERSIONS}/{jd.draft.id}").status_code == 200
    assert manager.get(f"/api/v1/positions/{org.lead.id}/job-description/versions").json["total"] == 1
    # their own post: its version in force only, no drafting
    _hidden(manager, f"{VERSIONS}/{jd.in_review.id}", f"{VERSIONS}/{MISSING}")
    assert_error(manager.post(f"/api/v1/positions/{org.mgr.id}/job-description/versions", json={}), 403)
    # reviewing is HR's, even below them
    etag = {"If-Match": f'W/"{jd.draft.version}"'}
    submitted = manager.post(f"{VERSIONS}/{jd.draft.id}/submit", headers=etag)
    assert submitted.status_code == 200
    after = {"If-Match": submitted.headers["ETag"]}
    for action, body in (
        ("return", {"comment": "x"}),
        ("approve", {}),
        ("publish", {"effective_date": "2027-01-01"}),
        ("waive", {"finding_key": "k", "reason": "r"}),
    ):
        assert (
            assert_error(manager.post(f"{VERSIONS}/{jd.draft.id}/{action}", json=body, headers=after), 403)["errors"]
            == {}
        )
    for url in ("/api/v1/job-descriptions/review-queue", "/api/v1/job-descriptions/outstanding-acknowledgements"):
        assert_error(manager.get(url), 403)
    assert db.session.get(JobDescriptionVersion, jd.draft.id).status == "in_review"
    # the libraries: read, not written
    assert manager.get("/api/v1/kpis").json["total"] == 1
    assert manager.get(f"/api/v1/job-descriptions/templates/{jd.template.id}").status_code == 200
    assert_error(manager.post("/api/v1/kpis", json={"code": "NEW", "name": "新指标"}), 403)
    assert_error(manager.post(f"/api/v1/competencies/{jd.competency.id}/archive"), 403)
    # a copy comes only from a position they may draft for
    services.publish(services.get_version(jd.approved.id), None, date(2026, 2, 1))
    db.session.commit()
    url = f"/api/v1/positions/{org.staff.id}/job-description/versions"
    body = assert_error(manager.post(url, json={"from_position_id": org.hr_mgr.id}), 422, "from_position_id")
    assert "人事部经理" not in str(body)
    assert_error(manager.post(url, json={"from_position_id": org.lead.id}), 422, "from_position_id")  # none in force
    assert services.open_version(org.staff.id) is None


def test_a_manager_of_another_department_sees_nothing_of_this_one(api, org, jd):
    other = factories.create_user("manager")
    org.chen.user_id = other.id  # 陈静 holds HR-MGR, with nobody below
    db.session.commit()
    manager = api(user=other)
    for version in (jd.draft, jd.in_review, jd.published):
        for url, missing in _version_urls(version.id):
            _hidden(manager, url, missing, "日常工作")
        etag = {"If-Match": f'W/"{version.version}"'}
        for method, suffix, body in (
            ("put", "", jd.content("改")),
            ("delete", "", None),
            ("post", "/submit", {}),
            ("post", "/acknowledge", {}),
        ):
            response = getattr(manager, method)(f"{VERSIONS}/{version.id}{suffix}", json=body, headers=etag)
            missing = getattr(manager, method)(f"{VERSIONS}/{MISSING}{suffix}", json=body, headers=etag)
            assert_error(response, 404)
            assert response.get_data() == missing.get_data()
    for position in (org.mgr, org.lead, org.staff):
        _hidden(
            manager,
            f"/api/v1/positions/{position.id}/job-description/versions",
            f"/api/v1/positions/{MISSING}/job-description/versions",
            position.title,
        )
        refused = manager.post(f"/api/v1/positions/{position.id}/job-description/versions", json={})
        assert (
            refused.get_data()
            == manager.post(f"/api/v1/positions/{MISSING}/job-description/versions", json={}).get_data()
        )
    assert_error(manager.post(f"/api/v1/positions/{org.hr_mgr.id}/job-description/versions", json={}), 403)  # own
    versions = db.session.scalars(db.select(JobDescriptionVersion.status).order_by(JobDescriptionVersion.id)).all()
    assert sorted(versions) == ["approved", "draft", "in_review", "published"]
