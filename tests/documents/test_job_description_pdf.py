"""The job-description PDF, rendered for real and read back: every duty, requirement and KPI in
order, the labels in the language asked for, CJK fonts embedded, "Page X of Y" on every page,
the DRAFT mark, long tables, user text as literal text, permissions and the cache."""

from __future__ import annotations

import os
import re

import pytest

from app.documents import context as contexts
from app.documents import services
from app.documents.render import AssetFetcher, html_to_pdf, render_pdf
from app.extensions import db
from app.jobs import services as jobs
from tests import factories
from tests.documents.conftest import (
    DUTIES_1,
    DUTIES_2,
    REQUIREMENTS,
    fonts,
    in_order,
    jd_content,
    new_draft,
    page_count,
    pages_text,
    squeeze,
)


def _get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return response.data


def test_chinese_job_description_prints_everything_in_order(login, shop):
    hr = login("hr")
    pdf = _get_pdf(hr, f"/documents/versions/{shop.version.id}/job-description.pdf?lang=zh_CN")
    pages = pages_text(pdf)
    text = "".join(pages_text(pdf, "raw"))  # in drawing order: the document's order
    assert page_count(pdf) == len(pages) >= 2
    # every duty, requirement and KPI of the version, in the order of the version
    assert in_order(text, DUTIES_1 + DUTIES_2)
    assert in_order(text, [r[1] for r in REQUIREMENTS if r[2]] + [r[1] for r in REQUIREMENTS if not r[2]])
    assert in_order(text, ["销售额", "1,200,000", "900,000", "1,500,000", "60", "转化率"])
    # sections in the seeds' order, labels in Chinese, content as typed
    assert in_order(
        text,
        [
            "基本信息",
            "岗位目的",
            "职责权限",
            "管理责任",
            "工作职责",
            "关键绩效指标",
            "能力要求",
            "任职要求",
            "工作条件",
            "签字",
        ],
    )
    assert in_order(text, ["电商运营主管", "EC-LEAD", "运营组", "P5", "电商部经理", "运营专员", "2"])
    assert "每日10点前" in squeeze(text) and "月度" in text and "30%" in squeeze(text)
    # the header (company, document number) and footer (effective date, page X of Y) on every page
    for number, page in enumerate(pages, start=1):
        flat = squeeze(page)
        assert "中山市纳迪服饰有限公司" in flat and "EC-LEAD-V1" in flat
        assert f"第{number}页/共{len(pages)}页" in flat
        assert "生效日期：2026年1月1日" in flat
    assert "草稿" not in text


def test_fonts_are_noto_cjk_and_embedded(ctx, shop):
    pdf = services.job_description_pdf(jobs.get_version(shop.version.id), "zh_CN").read()
    found = fonts(pdf)
    assert found and all(font["embedded"] for font in found)
    assert any(re.search(r"Noto-?Sans-?CJK-?SC", font["name"]) for font in found), found
    assert not any("DejaVu" in font["name"] for font in found)  # no fallback font for missing glyphs


def test_english_labels_with_content_as_typed(login, shop):
    pdf = _get_pdf(login("hr"), f"/documents/versions/{shop.version.id}/job-description.pdf?lang=en")
    pages = pages_text(pdf)
    text = "".join(pages_text(pdf, "raw"))
    assert in_order(
        text,
        [
            "1. Basic information",
            "2. Purpose",
            "5. Duties",
            "6. Key performance indicators",
            "8. Requirements",
            "Required",
            "Preferred",
            "10. Signatures",
        ],
    )
    assert in_order(text, DUTIES_1 + DUTIES_2)
    assert "Frequency: Monthly" in text and "Weight: 30%" in squeeze(text).replace("Weight:", "Weight: ")
    assert "Prepared by (HR)" in text and "Employee acknowledgement" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page{number}of{len(pages)}" in squeeze(page)
    assert "EffectiveJanuary1,2026" in squeeze(pages[0])


def test_the_language_defaults_to_the_users(login, shop):
    client = login("hr", locale="zh_CN")
    text = "".join(pages_text(_get_pdf(client, f"/documents/versions/{shop.version.id}/job-description.pdf")))
    assert "基本信息" in text


def test_a_draft_carries_the_draft_mark_and_is_not_cached(login, shop):
    draft = new_draft(shop.lead, jd_content(shop, duties_1=["新增：每周复盘直通车投放"]))
    hr = login("hr")
    url = f"/documents/versions/{draft.id}/job-description.pdf?lang=zh_CN"
    first, second = hr.get(url), hr.get(url)
    pages = pages_text(first.data, "raw")
    assert all("DRAFT/草稿" in squeeze(page) for page in pages)
    assert "草稿，尚未生效" in squeeze(pages[0])
    assert "EC-LEAD-V2" in squeeze(pages[0]) and "每周复盘直通车投放" in squeeze("".join(pages))
    assert first.headers["X-Cache"] == second.headers["X-Cache"] == "miss" and "ETag" not in first.headers


