"""The duty-coverage API: a department's functions (ETag/If-Match, 409, 422 by item), a version's
links with suggestions, and ``GET /api/v1/departments/<id>/coverage``."""

from __future__ import annotations

from app.extensions import db
from app.jobs import services as jobs
from tests.api.conftest import assert_error


def _functions(client, department_id, items, version=None, etag=None):
    headers = {"If-Match": etag} if etag else {}
    body = {"functions": items, **({"version": version} if version is not None else {})}
    return client.put(f"/api/v1/departments/{department_id}/functions", json=body, headers=headers)


def _set(client, department_id, items):
    version = client.get(f"/api/v1/departments/{department_id}/functions").json["version"]
    response = _functions(client, department_id, items, version=version)
    assert response.status_code == 200, response.json
    return response.json


def test_hr_replaces_functions_with_if_match_and_ids_kept(api, org):
    hr = api("hr")
    read = hr.get(f"/api/v1/departments/{org.ec.id}/functions")
    assert read.status_code == 200 and read.json["functions"] == []
    done = _functions(
        hr, org.ec.id, [{"title": "客户服务", "text": "处理客户咨询"}, {"text": "网店运营"}], etag=read.headers["ETag"]
    )
    assert done.status_code == 200
    first, second = done.json["functions"]
    assert (first["title"], second["title"], second["text"]) == ("客户服务", "", "网店运营")
    moved = _functions(
        hr, org.ec.id, [second, {"id": first["id"], "title": "客服", "text": first["text"]}], etag=done.headers["ETag"]
    )
    assert [f["id"] for f in moved.json["functions"]] == [second["id"], first["id"]]
    # A stale version: 409, nothing changed.
    stale = _functions(hr, org.ec.id, [], etag=done.headers["ETag"])
    assert_error(stale, 409)
    assert len(hr.get(f"/api/v1/departments/{org.ec.id}/functions").json["functions"]) == 2


def test_bad_functions_answer_422_naming_the_item(api, org):
    hr = api("hr")
    version = hr.get(f"/api/v1/departments/{org.ec.id}/functions").json["version"]
    assert_error(_functions(hr, org.ec.id, [{"text": "ok"}, {"title": "x"}], version=version), 422, "functions.1.text")
    assert_error(
        _functions(hr, org.ec.id, [{"id": 999999, "text": "not ours"}], version=version), 422, "functions.0.id"
    )
    assert_error(_functions(hr, org.ec.id, [{"text": "x" * 2001}], version=version), 422, "functions.0.text")
    assert_error(_functions(hr, org.ec.id, [{"text": "ok"}]), 428, "version")
    assert hr.get(f"/api/v1/departments/{org.ec.id}/functions").json["functions"] == []
    assert _functions(api("manager"), org.ec.id, [{"text": "ok"}], version=version).status_code == 403


def test_links_with_suggestions_and_the_coverage_matrix(api, org, jd):
    hr = api("hr")
    made = _set(
        hr,
        org.ops.id,
        [
            {"title": "日常运营", "text": "负责运营主管的日常工作"},
            {"title": "报告", "text": "编写月度运营报告"},
            {"title": "新业务", "text": "探索新的业务模式"},
        ],
    )
    ids = [f["id"] for f in made["functions"]]
    links = hr.get(f"/api/v1/job-descriptions/versions/{jd.draft.id}/links")
    assert links.status_code == 200 and links.json["editable"] is True
    daily, report = links.json["duties"]
    assert daily["suggestions"][0]["function_id"] == ids[0] and report["suggestions"][0]["function_id"] == ids[1]
    body = {"duties": [{"id": daily["id"], "functions": [ids[0]]}, {"id": report["id"], "functions": [ids[1]]}]}
    saved = hr.put(
        f"/api/v1/job-descriptions/versions/{jd.draft.id}/links", json=body, headers={"If-Match": links.headers["ETag"]}
    )
    assert saved.status_code == 200 and [d["functions"] for d in saved.json["duties"]] == [[ids[0]], [ids[1]]]
    assert_error(
        hr.put(
            f"/api/v1/job-descriptions/versions/{jd.draft.id}/links",
            json=body,
            headers={"If-Match": links.headers["ETag"]},
        ),
        409,
    )
    bad = hr.put(
        f"/api/v1/job-descriptions/versions/{jd.draft.id}/links",
        json={"duties": [{"id": daily["id"], "functions": [999999]}], "version": saved.json["version"]},
    )
    assert_error(bad, 422, "duties.0.functions")
    assert_error(
        hr.put(
            f"/api/v1/job-descriptions/versions/{jd.published.id}/links",
            json={"duties": [], "version": jd.published.version},
        ),
        422,
    )

    matrix = hr.get(f"/api/v1/departments/{org.ops.id}/coverage")
    assert matrix.status_code == 200
    assert [g["title"] for g in matrix.json["gaps"]] == ["新业务"]
    assert matrix.json["overlaps"] == [] and matrix.json["overlap_limit"] == 3
    assert {o["text"] for o in matrix.json["orphans"]} == {
        "负责运营专员的日常工作",
        "编写月度报告",
    }  # the published staff JD
    served = {f["title"]: [p["position_id"] for p in f["positions"]] for f in matrix.json["functions"]}
    assert served["日常运营"] == [org.lead.id]


def test_who_may_see_the_matrix_and_change_links(api, org, jd):
    _set(api("hr"), org.ops.id, [{"text": "运营"}])
    manager = api(user=org.manager_user)  # 王强 holds EC-MGR: not yet the head of EC
    assert_error(manager.get(f"/api/v1/departments/{org.ops.id}/coverage"), 404)
    assert_error(api("employee").get(f"/api/v1/departments/{org.ops.id}/coverage"), 403)
    links = manager.get(f"/api/v1/job-descriptions/versions/{jd.draft.id}/links").json
    assert links["editable"] is False
    assert (
        manager.put(
            f"/api/v1/job-descriptions/versions/{jd.draft.id}/links", json={"duties": [], "version": links["version"]}
        ).status_code
        == 403
    )
    org.ec.head_position_id = org.mgr.id
    db.session.commit()
    manager = api(user=org.manager_user)
    assert manager.get(f"/api/v1/departments/{org.ops.id}/coverage").status_code == 200  # EC's subtree
    assert_error(manager.get(f"/api/v1/departments/{org.hr.id}/coverage"), 404)
    function_id = manager.get(f"/api/v1/departments/{org.ops.id}/functions").json["functions"][0]["id"]
    duty = links["duties"][0]["id"]
    done = manager.put(
        f"/api/v1/job-descriptions/versions/{jd.draft.id}/links",
        json={"duties": [{"id": duty, "functions": [function_id]}], "version": links["version"]},
    )
    assert done.status_code == 200
    jobs.submit(jobs.get_version(jd.draft.id), None)
    db.session.commit()
    assert (
        manager.put(
            f"/api/v1/job-descriptions/versions/{jd.draft.id}/links",
            json={"duties": [], "version": done.json["version"] + 1},
        ).status_code
        == 403
    )
