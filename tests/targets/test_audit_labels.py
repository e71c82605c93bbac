"""The audit trail of target plans reads in the user's words (point 4): record types and fields of
the targets tables in English and Chinese, the monthly actuals by position, KPI and month."""

from __future__ import annotations

from flask_babel import force_locale

from app.audit.models import AuditEvent
from app.audit.vocabulary import present
from app.extensions import db
from app.targets import actuals, services


def test_targets_events_have_readable_labels(shop, app):
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.hand_down(
        plan,
        services.HandDown(kpi_id=shop.sales.id, parent_department_id=shop.ec.id, nodes=[("position", shop.seller.id)]),
    )
    db.session.commit()
    share = services.get_share(plan, shop.sales.id, "position", shop.seller.id)
    services.set_share_figure(plan, share, "m1", "90")
    services.approve(plan, None)
    actuals.save(plan, [actuals.Entry(shop.seller.id, shop.sales.id, "m2", "12.5")])
    db.session.commit()
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    with app.test_request_context():
        shown = present(events)
        types = {s.record_type for s in shown}
        fields = {c.field for s in shown for c in s.changes}
        assert {"Target plan", "KPI of a target plan", "Target handed down"} <= types
        assert {"Month 1 of the fiscal year", "Year", "How the parts combine", "Fiscal year"} <= fields
        assert "EC-SELL · SALES · 2026-02" in fields
        assert any(s.link == f"/targets/plans/{plan.id}" for s in shown)
        with force_locale("zh_Hans_CN"):
            shown = present(events)
            types = {s.record_type for s in shown}
            fields = {c.field for s in shown for c in s.changes}
        assert {"目标计划", "目标计划的 KPI", "下达的目标"} <= types and "财年第 1 个月" in fields
        assert not {"Month 1 of the fiscal year", "How the parts combine", "Target plan"} & (fields | types)
