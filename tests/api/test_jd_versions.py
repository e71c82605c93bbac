"""Job-description versions through the API: the whole workflow, drafts from every source,
content validated with dotted field names, versions (409 on stale content and stale actions),
published versions that no endpoint can change, and lists in a fixed number of queries."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.jobs import services
from app.jobs.content import content_hash, version_content
from app.jobs.models import Acknowledgement, JobDescriptionVersion, Status
from tests import factories
from tests.api.conftest import assert_error

VERSIONS = "/api/v1/job-descriptions/versions"
ACTIONS = ("submit", "return", "approve", "publish", "waive", "acknowledge")


def as_content(version: dict) -> dict:
    """The body of a PUT from a version as read: the texts, sections and requirements as they
    are, competencies and KPI targets without the names resolved from the libraries."""
    return {
        **{
            name: version[name]
            for name in (
                "title",
                "purpose",
                "authority",
                "management_responsibility",
                "working_conditions",
                "sections",
                "requirements",
            )
        },
        "competencies": [{key: c[key] for key in ("id", "competency_id", "level")} for c in version["competencies"]],
        "kpis": [
            {key: t[key] for key in ("id", "kpi_id", "target", "threshold", "stretch", "weight", "period", "note")}
            for t in version["kpis"]
        ],
    }


def etag(response) -> dict:
    return {"If-Match": response.headers["ETag"]}


def test_the_whole_workflow(api, org, jd):
    manager, hr, employee = api(user=org.manager_user), api("hr"), api(user=org.employee_user)
    position = f"/api/v1/positions/{org.staff.id}/job-description"

    # the manager starts v2 of their subordinate's job description from the version in force …
    started = manager.post(f"{position}/versions", json={})
    assert started.status_code == 201, started.json
    draft = started.json
    assert (draft["number"], draft["status"], draft["based_on_id"]) == (2, "draft", jd.published.id)
    assert started.headers["Location"].endswith(f"{VERSIONS}/{draft['id']}")
    assert started.headers["ETag"] == f'W/"{draft["version"]}"'
    assert [d["text"] for d in draft["duties"]] == ["负责运营专员的日常工作", "编写月度报告"]
    assert draft["duties"][0]["id"] != jd.published.sections[0].duties[0].id  # copied rows

    # … edits it: one duty changed (kept by its id), one added, the KPI target raised, a requirement added
    content = as_content(draft)
    first_duty = content["sections"][0]["duties"][0]
    first_duty.update(text="负责运营专员的日常工作与数据分析", frequency="daily", standard="每天10点前")
    content["sections"][0]["duties"].append({"text": "策划月度促销活动", "weight": None})
    content["kpis"][0]["target"] = 550000
    content["requirements"].append({"kind": "other", "text": "年龄25-35岁", "required": True})
    saved = manager.put(f"{VERSIONS}/{draft['id']}", json=content, headers=etag(started))
    assert saved.status_code == 200, saved.json
    assert saved.json["version"] == draft["version"] + 1
    assert saved.json["sections"][0]["duties"][0]["id"] == first_duty["id"]
    assert [d["text"] for d in saved.json["duties"]] == [
        "负责运营专员的日常工作与数据分析",
        "编写月度报告",
        "策划月度促销活动",
    ]
    assert saved.json["kpis"][0]["target"] == 550000 and saved.json["kpis"][0]["code"] == "SALES"

    # … and submits it; HR finds it in the review queue, returns it with a comment
    submitted = manager.post(f"{VERSIONS}/{draft['id']}/submit", json={"version": saved.json["version"]})
    assert submitted.status_code == 200 and submitted.json["status"] == "in_review"
    queue = hr.get("/api/v1/job-descriptions/review-queue").json
    assert [(item["id"], item["status"], item["position"]["code"]) for item in queue["items"]] == [
        (jd.in_review.id, "in_review", "EC-MGR"),
        (draft["id"], "in_review", "EC-OPS-STAFF"),
        (jd.approved.id, "approved", "HR-MGR"),
    ]  # in review, oldest first; then approved
    assert queue["items"][1]["submitted_by"] == org.manager_user.display_name
    assert queue["items"][1]["position"]["department"] == "运营组"
    assert_error(
        hr.post(f"{VERSIONS}/{draft['id']}/return", json={"comment": "  "}, headers=etag(submitted)), 422, "comment"
    )
    returned = hr.post(f"{VERSIONS}/{draft['id']}/return", json={"comment": "请写明活动频率"}, headers=etag(submitted))
    assert returned.status_code == 200 and returned.json["status"] == "draft"
    assert returned.json["review_comment"] == "请写明活动频率"

    content = as_content(returned.json)
    content["sections"][0]["duties"][2]["frequency"] = "monthly"
    saved = manager.put(f"{VERSIONS}/{draft['id']}", json={**content, "version": returned.json["version"]})
    assert saved.status_code == 200, saved.json
    submitted = manager.post(f"{VERSIONS}/{draft['id']}/submit", headers=etag(saved))
    assert submitted.status_code == 200

    # HR reads the findings, cannot approve while one is open, waives them, approves and publishes
    findings = hr.get(f"{VERSIONS}/{draft['id']}/lint").json
    assert findings["open"] == len(findings["findings"]) == 1
    assert findings["findings"][0]["rule"] == "discrimination-age"
    assert findings["findings"][0]["where"] == "requirements.1"
    assert all(f["message"] and f["hint"] and not f["waived"] for f in findings["findings"])
    refused = assert_error(hr.post(f"{VERSIONS}/{draft['id']}/approve", headers=etag(submitted)), 422)
    assert "finding" in refused["message"]
    current = submitted
    for finding in findings["findings"]:
        current = hr.post(
            f"{VERSIONS}/{draft['id']}/waive",
            headers=etag(current),
            json={"finding_key": finding["key"], "reason": "岗位确需"},
        )
        assert current.status_code == 200, current.json
    assert current.json["waivers"][0]["reason"] == "岗位确需"
    assert hr.get(f"{VERSIONS}/{draft['id']}/lint").json["open"] == 0
    approved = hr.post(f"{VERSIONS}/{draft['id']}/approve", headers=etag(current))
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert_error(
        hr.post(f"{VERSIONS}/{draft['id']}/publish", json={"effective_date": "2025-06-01"}, headers=etag(approved)),
        422,
        "effective_date",
    )  # before the version in force
    published = hr.post(
        f"{VERSIONS}/{draft['id']}/publish", json={"effective_date": "2026-07-01"}, headers=etag(approved)
    )
    assert published.status_code == 200, published.json
    assert (published.json["status"], published.json["effective_date"]) == ("published", "2026-07-01")
    assert [e["action"] for e in published.json["events"]] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        *["waived"] * len(findings["findings"]),
        "approved",
        "published",
    ]
    assert published.json["events"][2]["comment"] == "请写明活动频率" and published.json["events"][0]["label"]

    # the position carries it; v1 is superseded; the holder acknowledges it, once
    in_force = employee.get(position)
    assert in_force.json["id"] == draft["id"] and in_force.json["duties"][0]["frequency"] == "daily"
    assert api("hr").get(f"/api/v1/positions/{org.staff.id}").json["job_description"]["id"] == draft["id"]
    assert hr.get(f"{VERSIONS}/{jd.published.id}").json["status"] == "superseded"
    outstanding = hr.get("/api/v1/job-descriptions/outstanding-acknowledgements").json
    assert (org.zhang.id, draft["id"]) in {(i["employee"]["id"], i["version"]["id"]) for i in outstanding["items"]}
    acknowledged = employee.post(f"{VERSIONS}/{draft['id']}/acknowledge", headers=etag(in_force))
    assert acknowledged.status_code == 200, acknowledged.json
    assert (acknowledged.json["version_id"], acknowledged.json["employee_id"]) == (draft["id"], org.zhang.id)
    again = employee.post(f"{VERSIONS}/{draft['id']}/acknowledge", headers=etag(in_force))
    assert again.json["acknowledged_at"] == acknowledged.json["acknowledged_at"]
    outstanding = hr.get("/api/v1/job-descriptions/outstanding-acknowledgements").json
    assert org.zhang.id not in {i["employee"]["id"] for i in outstanding["items"]}

    # the comparison is the page's: v1 (old) against v2 (new), whichever is asked from
    compared = employee.get(f"{VERSIONS}/{draft['id']}/compare?with={jd.published.id}").json
    assert (compared["old"]["id"], compared["new"]["id"]) == (jd.published.id, draft["id"])
    assert compared == employee.get(f"{VERSIONS}/{jd.published.id}/compare?with={draft['id']}").json
    assert [(r["status"], r["old"], r["new"]) for r in compared["duties"]] == [
        ("changed", "负责运营专员的日常工作", "负责运营专员的日常工作与数据分析"),
        ("same", "编写月度报告", "编写月度报告"),
        ("added", None, "策划月度促销活动"),
    ]
    assert compared["kpis"][0]["status"] == "changed" and compared["identical"] is False
    assert compared["counts"] == {"changed": 2, "same": 3, "added": 2}


def test_drafts_start_from_a_template_another_position_or_a_whole_content(api, org, jd):
    hr = api("hr")
    services.discard_draft(jd.draft)
    db.session.commit()
    url = f"/api/v1/positions/{org.lead.id}/job-description/versions"

    from_template = hr.post(url, json={"template_id": jd.template.id})
    assert from_template.status_code == 201, from_template.json
    assert from_template.json["title"] == "运营主管"  # the position's title, the template's content
    assert from_template.json["duties"][0]["text"] == "负责运营专员的日常工作"
    assert hr.delete(f"{VERSIONS}/{from_template.json['id']}", headers=etag(from_template)).status_code == 204

    copied = hr.post(url, json={"from_position_id": org.staff.id})
    assert copied.status_code == 201 and copied.json["kpis"][0]["kpi_id"] == jd.kpi.id
    assert copied.json["title"] == "运营主管" and copied.json["duties"][0]["text"] == "负责运营专员的日常工作"
    assert_error(hr.post(url, json={}), 422)  # one open version per position
    assert hr.delete(f"{VERSIONS}/{copied.json['id']}", headers=etag(copied)).status_code == 204

    assert_error(hr.post(url, json={"from_position_id": org.mgr.id}), 422, "from_position_id")  # none published
    assert_error(hr.post(url, json={"template_id": 99999}), 422, "template_id")
    assert_error(hr.post(url, json={"template_id": jd.template.id, "from_position_id": org.staff.id}), 422, "body")
    body = assert_error(
        hr.post(
            url,
            json={
                "content": {
                    "title": "运营主管",
                    "sections": [{"heading": "职责", "duties": [{"text": "负责团队管理", "weight": 120}]}],
                }
            },
        ),
        422,
        "content.sections.0.duties.0.weight",
    )
    assert set(body["errors"]) == {"content.sections.0.duties.0.weight"}

    created = hr.post(
        url,
        json={
            "content": {
                "title": "运营主管",
                "sections": [{"heading": "职责", "duties": [{"text": "负责团队管理"}]}],
                "kpis": [{"kpi_id": jd.kpi.id, "target": 1000000, "weight": 100, "period": "annual"}],
            }
        },
    )
    assert created.status_code == 201, created.json
    assert created.json["kpis"][0]["period"] == "annual" and created.json["requirements"] == []
    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(JobDescriptionVersion)
            .where(JobDescriptionVersion.position_id == org.lead.id)
        )
        == 1
    )


def test_content_errors_name_their_field_by_its_dotted_path(api, org, jd):
    hr = api("hr")
    url = f"{VERSIONS}/{jd.draft.id}"
    good = as_content(hr.get(url).json)
    bad = {
        **good,
        "title": "",
        "kpis": [
            {"kpi_id": jd.kpi.id, "target": 100, "threshold": 120, "weight": 100},  # threshold above: higher is better
            {"kpi_id": 99999, "target": 1, "weight": 0},
        ],
    }
    bad["sections"] = [{"heading": "职责", "duties": [{"text": "负责运营"}, {"text": "x" * 2001}]}]
    body = assert_error(hr.put(url, json=bad, headers={"If-Match": 'W/"1"'}), 422)
    assert set(body["errors"]) == {"title", "kpis.0.threshold", "kpis.1.kpi_id", "sections.0.duties.1.text"}
    assert "2000" in body["errors"]["sections.0.duties.1.text"][0]

    types = {
        **good,
        "sections": [{"duties": [{"text": "负责运营", "weight": "30%"}]}],
        "requirements": [{"text": "本科", "kind": "hobby"}],
        "competencies": [{"competency_id": "OPS", "level": 3}],
    }
    body = assert_error(hr.put(url, json=types, headers={"If-Match": 'W/"1"'}), 422)
    assert set(body["errors"]) == {"sections.0.duties.0.weight", "requirements.0.kind", "competencies.0.competency_id"}
    assert_error(hr.put(url, json={**good, "unknown": 1}, headers={"If-Match": 'W/"1"'}), 422, "unknown")
    assert_error(hr.put(url, json=good), 428, "version")
    version = db.session.get(JobDescriptionVersion, jd.draft.id)
    assert (version.version, version.title, version.duties[0].text) == (1, "运营主管", "负责运营主管的日常工作")


def test_a_change_based_on_an_old_version_is_409_and_changes_nothing(api, org, jd):
    first, second = api(user=org.manager_user), api("hr")
    url = f"{VERSIONS}/{jd.draft.id}"
    read = first.get(url)
    content = as_content(read.json)
    won = second.put(url, json={**content, "title": "运营组长"}, headers=etag(read))
    assert won.status_code == 200

    body = assert_error(first.put(url, json={**content, "purpose": "带领运营组"}, headers=etag(read)), 409)
    assert any("运营组长" in message for messages in body["errors"].values() for message in messages)
    assert_error(first.post(f"{url}/submit", headers=etag(read)), 409)  # a stale action
    assert_error(first.delete(url, headers=etag(read)), 409)  # a stale discard
    version = db.session.get(JobDescriptionVersion, jd.draft.id)
    assert (version.status, version.title, version.purpose) == ("draft", "运营组长", "")
    assert first.post(f"{url}/submit", headers=etag(won)).json["status"] == "in_review"

    stale = {"effective_date": "2026-01-01", "version": jd.approved.version - 1}
    assert_error(second.post(f"{VERSIONS}/{jd.approved.id}/publish", json=stale), 409)
    assert db.session.get(JobDescriptionVersion, jd.approved.id).status == "approved"


def test_actions_say_which_version_they_are_based_on(api, org, jd):
    hr = api("hr")
    url = f"{VERSIONS}/{jd.draft.id}"
    assert_error(hr.post(f"{url}/submit"), 428, "version")
    assert_error(hr.delete(url), 428, "version")
    assert_error(hr.post(f"{url}/submit", json={"version": 2}, headers={"If-Match": 'W/"1"'}), 422, "version")
    assert db.session.get(JobDescriptionVersion, jd.draft.id).status == "draft"


def test_a_published_version_is_changed_by_no_endpoint(api, org, jd):
    hr = api("hr")
    url = f"{VERSIONS}/{jd.published.id}"
    read = hr.get(url)
    before = content_hash(version_content(jd.published))
    content = {**as_content(read.json), "title": "改过的标题"}
    key = "no-kpi:0"
    attempts = [
        ("put", url, content),
        ("delete", url, None),
        ("post", f"{url}/submit", {}),
        ("post", f"{url}/return", {"comment": "改"}),
        ("post", f"{url}/approve", {}),
        ("post", f"{url}/publish", {"effective_date": "2027-01-01"}),
        ("post", f"{url}/waive", {"finding_key": key, "reason": "x"}),
    ]
    for method, path, body in attempts:
        response = getattr(hr, method)(path, json=body, headers=etag(read))
        assert_error(response, 422)
    db.session.expire_all()
    version = db.session.get(JobDescriptionVersion, jd.published.id)
    assert (version.status, version.version, version.title) == ("published", read.json["version"], "运营专员")
    assert content_hash(version_content(version)) == before and version.waivers == []
    assert hr.get(f"{url}/lint").json == {"findings": [], "open": 0}


def test_waiving_needs_a_finding_that_applies_and_a_reason(api, org, jd):
    hr = api("hr")
    url = f"{VERSIONS}/{jd.in_review.id}"
    read = hr.get(url)
    key = hr.get(f"{url}/lint").json["findings"][0]["key"]
    assert_error(hr.post(f"{url}/waive", json={"finding_key": key, "reason": " "}, headers=etag(read)), 422, "reason")
    assert_error(hr.post(f"{url}/waive", json={"finding_key": "nothing:0", "reason": "因为"}, headers=etag(read)), 422)
    assert db.session.get(JobDescriptionVersion, jd.in_review.id).waivers == []


def test_acknowledging_is_for_the_holders_of_the_version_in_force(api, org, jd):
    url = f"{VERSIONS}/{jd.published.id}/acknowledge"
    body = assert_error(api("hr").post(url, json={"version": jd.published.version}), 422)
    assert "holders" in body["message"]
    assert_error(api(user=org.manager_user).post(url, json={"version": jd.published.version}), 422)
    assert db.session.scalar(db.select(db.func.count()).select_from(Acknowledgement)) == 0


def test_a_position_without_a_published_job_description(api, org, jd):
    hr = api("hr")
    body = assert_error(hr.get(f"/api/v1/positions/{org.lead.id}/job-description"), 404)
    assert "published" in body["message"]
    history = hr.get(f"/api/v1/positions/{org.lead.id}/job-description/versions").json
    assert [(v["number"], v["status"]) for v in history["items"]] == [(1, "draft")]


def test_comparing_with_another_position_is_for_hr(api, org, jd):
    url = f"{VERSIONS}/{jd.published.id}/compare?with={jd.approved.id}"
    compared = api("hr").get(url).json
    assert compared["title"] == {"name": "title", "old": "人事部经理", "new": "运营专员"}
    assert compared["counts"]["changed"] >= 1
    manager = api(user=org.manager_user)
    assert_error(manager.get(f"{VERSIONS}/{jd.published.id}/compare?with={jd.draft.id}"), 422, "with")
    same = manager.get(f"{VERSIONS}/{jd.published.id}/compare?with={jd.published.id}").json
    assert same["identical"] is True


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/v1/positions/{position}/job-description/versions", 5),
        ("/api/v1/job-descriptions/review-queue", 7),
        ("/api/v1/job-descriptions/outstanding-acknowledgements", 8),
    ],
)
def test_lists_take_a_fixed_number_of_queries(api, ctx, count_queries, path, expected):
    """The token and its user, the object check, the count, the page and one query per related
    list: as many for 2 rows as for 8."""
    client = api("hr")
    department = factories.create_department("D", "部门")
    history = factories.create_position("HIST", department, "历史岗位")
    counts = []
    for size in (2, 8):
        while len(services.versions_of(history.id)) < size:
            factories.publish_jd(history, factories.jd_content("历史岗位", duties=[f"职责{size}"]))
        existing = db.session.scalar(
            db.select(db.func.count())
            .select_from(JobDescriptionVersion)
            .where(JobDescriptionVersion.status == Status.IN_REVIEW.value)
        )
        for n in range(existing, size):
            position = factories.create_position(f"P{n}", department, f"岗位{n}")
            factories.create_employee(f"E{n}", position=position)
            factories.publish_jd(position, factories.jd_content(f"岗位{n}"))
            services.submit(services.start_draft(position, client.user), client.user)
            db.session.commit()
        with count_queries() as queries:
            response = client.get(f"{path.format(position=history.id)}?per_page=100")
        assert response.status_code == 200 and len(response.json["items"]) == size, response.json
        counts.append(len(queries))
    assert counts == [expected, expected], counts


def test_content_errors_are_in_the_users_language(api, org, jd):
    client = api("hr", locale="zh_CN")
    content = jd.content("运营主管")
    content["sections"][0]["duties"][0]["weight"] = 101
    body = assert_error(
        client.put(f"{VERSIONS}/{jd.draft.id}", json=content, headers={"If-Match": 'W/"1"'}),
        422,
        "sections.0.duties.0.weight",
    )
    assert body["errors"]["sections.0.duties.0.weight"] == ["请输入 0 至 100 之间的数字。"]
    body = assert_error(client.get(f"/api/v1/positions/{org.lead.id}/job-description"), 404)
    assert body["message"] == "此岗位尚无已发布的岗位说明书。"


def test_a_version_is_read_in_a_fixed_number_of_queries(api, org, jd, count_queries):
    """The token and its user, the version with its content, position, history and waivers: as
    many for a short job description as for a long one."""
    client = api("hr")
    long = factories.jd_content(
        "运营专员",
        duties=[f"职责{n}" for n in range(40)],
        requirements=[("skills", f"技能{n}", True) for n in range(10)],
        kpis=[(jd.kpi, 100, 50, "monthly"), (jd.kpi, 1000, 100, "annual")],
        competencies=[(jd.competency, 4)],
    )
    long_version = services.start_draft(org.staff, None, content=long)
    db.session.commit()
    counts = []
    for version_id in (jd.draft.id, long_version.id):
        with count_queries() as queries:
            response = client.get(f"{VERSIONS}/{version_id}")
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(response.json["duties"]) == 40 and len(response.json["kpis"]) == 2
    assert counts[0] == counts[1], counts
