"""Monthly actuals (point 5): typed on a page or imported (dry run, every problem by row and
column, nothing applied until clean), stored as typed, audited, rolled up on the scorecard by the
KPI's rule with the reviews' actuals (a review wins for its position and month)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from app.appraisals import services as appraisals
from app.appraisals.models import KpiResult, Review
from app.appraisals.services import launch
from app.audit.models import AuditEvent
from app.core.errors import Conflict, ServiceError
from app.documents.scorecard import scorecard
from app.extensions import db
from app.targets import actuals, services
from app.targets.models import TargetActual
from tests import factories


def _plan(shop, approve=True):
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.set_line(plan, services.LineData(kpi_id=shop.traffic.id, annual="12000"))
    services.set_line(
        plan, services.LineData(kpi_id=shop.conversion.id, annual="3", rule="mean", base_kpi_id=shop.traffic.id)
    )
    if approve:
        services.approve(plan, None)
    db.session.commit()
    return plan


def _entry(position, kpi, month, typed):
    return actuals.Entry(position.id, kpi.id, month, typed, f"{position.code}-{kpi.code}-{month}")


def _row(card, kpi_name, period):
    kpi = next(k for k in card["kpis"] if k["name"] == kpi_name)
    return next(r for r in kpi["rows"] if r["period"] == period)


def test_typed_actuals_roll_up_by_the_rule(shop, app):
    plan = _plan(shop)
    entries = [
        _entry(shop.seller, shop.sales, "m1", "60.50"),
        _entry(shop.operator, shop.sales, "m1", "40"),  # a position of the sub-department
        _entry(shop.seller, shop.sales, "m2", "100"),
        _entry(shop.seller, shop.traffic, "m1", "1000"),
        _entry(shop.operator, shop.traffic, "m1", "3000"),
        _entry(shop.seller, shop.conversion, "m1", "2"),
        _entry(shop.operator, shop.conversion, "m1", "4"),
    ]
    assert actuals.save(plan, entries) == 7
    db.session.commit()
    stored = db.session.scalar(db.select(TargetActual).where(TargetActual.month == "m1", TargetActual.value > 60))
    assert stored.value == Decimal("60.50")  # as typed (the same number)
    with app.test_request_context():
        card = scorecard(plan)
    assert _row(card, "销售额", "m1")["actual_value"] == Decimal("100.50")  # amounts add up
    assert _row(card, "销售额", "q1")["actual_value"] == Decimal("200.50") and _row(card, "销售额", "q1")["partial"]
    # a rate: weighted by the same positions' traffic of the month, (2×1000 + 4×3000) / 4000
    assert _row(card, "转化率", "m1")["actual_value"] == Decimal("3.5")
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.entity == "target_plans").order_by(AuditEvent.id.desc())
    ).first()
    assert any(key == "EC-SELL · SALES · 2026-01" and value == [None, "60.5"] for key, value in event.changes.items())


def test_a_review_wins_over_the_imported_figure(shop, app):
    plan = _plan(shop)
    factories.publish_jd(shop.seller, factories.jd_content(shop.seller.title, kpis=[(shop.sales, 100, 100, "monthly")]))
    factories.create_employee("E1", "王五", position=shop.seller)
    cycle = appraisals.create_cycle(
        appraisals.CycleData(name="11", period_type="monthly", start_date=date(2026, 11, 1))
    )
    launch.launch_cycle(cycle)
    db.session.flush()
    for result in db.session.scalars(db.select(KpiResult).join(Review)):
        result.actual = Decimal(70)
    actuals.save(
        plan,
        [
            _entry(shop.seller, shop.sales, "m11", "999"),  # the review's 70 wins
            _entry(shop.buyer, shop.sales, "m11", "30"),  # no review: counts
        ],
    )
    db.session.commit()
    with app.test_request_context():
        card = scorecard(plan)
    assert _row(card, "销售额", "m11")["actual_value"] == Decimal(100)


@pytest.mark.parametrize(
    "entry, field",
    [
        (lambda s: actuals.Entry(s.seller.id, s.sales.id, "m1", "-5", "x"), "x.value"),
        (lambda s: actuals.Entry(s.seller.id, s.sales.id, "m1", "abc", "x"), "x.value"),
        (lambda s: actuals.Entry(s.outsider.id, s.sales.id, "m1", "5", "x"), "x.position_id"),
        (lambda s: actuals.Entry(999999, s.sales.id, "m1", "5", "x"), "x.position_id"),
        (lambda s: actuals.Entry(s.seller.id, 999999, "m1", "5", "x"), "x.kpi_id"),
        (lambda s: actuals.Entry(s.seller.id, s.sales.id, "m13", "5", "x"), "x.month"),
    ],
)
def test_bad_actuals_are_refused_by_field(shop, entry, field):
    plan = _plan(shop)
    version = plan.version
    with pytest.raises(ServiceError) as refused:
        actuals.save(plan, [_entry(shop.buyer, shop.sales, "m1", "1"), entry(shop)])
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(TargetActual)) == 0
    assert plan.version == version


def test_duplicates_stale_versions_and_drafts_are_refused(shop):
    plan = _plan(shop)
    with pytest.raises(ServiceError) as refused:
        actuals.save(plan, [_entry(shop.seller, shop.sales, "m1", "1"), _entry(shop.seller, shop.sales, "m1", "2")])
    assert "twice" in refused.value.errors[f"{shop.seller.code}-SALES-m1.month"][0]
    db.session.rollback()
    stale = plan.version
    actuals.save(plan, [_entry(shop.seller, shop.sales, "m1", "1")], seen_version=stale)
    db.session.commit()
    with pytest.raises(Conflict):
        actuals.save(plan, [_entry(shop.seller, shop.sales, "m1", "2")], seen_version=stale)
    db.session.rollback()
    draft = services.create_plan(shop.ops, 2026)
    services.set_line(draft, services.LineData(kpi_id=shop.sales.id, annual="12"))
    with pytest.raises(ServiceError, match="plan in force"):
        actuals.save(draft, [_entry(shop.operator, shop.sales, "m1", "1")])


def test_a_locked_plan_still_records_actuals_and_a_revision_carries_them(shop, app):
    plan = _plan(shop)
    actuals.save(plan, [_entry(shop.seller, shop.sales, "m1", "10")])
    revision = services.revise(plan, None, "more")
    services.approve(revision, None)
    db.session.commit()
    assert actuals.actuals_of(revision) == {(shop.seller.id, shop.sales.id, "m1"): Decimal(10)}
    services.lock(revision)
    assert actuals.save(revision, [_entry(shop.seller, shop.sales, "m1", "")]) == 1  # emptied: removed
    assert actuals.actuals_of(revision) == {}


def _upload(client, plan, rows, name="actuals.xlsx", header=None):
    header = header or ["code", "position", "kpi code", "kpi", *[f"2026-{m:02d}" for m in range(1, 13)]]
    if name.endswith(".csv"):
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        data = out.getvalue().encode("gb18030")
    else:
        book = Workbook()
        for row in [header, *rows]:
            book.active.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
    return client.post(
        f"/targets/plans/{plan.id}/actuals/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_import_dry_run_lists_every_problem_then_applies(shop, login):
    plan = _plan(shop)
    hr = login("hr")
    template = load_workbook(io.BytesIO(hr.get(f"/targets/plans/{plan.id}/actuals.xlsx").data)).worksheets[0]
    assert [c.value for c in template[1]][4:6] == ["2026-01", "2026-02"]
    bad = [
        ["EC-SELL", "", "SALES", "", -1, "abc"],
        ["HR-1", "", "SALES", "", 5],
        ["EC-SELL", "", "NOPE", "", 5],
        ["EC-SELL", "", "SALES", "", 5],
    ]
    response = _upload(hr, plan, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for text in ("2026-01", "2026-02", "Enter a number.", "already on row 2", "This KPI is not in the plan."):
        assert text in page, text
    assert db.session.scalar(db.select(db.func.count()).select_from(TargetActual)) == 0
    assert (
        _upload(hr, plan, [["EC-SELL", "", "SALES", "", 5]], header=["a", "b", "c", "d", "2025-13"]).status_code == 422
    )
    good = [["EC-SELL", "", "SALES", "", "50.10", None, 70], ["OPS-1", "", "CVR", "", "2.5"]]
    response = _upload(hr, plan, good, name="actuals.csv")
    assert response.status_code == 200 and 'data-testid="clean"' in response.get_data(as_text=True)
    digest = response.get_data(as_text=True).split('name="digest" value="')[1].split('"')[0]
    assert hr.post(f"/targets/plans/{plan.id}/actuals/import", data={"digest": digest}).status_code == 302
    db.session.expire_all()
    assert actuals.actuals_of(plan) == {
        (shop.seller.id, shop.sales.id, "m1"): Decimal("50.1"),
        (shop.seller.id, shop.sales.id, "m3"): Decimal(70),
        (shop.operator.id, shop.conversion.id, "m1"): Decimal("2.5"),
    }


def test_the_page_keeps_input_and_refuses_others(shop, login):
    plan = _plan(shop)
    hr = login("hr")
    url = f"/targets/plans/{plan.id}/actuals"
    page = hr.get(f"{url}?position={shop.seller.id}")
    assert page.status_code == 200 and "review’s figure counts" in page.get_data(as_text=True)
    field = f"a-{shop.sales.id}-m1"
    response = hr.post(url, data={"version": plan.version, "position_id": shop.seller.id, field: "-3"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="-3"' in body and "is-invalid" in body
    response = hr.post(url, data={"version": plan.version, "position_id": shop.seller.id, field: "12.30"})
    assert response.status_code == 302
    stale = hr.post(url, data={"version": plan.version - 1 or 1, "position_id": shop.seller.id, field: "99"})
    assert stale.status_code == 409 and 'value="99"' in stale.get_data(as_text=True)
    db.session.expire_all()
    assert actuals.actuals_of(plan) == {(shop.seller.id, shop.sales.id, "m1"): Decimal("12.3")}
    assert hr.get(f"{url}?position={shop.outsider.id}").status_code == 404
    # another department's head sees nothing of it; the department's head may record
    other_head = login("manager")
    factories.create_employee("M2", "人事经理", position=shop.outsider, user=other_head.user)
    shop.other.head_position = shop.outsider
    head = login("manager")
    factories.create_employee("M1", "王强", position=shop.manager, user=head.user)
    db.session.commit()
    assert other_head.get(url).status_code == 404
    assert other_head.post(url, data={"position_id": shop.seller.id, field: "1"}).status_code == 404
    assert head.get(f"{url}?position={shop.operator.id}").status_code == 200


def test_a_quarter_with_its_own_cycle_adds_the_positions_it_did_not_review(shop, app):
    plan = _plan(shop)
    factories.publish_jd(
        shop.seller, factories.jd_content(shop.seller.title, kpis=[(shop.sales, 300, 100, "quarterly")])
    )
    factories.create_employee("E1", "王五", position=shop.seller)
    cycle = appraisals.create_cycle(
        appraisals.CycleData(name="Q4", period_type="quarterly", start_date=date(2026, 10, 1))
    )
    launch.launch_cycle(cycle)
    db.session.flush()
    for result in db.session.scalars(db.select(KpiResult).join(Review)):
        result.actual = Decimal(280)
    actuals.save(
        plan,
        [
            _entry(shop.seller, shop.sales, "m10", "1000"),  # reviewed for the quarter: the review wins there
            _entry(shop.buyer, shop.sales, "m10", "20"),
            _entry(shop.buyer, shop.sales, "m11", "30"),
        ],
    )
    db.session.commit()
    with app.test_request_context():
        card = scorecard(plan)
    q4 = _row(card, "销售额", "q4")
    assert q4["actual_value"] == Decimal(330) and q4["cycle"] is True  # 280 + 20 + 30
    assert _row(card, "销售额", "m10")["actual_value"] == Decimal(1020)  # no monthly review: both recorded
    assert _row(card, "销售额", "q1")["cycle"] is False
