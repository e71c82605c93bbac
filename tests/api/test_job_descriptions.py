"""Job descriptions through the API: the position carries its version in force."""

from __future__ import annotations

from app.jobs import services
from tests import factories


def test_a_position_carries_its_job_description_in_force(api, org):
    kpi = factories.create_kpi("SALES", "销售额")
    content = factories.jd_content(
        "运营专员",
        duties=["负责店铺日常运营", "负责活动策划"],
        kpis=[(kpi, 500000, 100, "monthly", 400000, 600000)],
        heading="岗位职责",
    )
    content["sections"][0]["duties"][0].update(frequency="daily", standard="每天10点前")
    version = factories.publish_jd(org.staff, content)
    services.start_draft(org.staff, None)  # a newer draft is not what the position carries
    body = api("hr").get(f"/api/v1/positions/{org.staff.id}").json
    jd = body["job_description"]
    assert jd["id"] == version.id and jd["status"] == "published" and jd["number"] == 1
    assert [d["text"] for d in jd["duties"]] == ["负责店铺日常运营", "负责活动策划"]
    assert jd["duties"][0] == {
        "id": version.sections[0].duties[0].id,
        "text": "负责店铺日常运营",
        "frequency": "daily",
        "standard": "每天10点前",
        "weight": None,
        "section": "岗位职责",
    }
    assert jd["kpis"][0]["code"] == "SALES" and jd["kpis"][0]["target"] == 500000
    assert jd["requirements"][0]["kind"] == "education"
    # the page rule: the holder and their managers see it, another department's employee does not
    assert (
        api(user=org.employee_user).get(f"/api/v1/positions/{org.staff.id}").json["job_description"]["id"] == version.id
    )
    assert api(user=org.manager_user).get(f"/api/v1/positions/{org.staff.id}").json["job_description"] is not None
    assert api(user=org.employee_user).get(f"/api/v1/positions/{org.hr_mgr.id}").json["job_description"] is None
    assert api("hr").get(f"/api/v1/positions/{org.hr_mgr.id}").json["job_description"] is None  # none yet
