"""The job-description PDF prints KPI figures in full: every digit of 14 before the point and 4
after, grouped for reading (never 1e+14, never rounded)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories
from tests.documents.conftest import pages_text, squeeze


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_kpi_figures_are_printed_in_full(login, shop, lang):
    content = factories.jd_content(
        "大数字岗位",
        kpis=[
            (
                shop.sales,
                Decimal("99999999999998.9999"),
                Decimal("33.33"),
                "monthly",
                Decimal("1234567.0001"),
                Decimal("99999999999999.9999"),
            ),
            (shop.conversion, Decimal("0.985"), Decimal("66.67")),
        ],
    )
    version = factories.publish_jd(shop.staff, content)
    response = login("hr").get(f"/documents/versions/{version.id}/job-description.pdf?lang={lang}")
    assert response.status_code == 200
    text = squeeze("".join(pages_text(response.data, "raw")))
    for shown in ("99,999,999,999,998.9999", "1,234,567.0001", "99,999,999,999,999.9999", "0.985", "33.33", "66.67"):
        assert shown in text, shown
    assert "e+" not in text.lower()
