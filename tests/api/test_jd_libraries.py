"""The KPI and competency libraries and the base job descriptions through the API: the services
of the library pages, versions (409 on stale changes), archiving, lists in a fixed number of
queries."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.jobs import library
from app.jobs.models import Competency, Kpi
from tests import factories
from tests.api.conftest import assert_error

KPI_FIELDS = {"id", "code", "name", "unit", "direction", "definition", "measurement", "usage", "archived", "version"}
COMPETENCY_FIELDS = {"id", "code", "name", "description", "levels", "usage", "archived", "version"}


def test_kpi_lifecycle(api, org, jd):
    hr = api("hr")
    created = hr.post(
        "/api/v1/kpis", json={"code": "CONV", "name": "转化率", "unit": "%", "definition": "成交订单数 / 访客数"}
    )
    assert created.status_code == 201, created.json
    kpi = created.json
    assert set(kpi) == KPI_FIELDS
    assert (kpi["direction"], kpi["usage"], kpi["archived"], kpi["measurement"]) == ("higher", 0, False, "")
    assert created.headers["Location"].endswith(f"/api/v1/kpis/{kpi['id']}")
    read = hr.get(created.headers["Location"])
    assert read.json == kpi and read.headers["ETag"] == f'W/"{kpi["version"]}"'

    changed = hr.patch(
        f"/api/v1/kpis/{kpi['id']}", json={"measurement": "生意参谋"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert changed.status_code == 200 and changed.json["name"] == "转化率" and changed.json["measurement"] == "生意参谋"
    replaced = hr.put(
        f"/api/v1/kpis/{kpi['id']}",
        json={"code": "CONV", "name": "下单转化率", "direction": "lower", "version": changed.json["version"]},
    )
    assert replaced.status_code == 200 and replaced.json["unit"] == "" and replaced.json["direction"] == "lower"

    stale = assert_error(
        hr.patch(f"/api/v1/kpis/{kpi['id']}", json={"unit": "%"}, headers={"If-Match": read.headers["ETag"]}),
        409,
        "name",
    )
    assert "下单转化率" in stale["errors"]["name"][0]
    assert db.session.get(Kpi, kpi["id"]).unit == ""

    assert hr.post(f"/api/v1/kpis/{kpi['id']}/archive").json["archived"] is True
    assert [k["code"] for k in hr.get("/api/v1/kpis").json["items"]] == ["SALES"]
    assert [k["code"] for k in hr.get("/api/v1/kpis?archived=true").json["items"]] == ["CONV", "SALES"]
    assert hr.post(f"/api/v1/kpis/{kpi['id']}/restore").json["archived"] is False
    assert [k["code"] for k in hr.get("/api/v1/kpis?q=转化").json["items"]] == ["CONV"]


def test_kpi_rules_are_the_services(api, org, jd):
    hr = api("hr")
    sales = hr.get(f"/api/v1/kpis/{jd.kpi.id}")
    assert sales.json["usage"] == 4  # the targets of the four versions
    # its targets' thresholds would turn around
    body = assert_error(
        hr.patch(f"/api/v1/kpis/{jd.kpi.id}", json={"direction": "lower"}, headers={"If-Match": sales.headers["ETag"]}),
        422,
        "direction",
    )
    assert "Create a new KPI" in body["errors"]["direction"][0]
    assert_error(hr.post("/api/v1/kpis", json={"code": "sales", "name": "销售额"}), 422, "code")  # taken
    assert_error(hr.post("/api/v1/kpis", json={"code": "销售 额", "name": "销售额"}), 422, "code")
    assert_error(hr.post("/api/v1/kpis", json={"code": "AOV", "name": "客单价", "direction": "up"}), 422, "direction")
    assert db.session.scalar(db.select(db.func.count()).select_from(Kpi)) == 1
    assert db.session.get(Kpi, jd.kpi.id).direction == "higher"


def test_competency_lifecycle(api, org, jd):
    hr = api("hr")
    created = hr.post("/api/v1/competencies", json={"code": "TEAM", "name": "团队管理", "levels": ["带1人", "带3人"]})
    assert created.status_code == 201, created.json
    competency = created.json
    assert set(competency) == COMPETENCY_FIELDS
    assert competency["levels"] == ["带1人", "带3人", "", "", ""]
    changed = hr.patch(
        f"/api/v1/competencies/{competency['id']}",
        json={"name": "团队领导"},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.json["levels"] == competency["levels"]
    assert_error(
        hr.put(
            f"/api/v1/competencies/{competency['id']}",
            json={"code": "TEAM", "name": "团队", "levels": list("123456"), "version": 2},
        ),
        422,
        "levels",
    )
    assert_error(
        hr.put(f"/api/v1/competencies/{competency['id']}", json={"code": "TEAM", "name": "团队", "version": 1}),
        409,
        "name",
    )
    assert hr.post(f"/api/v1/competencies/{competency['id']}/archive").json["archived"] is True
    assert [c["code"] for c in hr.get("/api/v1/competencies").json["items"]] == ["OPS"]
    assert hr.get(f"/api/v1/competencies/{jd.competency.id}").json["usage"] == 4
    assert db.session.get(Competency, competency["id"]).name == "团队领导"


def test_base_job_descriptions(api, org, jd):
    library.create_template("客服专员", factories.jd_content("客服专员", duties=["处理客户咨询"]))
    db.session.commit()
    manager = api(user=org.manager_user)
    listed = manager.get("/api/v1/job-descriptions/templates").json
    assert [t["name"] for t in listed["items"]] == ["客服专员", "运营专员（基准）"]
    assert set(listed["items"][0]) == {"id", "name", "source", "archived", "created_at"}
    assert [t["name"] for t in manager.get("/api/v1/job-descriptions/templates?q=运营").json["items"]] == [
        "运营专员（基准）"
    ]
    template = manager.get(f"/api/v1/job-descriptions/templates/{jd.template.id}").json
    assert template["source"] == "tests"
    content = template["content"]
    assert content["title"] == "运营专员"
    assert content["sections"][0]["duties"][0] == {
        "id": None,
        "text": "负责运营专员的日常工作",
        "frequency": None,
        "standard": "",
        "weight": None,
    }
    assert content["kpis"][0]["kpi_id"] == jd.kpi.id and content["competencies"][0]["level"] == 3
    assert_error(manager.get("/api/v1/job-descriptions/templates/999999"), 404)


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/v1/kpis", 5),
        ("/api/v1/competencies", 5),
        ("/api/v1/job-descriptions/templates", 4),
    ],
)
def test_lists_take_a_fixed_number_of_queries(api, ctx, count_queries, path, expected):
    """The token and its user, the count, the page (and the usage counts): as many for 2 rows as for 20."""
    client = api("hr")
    counts = []
    for size in (2, 20):
        while db.session.scalar(db.select(db.func.count()).select_from(Kpi)) < size:
            n = db.session.scalar(db.select(db.func.count()).select_from(Kpi)) + 1
            factories.create_kpi(f"K{n}", f"指标{n}")
            factories.create_competency(f"C{n}", f"能力{n}")
            library.create_template(f"岗位{n}", factories.jd_content(f"岗位{n}"))
            db.session.commit()
        with count_queries() as queries:
            response = client.get(f"{path}?per_page=100")
        assert response.status_code == 200 and len(response.json["items"]) == size
        counts.append(len(queries))
    assert counts == [expected, expected], counts
