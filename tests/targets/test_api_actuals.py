"""The API of the scorecard, the monthly actuals and the imports (points 2 and 5): permission
before the body, ETag and If-Match, 409 when stale, 422 naming the field, multipart dry runs."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.targets import actuals, services
from tests import factories
from tests.targets.test_api import api  # noqa: F401  (the fixture)


def _approved(shop):
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.set_line(plan, services.LineData(kpi_id=shop.conversion.id, annual="3", rule="mean"))
    services.approve(plan, None)
    db.session.commit()
    return plan


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_actuals_put_get_and_the_scorecard(api, shop):  # noqa: F811
    plan = _approved(shop)
    hr = api("hr")
    url = f"/api/v1/target-plans/{plan.id}"
    got = hr.get(f"{url}/actuals")
    assert got.status_code == 200 and got.json["items"] == []
    tag = got.headers["ETag"]
    body = {
        "items": [
            {"position_id": shop.seller.id, "kpi_id": shop.sales.id, "month": "m1", "value": "60.25"},
            {"position_id": shop.operator.id, "kpi_id": shop.sales.id, "month": "m1", "value": 40},
            {"position_id": shop.seller.id, "kpi_id": shop.conversion.id, "month": "m1", "value": "2.5"},
        ]
    }
    put = hr.put(f"{url}/actuals", json=body, headers={"If-Match": tag})
    assert put.status_code == 200 and put.json["changed"] == 3, put.json
    assert put.headers["ETag"] != tag
    assert hr.put(f"{url}/actuals", json=body, headers={"If-Match": tag}).status_code == 409
    assert hr.put(f"{url}/actuals", json=body).status_code == 428  # If-Match or version required
    card = hr.get(f"{url}/scorecard").json
    sales = card["kpis"][0]
    january = next(p for p in sales["periods"] if p["period"] == "m1")
    assert (january["target"], january["actual"], january["attainment"]) == (100, 100.25, 100.0)  # capped as in reviews
    assert sales["kpi"]["code"] == "SALES" and sales["rule"] == "sum"
    for item, field in (
        ({"position_id": shop.seller.id, "kpi_id": shop.sales.id, "month": "m1", "value": -1}, "items.0.value"),
        ({"position_id": shop.seller.id, "kpi_id": shop.sales.id, "month": "m1", "value": "x"}, "items.0.value"),
        ({"position_id": shop.outsider.id, "kpi_id": shop.sales.id, "month": "m1", "value": 1}, "items.0.position_id"),
        ({"position_id": shop.seller.id, "kpi_id": shop.traffic.id, "month": "m1", "value": 1}, "items.0.kpi_id"),
        ({"position_id": shop.seller.id, "kpi_id": shop.sales.id, "month": "m0", "value": 1}, "items.0.month"),
    ):
        response = hr.put(f"{url}/actuals", json={"items": [item], "version": int(put.headers["ETag"][3:-1])})
        assert response.status_code == 422 and field in response.json["errors"], (field, response.json)
    db.session.expire_all()
    assert actuals.actuals_of(plan)[(shop.seller.id, shop.sales.id, "m1")] == Decimal("60.25")


def test_actuals_import_dry_run_then_apply(api, shop):  # noqa: F811
    plan = _approved(shop)
    hr = api("hr")
    url = f"/api/v1/target-plans/{plan.id}/actuals/import"
    header = ["code", "title", "kpi", "name", "2026-01", "2026-02"]
    bad = _xlsx([header, ["EC-SELL", "", "SALES", "", "abc", 5], ["EC-SELL", "", "SALES", "", 1]])
    response = hr.post(url, data={"file": (io.BytesIO(bad), "a.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422 and len(response.json["errors"]["file"]) == 2, response.json
    assert "Row 2, 2026-01" in response.json["errors"]["file"][0]
    good = _xlsx([header, ["EC-SELL", "", "SALES", "", 50, 5]])
    response = hr.post(url, data={"file": (io.BytesIO(good), "a.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 200 and response.json == {
        "dry_run": True,
        "rows": 2,
        "applied": False,
        "version": plan.version,
    }
    assert actuals.actuals_of(plan) == {}
    stale = {"file": (io.BytesIO(good), "a.xlsx"), "dry_run": "false", "version": str(plan.version - 1)}
    assert hr.post(url, data=stale, content_type="multipart/form-data").status_code == 409
    data = {"file": (io.BytesIO(good), "a.xlsx"), "dry_run": "false", "version": str(plan.version)}
    response = hr.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and response.json["applied"] is True, response.json
    db.session.expire_all()
    assert actuals.actuals_of(plan)[(shop.seller.id, shop.sales.id, "m2")] == 5
    assert hr.post(url, json={"file": "x"}).status_code == 422
    assert hr.post(url, data={"file": (io.BytesIO(good), "a.xlsx"), "other": "1"}).status_code == 422


def test_plan_import_by_the_api(api, shop):  # noqa: F811
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    db.session.commit()
    hr = api("hr")
    url = f"/api/v1/target-plans/{plan.id}"
    sheet = load_workbook(io.BytesIO(hr.get(f"/targets/plans/{plan.id}/plan.xlsx").data)).worksheets[0]
    sheet.append(["position", "EC-SELL", "", "EC", "SALES", "", 120, *[10] * 12])
    sheet.append(["position", "HR-1", "", "EC", "SALES", "", 12, *[1] * 12])
    out = io.BytesIO()
    sheet.parent.save(out)
    response = hr.post(
        f"{url}/import", data={"file": (io.BytesIO(out.getvalue()), "p.xlsx")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "Not an active position" in response.json["errors"]["file"][0]
    sheet.delete_rows(4)
    out = io.BytesIO()
    sheet.parent.save(out)
    data = {"file": (io.BytesIO(out.getvalue()), "p.xlsx"), "dry_run": "false"}
    response = hr.post(f"{url}/import", data=data, headers={"If-Match": f'W/"{plan.version}"'})
    assert response.status_code == 200 and response.json["rows"] == 2, response.json
    tree = hr.get(f"{url}/tree").json
    assert [n["code"] for n in tree["nodes"]] == ["EC", "EC-SELL"]


def test_a_head_of_another_department_and_a_draft(api, shop):  # noqa: F811
    plan = _approved(shop)
    other = factories.create_user("manager")
    factories.create_employee("M2", "人事经理", position=shop.outsider, user=other)
    shop.other.head_position = shop.outsider
    head = factories.create_user("manager")
    factories.create_employee("M1", "王强", position=shop.manager, user=head)
    db.session.commit()
    url = f"/api/v1/target-plans/{plan.id}"
    outsider = api("manager", other)
    assert outsider.get(f"{url}/scorecard").status_code == 404
    assert outsider.put(f"{url}/actuals", json={"items": "nonsense"}).status_code == 404
    own = api("manager", head)
    item = {"position_id": shop.operator.id, "kpi_id": shop.sales.id, "month": "m3", "value": "7"}
    response = own.put(f"{url}/actuals", json={"items": [item], "version": plan.version})
    assert response.status_code == 200, response.json
    draft = services.revise(plan, None, "why")
    db.session.commit()
    response = own.put(f"/api/v1/target-plans/{draft.id}/actuals", json={"items": [item], "version": draft.version})
    assert response.status_code == 422 and "plan in force" in response.json["message"]
