"""How a position manual is laid out, read from its pages: a split org chart keeps its legend on
its own page."""

from __future__ import annotations

from app.documents import manual, services
from tests import factories
from tests.documents.conftest import pages_text, squeeze

LEGEND = {"zh_CN": "每个方框为一个岗位", "en": "Eachboxisaposition"}
PART = {"zh_CN": "组织架构图", "en": "Organisationchart"}


def test_a_split_chart_keeps_each_legend_with_its_chart(ctx, shop, monkeypatch):
    """A tall chart (a chain of twelve positions), drawn as large as a page allows: its title,
    the chart and the legend all fit on one page (departments come in the org chart's order, so
    the new department's chart is the last)."""
    store = factories.create_department("AA", "仓储部")
    superior = None
    for n in range(12):
        superior = factories.create_position(f"AA-{n:02d}", store, f"仓储岗位{n:02d}", reports_to=superior)
    monkeypatch.setattr(manual, "CHART_MAX_POSITIONS", 12)  # 17 positions: one chart per department
    monkeypatch.setattr(manual, "OVERVIEW_DEPTH", None)  # no overview: one chart per department
    for lang in ("zh_CN", "en"):
        pages = [squeeze(page) for page in pages_text(services.manual_pdf(None, lang).read())]
        charts = [page for page in pages if PART[lang] in page and "....." not in page]
        assert len(charts) == 3, [page[:80] for page in charts]
        assert all(LEGEND[lang] in page for page in charts)
        tall = next(page for page in charts if "仓储岗位00" in page)
        assert "仓储部" in tall and "仓储岗位00" in tall and "仓储岗位11" in tall
        assert tall.index("仓储岗位11") < tall.index(LEGEND[lang])
        assert sum(LEGEND[lang] in page for page in pages) == 3  # never a page of its own
