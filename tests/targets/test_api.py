"""The target-plan API: the same rules as the pages, ETags and If-Match, 409 on a stale version,
422 naming the field, permission before the body."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.targets.models import TargetShare
from tests import factories

NOVEMBER_PEAK = ["6", "6", "7", "7", "8", "8", "8", "8", "8", "8", "16", "10"]


@pytest.fixture
def api(app, ctx):
    def client_for(role, user=None):
        user = user or factories.create_user(role)
        client = factories.logged_in_client(app, user)
        client.user = user
        return client

    return client_for


def _new_plan(client, shop, year=2026):
    response = client.post("/api/v1/target-plans", json={"department_id": shop.ec.id, "fiscal_year": year})
    assert response.status_code == 201, response.json
    return response


def test_plan_from_line_to_approval(api, shop):
    hr = api("hr")
    created = _new_plan(hr, shop)
    plan_id, tag = created.json["id"], created.headers["ETag"]
    url = f"/api/v1/target-plans/{plan_id}"
    response = hr.put(
        f"{url}/lines/{shop.sales.id}",
        headers={"If-Match": tag},
        json={"annual": "12000000", "split": "percent", "percents": NOVEMBER_PEAK},
    )
    assert response.status_code == 200, response.json
    line = response.json["lines"][0]
    assert line["figures"]["m11"] == 1920000 and line["figures"]["y"] == 12000000 and line["difference"] is None
    stale, tag = tag, response.headers["ETag"]
    assert hr.put(f"{url}/lines/{shop.sales.id}", headers={"If-Match": stale}, json={"annual": "1"}).status_code == 409
    response = hr.post(
        f"{url}/hand-down",
        headers={"If-Match": tag},
        json={
            "kpi_id": shop.sales.id,
            "method": "amount",
            "receivers": [
                {"position_id": shop.seller.id, "value": "8000000"},
                {"position_id": shop.buyer.id, "value": "4000000"},
            ],
        },
    )
    assert response.status_code == 200 and response.json["shares"] == 2, response.json
    tree = hr.get(f"{url}/tree").json
    root = tree["nodes"][0]["cells"][0]
    assert root["remainder"]["y"] == 0 and root["over_allocated"] is False
    response = hr.post(f"{url}/approve", json={"version": int(response.headers["ETag"][3:-1])})
    assert response.status_code == 200 and response.json["status"] == "approved", response.json
    seller = factories.create_user("employee")
    factories.create_employee("E1", "王五", position=shop.seller, user=seller)
    own = api("employee", seller).get("/api/v1/target-plans/mine").json["items"]
    assert [(t["kpi"]["code"], t["figures"]["y"]) for t in own] == [("SALES", 8000000)]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"annual": -1}, "annual"),
        ({"annual": "abc"}, "annual"),
        ({"annual": 1200, "split": "percent", "percents": ["8"] * 12}, "percents"),
        ({"annual": 3, "rule": "mean", "split": "percent", "percents": NOVEMBER_PEAK}, "split"),
        ({"annual": 1200, "rule": "nonsense"}, "rule"),
    ],
)
def test_bad_lines_answer_422_naming_the_field(api, shop, body, field):
    hr = api("hr")
    created = _new_plan(hr, shop)
    response = hr.put(
        f"/api/v1/target-plans/{created.json['id']}/lines/{shop.sales.id}",
        headers={"If-Match": created.headers["ETag"]},
        json=body,
    )
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert hr.get(f"/api/v1/target-plans/{created.json['id']}").json["lines"] == []


def test_hand_down_refusals(api, shop):
    hr = api("hr")
    plan_id = _new_plan(hr, shop).json["id"]
    url = f"/api/v1/target-plans/{plan_id}"
    tag = hr.put(f"{url}/lines/{shop.sales.id}", json={"version": 1, "annual": 100}).headers["ETag"]
    response = hr.post(
        f"{url}/hand-down",
        headers={"If-Match": tag},
        json={"kpi_id": shop.sales.id, "receivers": [{"position_id": shop.outsider.id}]},
    )
    assert response.status_code == 422 and "receivers" in response.json["errors"]
    over = {"kpi_id": shop.sales.id, "method": "amount", "receivers": [{"position_id": shop.seller.id, "value": 150}]}
    response = hr.post(f"{url}/hand-down", headers={"If-Match": tag}, json=over)
    assert response.status_code == 422 and "confirm_over" in response.json["errors"]
    assert db.session.scalar(db.select(db.func.count()).select_from(TargetShare)) == 0
    response = hr.post(f"{url}/hand-down", headers={"If-Match": tag}, json={**over, "confirm_over": True})
    assert response.status_code == 200
    tree = hr.get(f"{url}/tree").json
    assert tree["nodes"][0]["cells"][0]["over_allocated"] is True
    assert hr.post(f"{url}/approve", headers={"If-Match": response.headers["ETag"]}, json={}).status_code == 422


def test_a_head_plans_their_department_but_only_hr_approves(api, shop, app):
    head = factories.create_user("manager")
    factories.create_employee("M1", "王强", position=shop.manager, user=head)
    manager = api("manager", head)
    created = manager.post("/api/v1/target-plans", json={"department_id": shop.ec.id, "fiscal_year": 2026})
    assert created.status_code == 201
    assert (
        manager.post("/api/v1/target-plans", json={"department_id": shop.other.id, "fiscal_year": 2026}).status_code
        == 403
    )
    plan_id = created.json["id"]
    tag = manager.put(
        f"/api/v1/target-plans/{plan_id}/lines/{shop.sales.id}", json={"version": 1, "annual": 100}
    ).headers["ETag"]
    assert (
        manager.post(f"/api/v1/target-plans/{plan_id}/approve", headers={"If-Match": tag}, json={}).status_code == 403
    )
    app.config["TARGETS_HEAD_MAY_APPROVE"] = True
    try:
        response = manager.post(f"/api/v1/target-plans/{plan_id}/approve", headers={"If-Match": tag}, json={})
        assert response.status_code == 200, response.json
    finally:
        app.config["TARGETS_HEAD_MAY_APPROVE"] = False
    other_manager = api("manager")
    assert other_manager.get(f"/api/v1/target-plans/{plan_id}").status_code == 404
    assert other_manager.get("/api/v1/target-plans").json["total"] == 0
    assert api("employee").get("/api/v1/target-plans").status_code == 403


def test_a_locked_plan_cannot_be_edited(api, shop):
    hr = api("hr")
    plan_id = _new_plan(hr, shop).json["id"]
    url = f"/api/v1/target-plans/{plan_id}"
    tag = hr.put(f"{url}/lines/{shop.sales.id}", json={"version": 1, "annual": 100}).headers["ETag"]
    tag = hr.post(f"{url}/approve", headers={"If-Match": tag}, json={}).headers["ETag"]
    tag = hr.post(f"{url}/lock", headers={"If-Match": tag}, json={}).headers["ETag"]
    response = hr.put(f"{url}/lines/{shop.sales.id}", headers={"If-Match": tag}, json={"annual": 200})
    assert response.status_code == 422
    assert hr.post(f"{url}/revise", headers={"If-Match": tag}, json={"change_note": "x"}).status_code == 422
    assert hr.get(url).json["lines"][0]["figures"]["y"] == 100
