"""Target plans: splitting over the year, handing down, the workflow, and every refusal leaving
the plan as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.core.errors import Conflict, ServiceError
from app.extensions import db
from app.targets import figures as fig
from app.targets import services
from app.targets.models import MONTHS, PlanStatus, TargetShare

D = Decimal
NOVEMBER_PEAK = ["6", "6", "7", "7", "8", "8", "8", "8", "8", "8", "16", "10"]


def _plan(shop, year=2026):
    plan = services.create_plan(shop.ec, year)
    db.session.commit()
    return plan


def _line(plan, kpi, annual, **kwargs):
    line = services.set_line(plan, services.LineData(kpi_id=kpi.id, annual=annual, **kwargs))
    db.session.commit()
    return line


def test_even_split_adds_up_to_the_unit_typed(shop):
    plan = _plan(shop)
    line = _line(plan, shop.sales, "1000000")
    months = [getattr(line, m) for m in MONTHS]
    assert sum(months) == D(1000000)
    assert set(months) == {D(83334), D(83333)}  # whole yuan, as typed; never 83333.33 × 12
    assert line.q1 == sum(months[:3]) and line.y == D(1000000)
    assert services.line_differences(plan, line) == {}
    cents = _line(plan, shop.traffic, "100.01")
    assert sum(getattr(cents, m) for m in MONTHS) == D("100.01")


def test_percentages_with_a_november_peak(shop):
    plan = _plan(shop)
    line = _line(plan, shop.sales, "12000000", split="percent", percents=NOVEMBER_PEAK)
    assert line.m11 == D(1920000) and line.m1 == D(720000)
    assert line.q4 == D(1920000 + 1200000 + 960000)
    assert line.percents == NOVEMBER_PEAK


@pytest.mark.parametrize(
    "percents, message",
    [
        (["8"] * 12, "96"),
        (["8"] * 11, "twelve"),
        (["x"] + ["10"] * 11, "Month 1"),
    ],
)
def test_percentages_refused(shop, percents, message):
    plan = _plan(shop)
    with pytest.raises(ServiceError) as error:
        services.set_line(
            plan, services.LineData(kpi_id=shop.sales.id, annual="1200", split="percent", percents=percents)
        )
    assert "percents" in error.value.errors and message in error.value.errors["percents"][0]


@pytest.mark.parametrize("annual", ["-5", "abc", "", "1e6"])
def test_bad_annual_targets_are_refused_at_the_field(shop, annual):
    plan = _plan(shop)
    with pytest.raises(ServiceError) as error:
        services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual=annual))
    assert list(error.value.errors) == ["annual"]


def test_a_rate_is_not_split_as_an_amount(shop):
    plan = _plan(shop)
    with pytest.raises(ServiceError) as error:
        services.set_line(
            plan,
            services.LineData(
                kpi_id=shop.conversion.id, annual="3.5", rule="mean", split="percent", percents=NOVEMBER_PEAK
            ),
        )
    assert "split" in error.value.errors
    line = _line(plan, shop.conversion, "3.5", rule="mean")
    assert all(getattr(line, m) == D("3.5") for m in MONTHS) and line.y == D("3.5")


def test_hand_typed_months_that_miss_the_year_show_the_difference(shop):
    plan = _plan(shop)
    line = _line(plan, shop.sales, "1200", split="manual", months=["100"] * 11 + ["99.99"])
    assert services.line_differences(plan, line) == {"y": D("0.01")}
    assert any("0.01" in p for p in services.plan_problems(plan))
    with pytest.raises(ServiceError):
        services.approve(plan, None)


def test_a_rate_weighted_by_traffic_is_orders_over_visitors(shop):
    plan = _plan(shop)
    _line(plan, shop.traffic, "900", split="manual", months=["100"] * 6 + ["50"] * 6)
    # 3 % on 600 visitors and 6 % on 300: 18 + 18 = 36 orders of 900 visitors, 4 %.
    line = _line(
        plan,
        shop.conversion,
        "4",
        rule="mean",
        base_kpi_id=shop.traffic.id,
        split="manual",
        months=["3"] * 6 + ["6"] * 6,
    )
    assert services.line_differences(plan, line) == {}
    line = _line(
        plan,
        shop.conversion,
        "4.5",
        rule="mean",
        base_kpi_id=shop.traffic.id,
        split="manual",
        months=["3"] * 6 + ["6"] * 6,
    )
    assert services.line_differences(plan, line) == {"y": D("0.5")}


def test_hand_down_evenly_to_positions_and_a_sub_department(shop):
    plan = _plan(shop)
    _line(plan, shop.sales, "1000000")
    count = services.hand_down(
        plan,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ec.id,
            nodes=[("position", shop.buyer.id), ("position", shop.seller.id), ("department", shop.ops.id)],
        ),
    )
    db.session.commit()
    assert count == 3
    shares = db.session.scalars(db.select(TargetShare).where(TargetShare.plan_id == plan.id)).all()
    for month in ("y", *MONTHS):
        assert sum(getattr(s, month) for s in shares) == getattr(plan.lines[0], month)
    tree = services.plan_tree(plan)
    root = tree.nodes[0]
    assert root.cells[shop.sales.id].remainder["y"] == 0 and not root.cells[shop.sales.id].over
    # further down: the sub-department hands half of its share to its position
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ops.id,
            nodes=[("position", shop.operator.id)],
            method="percent",
            values=["50"],
        ),
    )
    db.session.commit()
    tree = services.plan_tree(plan)
    ops = next(n for n in tree.nodes if n.kind == "department")
    assert [n.name for n in tree.nodes] == ["电商部", "采购专员", "销售专员", "运营组", "运营专员"]
    assert ops.cells[shop.sales.id].remainder["y"] == ops.cells[shop.sales.id].target["y"] / 2


def test_over_allocation_is_refused_unless_hr_confirms(shop):
    plan = _plan(shop)
    _line(plan, shop.sales, "1200")
    version = plan.version
    data = services.HandDown(
        kpi_id=shop.sales.id,
        parent_department_id=shop.ec.id,
        nodes=[("position", shop.buyer.id), ("position", shop.seller.id)],
        method="amount",
        values=["1000", "300"],
    )
    with pytest.raises(ServiceError) as error:
        services.hand_down(plan, data)
    assert "confirm_over" in error.value.errors
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(TargetShare)) == 0 and plan.version == version
    data.confirm_over = True
    with pytest.raises(ServiceError):
        services.hand_down(plan, data, may_over_allocate=False)  # a head cannot confirm it
    db.session.rollback()
    services.hand_down(plan, data, may_over_allocate=True)
    db.session.commit()
    tree = services.plan_tree(plan)
    assert tree.nodes[0].cells[shop.sales.id].over and tree.nodes[0].cells[shop.sales.id].remainder["y"] == D(-100)
    assert any("more than" in p for p in services.plan_problems(plan))


def test_a_position_outside_the_department_is_refused(shop):
    plan = _plan(shop)
    _line(plan, shop.sales, "1200")
    for nodes in ([("position", shop.outsider.id)], [("position", shop.operator.id)], [("department", shop.other.id)]):
        with pytest.raises(ServiceError) as error:
            services.hand_down(
                plan, services.HandDown(kpi_id=shop.sales.id, parent_department_id=shop.ec.id, nodes=nodes)
            )
        assert "nodes" in error.value.errors
        db.session.rollback()


def test_workflow_approve_lock_and_revise_keeps_history(shop):
    plan = _plan(shop)
    _line(plan, shop.sales, "1200")
    services.hand_down(
        plan,
        services.HandDown(kpi_id=shop.sales.id, parent_department_id=shop.ec.id, nodes=[("position", shop.seller.id)]),
    )
    stale = plan.version - 1
    with pytest.raises(Conflict):
        services.approve(plan, None, seen_version=stale)
    services.approve(plan, None, seen_version=plan.version)
    db.session.commit()
    assert plan.status == PlanStatus.APPROVED.value
    with pytest.raises(ServiceError):  # an approved plan is not edited in place
        services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1300"))
    db.session.rollback()
    with pytest.raises(ServiceError) as error:
        services.revise(plan, None, "  ")
    assert "change_note" in error.value.errors
    revision = services.revise(plan, None, "双十一加码")
    db.session.commit()
    assert revision.revision == 2 and revision.is_draft and revision.previous_id == plan.id
    services.set_line(revision, services.LineData(kpi_id=shop.sales.id, annual="2400"))
    services.hand_down(
        revision,
        services.HandDown(kpi_id=shop.sales.id, parent_department_id=shop.ec.id, nodes=[("position", shop.seller.id)]),
    )
    services.approve(revision, None)
    db.session.commit()
    assert plan.status == PlanStatus.SUPERSEDED.value and plan.lines[0].y == D(1200)  # history kept
    assert [p.revision for p in services.history(revision)] == [2, 1]
    services.lock(revision)
    db.session.commit()
    with pytest.raises(ServiceError):
        services.revise(revision, None, "again")


def test_position_targets_for_a_month_a_quarter_and_the_year(shop, app):
    from datetime import date

    plan = _plan(shop)
    _line(plan, shop.sales, "12000000", split="percent", percents=NOVEMBER_PEAK)
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ec.id,
            nodes=[("position", shop.seller.id), ("position", shop.buyer.id)],
        ),
    )
    assert services.position_targets([shop.seller.id], date(2026, 11, 1), date(2026, 11, 30)) == {}  # a draft
    services.approve(plan, None)
    db.session.commit()
    assert services.position_targets([shop.seller.id], date(2026, 11, 1), date(2026, 11, 30)) == {
        shop.seller.id: {shop.sales.id: D(960000)}
    }
    assert services.position_targets([shop.seller.id], date(2026, 10, 1), date(2026, 12, 31))[shop.seller.id][
        shop.sales.id
    ] == D(2040000)
    assert services.position_targets([shop.seller.id], date(2026, 1, 1), date(2026, 12, 31))[shop.seller.id][
        shop.sales.id
    ] == D(6000000)
    assert services.position_targets([shop.seller.id], date(2026, 11, 2), date(2026, 11, 30)) == {}


def test_apportion_is_exact():
    parts = fig.apportion(D(100), [D(1)] * 3, 2)
    assert parts == [D("33.34"), D("33.33"), D("33.33")] and sum(parts) == 100
    assert sum(fig.apportion(D("99999999999999.9999"), [D(1)] * 7, 4)) == D("99999999999999.9999")
