"""A small shop for the target-plan tests: 电商部 with a sub-department and positions, the KPIs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.extensions import db
from tests import factories


@pytest.fixture
def shop(ctx):
    ec = factories.create_department("EC", "电商部")
    ops = factories.create_department("EC-OPS", "运营组", parent=ec)
    other = factories.create_department("HR", "人事部")
    manager = factories.create_position("EC-MGR", ec, "电商部经理")
    ec.head_position = manager
    db.session.commit()
    buyer = factories.create_position("EC-BUY", ec, "采购专员", reports_to=manager)
    seller = factories.create_position("EC-SELL", ec, "销售专员", reports_to=manager)
    operator = factories.create_position("OPS-1", ops, "运营专员", reports_to=manager)
    outsider = factories.create_position("HR-1", other, "人事专员")
    sales = factories.create_kpi("SALES", "销售额", unit="元")
    traffic = factories.create_kpi("UV", "流量", unit="人次")
    conversion = factories.create_kpi("CVR", "转化率", unit="%")
    return SimpleNamespace(
        ec=ec,
        ops=ops,
        other=other,
        manager=manager,
        buyer=buyer,
        seller=seller,
        operator=operator,
        outsider=outsider,
        sales=sales,
        traffic=traffic,
        conversion=conversion,
    )
