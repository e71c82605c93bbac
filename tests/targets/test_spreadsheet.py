"""A plan's tree exported to XLSX and imported back (point 6): a dry run listing every problem by
row and column, nothing applied until the file is clean."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from app.extensions import db
from app.targets import services
from app.targets.models import TargetShare


def _plan(shop):
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ec.id,
            nodes=[("position", shop.seller.id), ("department", shop.ops.id)],
        ),
    )
    db.session.commit()
    return plan


def _book(response):
    return load_workbook(io.BytesIO(response.data)).worksheets[0]


def _upload(client, plan, sheet, **data):
    out = io.BytesIO()
    sheet.parent.save(out)
    return client.post(
        f"/targets/plans/{plan.id}/import",
        data={"file": (io.BytesIO(out.getvalue()), "plan.xlsx"), **data},
        content_type="multipart/form-data",
    )


def test_export_edit_check_and_apply(shop, login):
    plan = _plan(shop)
    hr = login("hr")
    sheet = _book(hr.get(f"/targets/plans/{plan.id}/plan.xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["plan", "position", "department"]
    assert rows[1][6] == 1200 and rows[2][6] == 600 and rows[2][3] == "EC"
    # HR moves 120 from the seller to 运营组 in January, by hand
    seller_row, ops_row = 3, 4
    sheet.cell(seller_row, 8).value = 50 - 20
    sheet.cell(seller_row, 7).value = 580
    sheet.cell(ops_row, 8).value = 50 + 20
    sheet.cell(ops_row, 7).value = 620
    sheet.cell(ops_row, 9).value = "abc"  # and a typo
    response = _upload(hr, plan, sheet)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2026-02" in page and "Enter a number." in page
    assert db.session.get(TargetShare, 1).m1 == Decimal(50)  # nothing applied
    sheet.cell(ops_row, 9).value = 50
    response = _upload(hr, plan, sheet)
    assert response.status_code == 200 and 'data-testid="clean"' in response.get_data(as_text=True)
    digest = response.get_data(as_text=True).split('name="digest" value="')[1].split('"')[0]
    assert hr.post(f"/targets/plans/{plan.id}/import", data={"digest": digest}).status_code == 302
    db.session.expire_all()
    shares = {s.position_id or -s.department_id: s for s in db.session.scalars(db.select(TargetShare))}
    assert shares[shop.seller.id].m1 == Decimal(30) and shares[shop.seller.id].y == Decimal(580)
    assert shares[-shop.ops.id].m1 == Decimal(70)


def test_import_refuses_outsiders_and_over_allocation(shop, login):
    plan = _plan(shop)
    hr = login("hr")
    sheet = _book(hr.get(f"/targets/plans/{plan.id}/plan.xlsx"))
    sheet.cell(3, 2).value = shop.outsider.code
    response = _upload(hr, plan, sheet)
    assert response.status_code == 422 and "Not an active position of the department EC" in response.get_data(
        as_text=True
    )
    sheet.cell(3, 2).value = shop.seller.code
    sheet.cell(3, 7).value = 600 + 500  # with the ops share, beyond the whole
    sheet.cell(3, 8).value = 50 + 500
    response = _upload(hr, plan, sheet)
    assert response.status_code == 422 and "Only HR may confirm" in response.get_data(as_text=True)
    assert _upload(hr, plan, sheet, confirm_over="y").status_code == 200