def test_a_long_kpi_table_repeats_its_header_on_every_page(ctx, shop):
    kpis = [factories.create_kpi(f"K{n:02d}", f"指标{n:02d}") for n in range(45)]
    content = jd_content(shop)
    content["kpis"] = [
        {
            "id": None,
            "kpi_id": kpi.id,
            "target": 100,
            "threshold": None,
            "stretch": None,
            "weight": 2,
            "period": "monthly",
            "note": "",
        }
        for kpi in kpis
    ]
    draft = new_draft(shop.lead, content)
    pages = pages_text(services.job_description_pdf(jobs.get_version(draft.id), "zh_CN").read(), "raw")
    with_rows = [page for page in pages if re.search(r"指标\d\d", page)]
    assert len(with_rows) >= 2
    assert all("KPI单位目标值门槛值挑战值权重%周期" in squeeze(page) for page in with_rows)
    assert in_order("".join(pages), [f"指标{n:02d}" for n in range(45)])


def _last_body_line(page: str) -> str:
    """The last line of a page above its footer (pdftotext's layout mode keeps lines whole)."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return next(line for line in reversed(lines) if "页" not in line and "生效" not in line)


def test_a_heading_never_ends_a_page(ctx, shop):
    """A purpose of growing length pushes every heading after it, in turn, to the bottom of the
    first page: none may stay there alone."""
    last_lines = set()
    for lines in range(6, 42, 6):
        content = jd_content(shop, duties_1=DUTIES_1 * 4)
        content["purpose"] = "\n".join(f"第{n}条：负责天猫旗舰店的整体运营与团队管理。" for n in range(lines))
        draft = new_draft(shop.lead, content)
        pages = pages_text(services.job_description_pdf(jobs.get_version(draft.id), "zh_CN").read(), "layout")
        for page in pages[:-1]:
            last = _last_body_line(page)
            last_lines.add(last[:6])
            assert not re.match(r"^[一二三四五六七八九十]+、", last), (lines, last)
        jobs.discard_draft(draft)
        db.session.commit()
    assert len(last_lines) > 6  # the page break really moved through the document


def test_user_text_is_printed_literally_and_nothing_is_fetched(ctx, shop):
    hostile = [
        '<script>alert("x")</script>',
        '<img src="file:///etc/passwd">',
        "background: url(http://example.com/x.png)",
    ]
    content = jd_content(shop, duties_1=hostile)
    content["purpose"] = '<link rel="stylesheet" href="http://example.com/evil.css"> url(file:///etc/passwd)'
    draft = new_draft(shop.lead, content)
    fetcher = AssetFetcher()
    pdf = render_pdf(services.JOB_DESCRIPTION, contexts.job_description(jobs.get_version(draft.id)), "en", fetcher)
    text = "".join(pages_text(pdf))
    assert in_order(text, hostile)
    assert '<link rel="stylesheet" href="http://example.com/evil.css">' in text
    assert fetcher.requested == ["rolebook-asset:print.css"] and fetcher.refused == []
    assert "root:" not in text


def test_the_fetcher_refuses_everything_but_bundled_assets_and_data(ctx):
    fetcher = AssetFetcher()
    for url in (
        "file:///etc/passwd",
        "http://example.com/",
        "https://example.com/x.css",
        "ftp://example.com/",
        "rolebook-asset:../../../../etc/passwd",
        "rolebook-asset:/../config.py",
        "rolebook-asset:missing.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == fetcher.requested
    assert fetcher.fetch("rolebook-asset:print.css").read().startswith(b"/*")
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    # even raw markup that asks for local files and the network gets nothing (defence in depth)
    raw = (
        '<html><head><link rel="stylesheet" href="https://example.com/x.css"></head><body>'
        '<img src="file:///etc/passwd"><div style="background: url(http://example.com/b.png)">x</div>'
        '<img src="rolebook-asset:../../config.py"></body></html>'
    )
    fetcher = AssetFetcher()
    pdf = html_to_pdf(raw, fetcher)
    assert set(fetcher.refused) == {
        "https://example.com/x.css",
        "file:///etc/passwd",
        "http://example.com/b.png",
        "rolebook-asset:../../config.py",
    }
    assert "root:" not in "".join(pages_text(pdf))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="renders run in this process where there is no fork")
def test_after_the_first_render_documents_are_written_by_a_child_process(ctx, monkeypatch):
    """What Pango keeps of every layout goes with the child, replaced after its share of renders:
    the long-running process stays flat. What the child's fetcher saw, and what it raised, come
    back to this process."""
    import rolebook_pdf_engine as engine

    monkeypatch.setattr(engine, "RENDERS_PER_CHILD", 2)
    html_to_pdf("<p>warm</p>")
    fetcher = AssetFetcher()
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="rolebook-asset:print.css"><img src="file:///etc/passwd"><p>岗位说明书</p>',
        fetcher,
    )
    assert "岗位说明书" in "".join(pages_text(pdf))
    assert fetcher.requested == ["rolebook-asset:print.css", "file:///etc/passwd"]
    assert fetcher.refused == ["file:///etc/passwd"]
    child = engine.render_child_pid()
    assert child not in (None, os.getpid())
    with pytest.raises(TypeError):
        html_to_pdf(None)  # WeasyPrint refuses it in the child; the same error here
    html_to_pdf("<p>again</p>")  # the child has rendered its share: a new one
    assert engine.render_child_pid() not in (None, child, os.getpid())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="renders run in this process where there is no fork")
def test_the_render_child_keeps_no_copy_of_this_processs_files(ctx):
    """A pipe (a client's socket, a driver's pipe) closed here is closed: the child forked while
    it was open closed its copy, so the other end sees the end of it."""
    import select

    import rolebook_pdf_engine as engine

    html_to_pdf("<p>warm</p>")
    read_end, write_end = os.pipe()
    try:
        with engine._lock:
            engine._stop_child()  # the next render forks a child while write_end is open
        html_to_pdf("<p>岗位</p>")
        assert engine.render_child_pid() is not None
        os.close(write_end)
        write_end = None
        ready, _w, _x = select.select([read_end], [], [], 5)
        assert ready and os.read(read_end, 1) == b""  # the end of the pipe, not a wait for the child
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


# --- who may print what -------------------------------------------------------------------------


def test_an_employee_prints_only_their_own_job_description(app, login, shop):
    client = app.test_client()
    client.post("/login", data={"email": shop.lead_user.email, "password": factories.PASSWORD})
    assert client.get(f"/documents/versions/{shop.version.id}/job-description.pdf").status_code == 200
    assert client.get(f"/documents/versions/{shop.clerk_version.id}/job-description.pdf").status_code == 404
    draft = new_draft(shop.lead, jd_content(shop))
    assert client.get(f"/documents/versions/{draft.id}/job-description.pdf").status_code == 404
    assert client.get(f"/documents/positions/{shop.lead.id}/appraisal-form.pdf").status_code == 200
    assert client.get(f"/documents/positions/{shop.clerk.id}/appraisal-form.pdf").status_code == 404


def test_a_manager_prints_their_subtree_only(app, shop):
    client = app.test_client()
    client.post("/login", data={"email": shop.manager_user.email, "password": factories.PASSWORD})
    draft = new_draft(shop.lead, jd_content(shop))
    assert client.get(f"/documents/versions/{shop.version.id}/job-description.pdf").status_code == 200
    assert client.get(f"/documents/versions/{draft.id}/job-description.pdf").status_code == 200  # may draft it
    assert client.get(f"/documents/versions/{shop.clerk_version.id}/job-description.pdf").status_code == 404


# --- the cache ----------------------------------------------------------------------------------


def test_a_published_version_is_served_from_the_cache_without_rendering(login, ctx, shop, data_app):
    hr = login("hr")
    url = f"/documents/versions/{shop.version.id}/job-description.pdf?lang=zh_CN"
    first = hr.get(url)
    renders = services.render_count()
    second = hr.get(url)
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert services.render_count() == renders  # nothing was rendered for the second
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert hr.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # another language is another document
    assert hr.get(url.replace("zh_CN", "en")).headers["X-Cache"] == "miss"


def test_anything_printed_changes_the_cache_key(ctx, shop, data_app):
    version = jobs.get_version(shop.version.id)
    key = services.job_description_pdf(version, "zh_CN").etag
    assert services.job_description_pdf(version, "zh_CN").etag == key
    # the position's header data is printed, so it is part of the key
    from app.org import services as org

    data = org.PositionData(
        code="EC-LEAD",
        title="电商运营主管",
        department_id=shop.ops.id,
        grade="P6",
        headcount=2,
        reports_to_id=shop.boss.id,
    )
    org.update_position(shop.lead, data, shop.lead.version)
    db.session.commit()
    changed = services.job_description_pdf(jobs.get_version(shop.version.id), "zh_CN")
    assert changed.etag != key and not changed.cached
    assert "P6" in "".join(pages_text(changed.read()))
    # so is the company name
    data_app.config["COMPANY_NAME"], before = "Another Company Ltd", data_app.config["COMPANY_NAME"]
    try:
        renamed = services.job_description_pdf(jobs.get_version(shop.version.id), "zh_CN")
        assert renamed.etag != changed.etag and "AnotherCompanyLtd" in squeeze(pages_text(renamed.read())[0])
    finally:
        data_app.config["COMPANY_NAME"] = before


def test_the_blank_appraisal_form(login, shop):
    pdf = _get_pdf(login("hr"), f"/documents/positions/{shop.lead.id}/appraisal-form.pdf?lang=zh_CN")
    text = "".join(pages_text(pdf))
    assert in_order(
        text,
        [
            "绩效考核表",
            "电商运营主管",
            "关键绩效指标",
            "销售额",
            "转化率",
            "能力要求",
            "电商运营能力",
            "数据分析能力",
            "员工意见",
            "签字",
            "员工",
            "经理",
            "人力资源",
        ],
    )
    assert in_order(text, ["实际值", "达成率", "自评", "上级评分"])
    assert any(re.search(r"Noto-?Sans-?CJK-?SC", font["name"]) for font in fonts(pdf))
