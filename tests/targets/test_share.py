"""One node's target for one period changed by hand on the plan's pages (point 3): the split is
checked again and the differences shown, over-allocation refused unless HR confirms, a stale
version is a conflict with the input kept, a locked plan refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.core.errors import ServiceError
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
            nodes=[("position", shop.seller.id), ("position", shop.buyer.id)],
        ),
    )
    db.session.commit()
    return plan


def _share(plan, shop, position):
    return services.get_share(plan, shop.sales.id, "position", position.id)


def test_a_month_by_hand_the_quarter_and_year_follow(shop):
    plan = _plan(shop)
    share = _share(plan, shop, shop.seller)
    services.set_share_figure(plan, share, "m1", "40.5")
    assert (share.m1, share.q1, share.y) == (Decimal("40.5"), Decimal("140.5"), Decimal("590.5"))
    gaps = {row.period: row for row in services.share_gaps(plan, share.line, shop.ec.id)}
    assert gaps["m1"].remainder == Decimal("9.5") and not gaps["m1"].over
    services.set_share_figure(plan, share, "y", "300")  # re-split in proportion to the months
    assert share.y == Decimal(300) and sum(share.figures()[m] for m in [f"m{i}" for i in range(1, 13)]) == 300


def test_over_allocation_quarters_locked_plans_and_bad_numbers(shop):
    plan = _plan(shop)
    share = _share(plan, shop, shop.seller)
    with pytest.raises(ServiceError) as refused:
        services.set_share_figure(plan, share, "m1", "51")  # 51 + 50 > 100
    assert "confirm_over" in refused.value.errors
    db.session.rollback()
    services.set_share_figure(plan, share, "m1", "51", may_over_allocate=True, confirm_over=True)
    gaps = {row.period: row for row in services.share_gaps(plan, share.line, shop.ec.id)}
    assert gaps["m1"].over and gaps["m1"].remainder == Decimal(-1)
    for period, typed, field in (("q1", "1", "period"), ("m1", "-1", "value"), ("m1", "x", "value")):
        with pytest.raises(ServiceError) as refused:
            services.set_share_figure(plan, share, period, typed)
        assert field in refused.value.errors
    services.set_share_figure(plan, share, "m1", "50")
    services.approve(plan, None)
    services.lock(plan)
    with pytest.raises(ServiceError, match="only a draft"):
        services.set_share_figure(plan, share, "m1", "1")


def test_the_share_page(shop, login):
    plan = _plan(shop)
    hr = login("hr")
    url = f"/targets/plans/{plan.id}/share?kind=position&node={shop.seller.id}&kpi={shop.sales.id}"
    assert 'data-testid="share-link"' in hr.get(f"/targets/plans/{plan.id}").get_data(as_text=True)
    page = hr.get(url)
    assert page.status_code == 200 and 'data-testid="share-form"' in page.get_data(as_text=True)
    version = plan.version
    response = hr.post(url, data={"version": version, "period": "m2", "value": "80"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Only HR may confirm over-allocation" in body
    assert 'value="80"' in body
    response = hr.post(url, data={"version": version, "period": "m2", "value": "80", "confirm_over": "y"})
    assert response.status_code == 302
    page = hr.get(url).get_data(as_text=True)
    assert 'data-testid="over"' in page  # the red remainder: never hidden
    stale = hr.post(url, data={"version": version, "period": "m2", "value": "20"})
    assert stale.status_code == 409 and 'value="20"' in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(TargetShare.m2).where(TargetShare.position_id == shop.seller.id)) == 80
    assert (
        hr.get(f"/targets/plans/{plan.id}/share?kind=position&node={shop.outsider.id}&kpi={shop.sales.id}").status_code
        == 404
    )
    assert login("manager").post(url, data={"version": plan.version, "period": "m2", "value": "1"}).status_code == 404
