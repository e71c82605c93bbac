"""The migration that keeps 18-digit numbers exactly on SQLite: the values already there become
integer counts of ten-thousandths and come back as the same Decimals; down again, they are the
NUMERIC values they were. PostgreSQL keeps NUMERIC as it is both ways. On the suite's engine, in
a database of its own."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.jobs.models import KpiTarget
from tests import factories
from tests.jobs.test_label_migration import scratch_app  # noqa: F401 (a database of its own)

BEFORE = "54a18ad99583"


def _raw(version_id) -> list[tuple]:
    return [
        tuple(row)
        for row in db.session.execute(
            sa.text("SELECT target, threshold, stretch FROM jd_kpi_targets WHERE version_id = :v ORDER BY position"),
            {"v": version_id},
        )
    ]


def test_existing_values_are_converted_both_ways(scratch_app):  # noqa: F811
    with scratch_app.app_context():
        upgrade()
        position = factories.create_position("EC-CS", factories.create_department("EC"))
        sales, rate = factories.create_kpi("SALES"), factories.create_kpi("RATE", unit="%")
        content = factories.jd_content(
            "客服",
            kpis=[
                (sales, Decimal("1200000"), 60, "monthly", Decimal("900000.5"), None),
                (rate, Decimal("0.985"), 40, "monthly", Decimal("0.5"), Decimal("99.9999")),
            ],
        )
        version_id = factories.publish_jd(position, content).id
        engine = db.engine.dialect.name
        if engine == "sqlite":
            assert _raw(version_id) == [(12000000000, 9000005000, None), (9850, 5000, 999999)]
        db.session.remove()

        downgrade(revision=BEFORE)
        down = _raw(version_id)
        assert [[None if v is None else Decimal(str(v)) for v in row] for row in down] == [
            [Decimal("1200000"), Decimal("900000.5"), None],
            [Decimal("0.985"), Decimal("0.5"), Decimal("99.9999")],
        ]
        db.session.remove()

        upgrade()
        targets = db.session.scalars(
            sa.select(KpiTarget).where(KpiTarget.version_id == version_id).order_by(KpiTarget.position)
        ).all()
        assert [(t.target, t.threshold, t.stretch) for t in targets] == [
            (Decimal("1200000"), Decimal("900000.5"), None),
            (Decimal("0.985"), Decimal("0.5"), Decimal("99.9999")),
        ]
        assert str(targets[0].target) == "1200000"
