"""The printed documents and background tasks in the API: PDFs with their content type, 404 for
what the user may not read, a big manual as a 202 task to follow (tests/documents and
tests/tasks check the documents themselves)."""

from __future__ import annotations

from tests.api.conftest import assert_error
from tests.documents.conftest import _empty_cache, jd_content, new_draft, pages_text, shop, squeeze  # noqa: F401 (fixtures)


def _pdf(response) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_api_prints_the_version_in_force_or_the_one_asked_for(api, shop):
    hr = api("hr")
    url = f"/api/v1/positions/{shop.lead.id}/job-description.pdf"
    assert "EC-LEAD-V1" in squeeze(pages_text(_pdf(hr.get(url + "?lang=en")))[0])
    draft = new_draft(shop.lead, jd_content(shop))
    assert "DRAFT/草稿" in squeeze(pages_text(_pdf(hr.get(f"{url}?version={draft.id}")), "raw")[0])
    # a version of another position, a position without a job description: 404 in the API's format
    other = hr.get(f"{url}?version={shop.clerk_version.id}")
    assert other.status_code == 404 and other.json["code"] == 404
    assert hr.get(f"/api/v1/positions/{shop.staff.id}/job-description.pdf").status_code == 404
    assert hr.get(f"{url}?lang=fr").status_code == 422
    employee = api(user=shop.lead_user)
    assert employee.get(url).status_code == 200
    assert employee.get(f"{url}?version={draft.id}").status_code == 404
    assert employee.get(f"/api/v1/positions/{shop.clerk.id}/job-description.pdf").status_code == 404


def test_the_appraisal_form_and_small_manuals_answer_pdf(api, shop):
    hr = api("hr")
    assert "电商运营主管" in "".join(pages_text(_pdf(hr.get(f"/api/v1/positions/{shop.lead.id}/appraisal-form.pdf"))))
    manual = _pdf(hr.get(f"/api/v1/departments/{shop.ec.id}/manual.pdf?lang=en"))
    assert "Position manual" in pages_text(manual)[0]
    # managers: the departments of their reporting line (not others', not the company's); employees: none
    manager = api(user=shop.manager_user)
    assert_error(manager.get(f"/api/v1/departments/{shop.fin.id}/manual.pdf"), 404)
    assert_error(manager.get("/api/v1/manual.pdf"), 403)
    assert_error(api(user=shop.lead_user).get(f"/api/v1/departments/{shop.ops.id}/manual.pdf"), 403)


def test_a_big_manual_answers_202_with_its_task(app, api, shop, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 8)  # 2 positions
    hr = api("hr")
    response = hr.get(f"/api/v1/departments/{shop.ec.id}/manual.pdf?lang=zh_CN")
    assert response.status_code == 202
    task = response.json
    assert task["kind"] == "manual" and task["status"] == "queued" and task["result_url"] is None
    assert response.headers["Location"] == f"/api/v1/tasks/{task['id']}"
    # asking again while it waits gives the same task; nobody else sees it
    assert hr.get(f"/api/v1/departments/{shop.ec.id}/manual.pdf?lang=zh_CN").json["id"] == task["id"]
    followed = hr.get(response.headers["Location"])
    assert followed.status_code == 200 and followed.json["status_label"] == "Waiting"
    assert_error(hr.get(f"/api/v1/tasks/{task['id']}/result"), 404)
    assert_error(api("hr").get(response.headers["Location"]), 404)
    assert_error(api("admin").get(f"/api/v1/tasks/{task['id']}/result"), 404)


def test_a_cached_job_description_from_the_api_reads_no_content(api, shop, count_queries):
    """Printed before, the API's PDF is sent after the token, the position and the version's row
    (and the header the key covers), not the version's duties, requirements, KPIs and competencies."""
    hr = api("hr")
    url = f"/api/v1/positions/{shop.version.position_id}/job-description.pdf?lang=en"
    first = hr.get(url)
    assert first.status_code == 200 and first.headers["X-Cache"] == "miss"
    with count_queries() as queries:
        again = hr.get(url)
    assert again.headers["X-Cache"] == "hit" and again.data == first.data
    assert len(queries) <= 7, queries
    assert not any("jd_duties" in str(query) or "kpi_targets" in str(query) for query in queries), queries
    asked = hr.get(f"{url}&version={shop.version.id}")
    assert asked.headers["X-Cache"] == "hit" and asked.headers["ETag"] == first.headers["ETag"]
    assert_error(hr.get(f"/api/v1/positions/{shop.version.position_id}/job-description.pdf?version=999999"), 404)
