"""Position manuals, rendered for real: the contents' page numbers are the pages where each
position starts, in one pass and assembled from parts rendered by worker processes; positions
without a published job description are listed; who may print what; the cache."""

from __future__ import annotations

import re

import pytest

from app.core import clock
from app.documents import cache, services
from tests.documents.conftest import fonts, page_count, pages_text, squeeze

TOC_LINE = re.compile(r"^\s*(?P<code>[A-Z][A-Z0-9-]+)\s+(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\S.*?)\s*$")


@pytest.fixture(autouse=True)
def made_in_the_request(app, monkeypatch):
    """These tests read manuals back: made in the request, whatever their length (the tests of the
    choice between the request and a background task set their own limit)."""
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 10_000)


def _manual(client, department_id, lang="zh_CN"):
    response = client.post("/documents/manual", data={"department": department_id or "", "lang": lang})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    return response


def _contents(pages: list[str]) -> dict[str, str]:
    """{position code: what the contents say (a page number or why there is none)}."""
    entries = {}
    for page in pages:
        if "目录" not in page and "Contents" not in page:
            continue
        for line in page.splitlines():
            match = TOC_LINE.match(line)
            if match:
                entries[match["code"]] = match["page"]
    return entries


def _start_pages(pages: list[str], codes) -> dict[str, int]:
    """The page (1-based) where each position's job description begins: the first page headed
    with its document number."""
    return {code: next(n for n, page in enumerate(pages, start=1) if f"{code}-V1" in page) for code in codes}


def _check_manual(pdf: bytes) -> list[str]:
    pages = pages_text(pdf, "layout")
    assert page_count(pdf) == len(pages)
    contents = _contents(pages)
    assert contents["EC-LEAD"].isdigit() and contents["FIN-ACC"].isdigit()
    assert _start_pages(pages, ["EC-LEAD", "FIN-ACC"]) == {
        "EC-LEAD": int(contents["EC-LEAD"]),
        "FIN-ACC": int(contents["FIN-ACC"]),
    }
    for code in ("EC-MGR", "EC-STAFF", "FIN-MGR"):  # no published version: listed, not dropped
        assert contents[code] == "尚无已发布的岗位说明书", contents
    # "第 X 页 / 共 Y 页" on every page but the cover, and the parts in order
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"第{number}页/共{total}页" in squeeze(page), (number, page[-200:])
    flat = [squeeze(page) for page in pages]
    chart = next(
        n
        for n, page in enumerate(flat)
        if page.startswith("中山市纳迪服饰有限公司·岗位手册")
        and "组织架构图" in page
        and "电商运营主管" in page
        and "目录" not in page
    )
    headcount = next(n for n, page in enumerate(flat) if "编制表" in page and "缺编" in page and "目录" not in page)
    assert chart < headcount < int(contents["EC-LEAD"]) - 1
    # the running header names the department of the position on each of its pages
    lead_pages = [page for page in flat if "EC-LEAD-V1" in page]
    assert lead_pages and all("中山市纳迪服饰有限公司·运营组" in page for page in lead_pages)
    return pages


def test_company_manual_contents_point_at_the_right_pages(app, login, shop):
    hr = login("hr")
    pdf = _manual(hr, None).data
    pages = _check_manual(pdf)
    cover = squeeze(pages[0])
    assert "岗位手册" in cover and "全公司" in cover and "中山市纳迪服饰有限公司" in cover and "版次" in cover
    # the edition is named by its date; the code naming its content is only in the footers, small
    today = clock.today()
    assert f"版次{today.year}年{today.month}月{today.day}日版" in cover
    code = re.search(r"编码([0-9A-F]{8})", squeeze(pages[1]))[1]
    assert code not in cover and all(f"编码{code}" in squeeze(page) for page in pages[1:4])
    assert any(re.search(r"Noto-?Sans-?CJK-?SC", font["name"]) for font in fonts(pdf))


@pytest.mark.parametrize("workers", [1, 0])  # a real worker process (the bench runs two); none: here, in turn
def test_a_manual_assembled_from_parts_prints_like_the_one_pass_manual(data_app, ctx, shop, monkeypatch, workers):
    one_pass = services.manual_pdf(None, "zh_CN").read()
    cache.clear()
    monkeypatch.setitem(data_app.config, "PDF_WORKERS", workers)
    monkeypatch.setitem(data_app.config, "MANUAL_PARTS_MIN_POSITIONS", 1)
    assembled = services.manual_pdf(None, "zh_CN").read()
    assert assembled != one_pass
    pages = _check_manual(assembled)
    assert [squeeze(page) for page in pages] == [squeeze(page) for page in pages_text(one_pass, "layout")]
    # every part's subsets of a font became one file: the size of the one-pass manual's, about
    files = _font_files(assembled)
    assert len(files) == len(set(files.values())), files  # one file per font, however many parts
    assert len(assembled) <= 1.25 * len(one_pass), (len(assembled), len(one_pass))


def _font_files(pdf: bytes) -> dict:
    """{font file object: font name} of every embedded font of ``pdf``."""
    import io

    from pypdf import PdfReader

    files = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            reference = next(descriptor.raw_get(key) for key in ("/FontFile3", "/FontFile2") if key in descriptor)
            files[reference.idnum] = str(descriptor["/FontName"]).split("+")[-1]
    return files


def test_worn_workers_are_replaced_between_manuals(data_app, ctx, shop, monkeypatch):
    """Workers are replaced once they have rendered their share of parts, and the manuals go on
    (a pool that replaced its workers itself, with ``max_tasks_per_child``, hung on Python 3.11)."""
    from app.documents import parts

    monkeypatch.setitem(data_app.config, "PDF_WORKERS", 1)
    monkeypatch.setitem(data_app.config, "MANUAL_PARTS_MIN_POSITIONS", 1)
    monkeypatch.setattr(parts, "TASKS_PER_WORKER", 2)  # fewer than the parts of one manual
    parts.shutdown()
    try:
        first = services.manual_pdf(None, "zh_CN").read()
        workers = parts.worker_pids()
        cache.clear()
        second = services.manual_pdf(None, "en").read()
        assert workers and parts.worker_pids() and set(parts.worker_pids()).isdisjoint(workers)
    finally:
        parts.shutdown()
    assert page_count(first) == len(pages_text(first)) and "EC-LEAD-V1" in squeeze("".join(pages_text(second)))


def test_workers_import_weasyprint_and_not_the_application(data_app, ctx):
    """A PDF worker holds what laying out needs, not a second copy of the web application: it
    imports the engine by its own name, so neither Flask, SQLAlchemy nor the ``app`` package."""
    from app.documents import parts

    parts.shutdown()
    try:
        pool = parts.executor(1)
        assert pool.submit(parts.count_pages, "<p>岗位</p>").result() == 1
        loaded = pool.submit(eval, "sorted(__import__('sys').modules)").result()
    finally:
        parts.shutdown()
    assert "weasyprint" in loaded and "rolebook_pdf_engine" in loaded
    assert not [name for name in loaded if name.split(".")[0] in ("app", "flask", "sqlalchemy", "jinja2")]


def test_a_department_manual_covers_its_subtree(login, shop):
    response = _manual(login("hr"), shop.ec.id, "en")
    pages = pages_text(response.data, "layout")
    text = squeeze("".join(pages))
    assert "Positionmanual" in squeeze(pages[0]) and "电商部" in squeeze(pages[0])
    assert f"Edition of {clock.today():%B} {clock.today().day}, {clock.today().year}" in pages[0]
    assert re.search(r"ref\. [0-9A-F]{8}", pages[1]) and not re.search(r"\b[0-9A-F]{8}\b", pages[0])
    assert "EC-LEAD-V1" in text and "FIN-ACC" not in text and "财务部" not in text
    assert "nopublishedjobdescription" in text


def test_a_manual_printed_again_comes_from_the_cache(login, shop):
    hr = login("hr")
    first = _manual(hr, shop.ops.id)
    renders = services.render_count()
    second = _manual(hr, shop.ops.id)
    assert first.headers["X-Cache"] == "miss" and second.headers["X-Cache"] == "hit"
    assert second.data == first.data and services.render_count() == renders


def test_who_may_print_which_manual(app, login, shop):
    from tests import factories

    manager = app.test_client()
    manager.post("/login", data={"email": shop.manager_user.email, "password": factories.PASSWORD})
    page = manager.get("/documents/manual").get_data(as_text=True)
    assert "运营组 (EC-OPS)" in page and "电商部 (EC)" in page and "财务部" not in page and "Whole company" not in page
    assert manager.post("/documents/manual", data={"department": shop.fin.id}).status_code == 404
    assert manager.post("/documents/manual", data={"department": ""}).status_code == 403
    # the department page offers the manual to those who may print it
    assert 'data-testid="manual-button"' in manager.get(f"/org/departments/{shop.ops.id}").get_data(as_text=True)
    assert 'data-testid="manual-button"' not in manager.get(f"/org/departments/{shop.fin.id}").get_data(as_text=True)
    employee = login("employee")
    assert employee.get("/documents/manual").status_code == 403
    assert employee.post("/documents/manual", data={"department": shop.ops.id}).status_code == 403
    hr_page = login("hr").get("/documents/manual").get_data(as_text=True)
    assert "Whole company" in hr_page and "财务部 (FIN)" in hr_page


def test_a_big_manual_becomes_a_background_task(app, login, shop, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 8)  # 2 positions
    hr = login("hr")
    response = hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"})
    assert response.status_code == 303 and re.fullmatch(r"/tasks/\d+", response.headers["Location"])
    page = hr.get(response.headers["Location"]).get_data(as_text=True)
    assert "Position manual · 电商部 · English" in page and "Waiting" in page
    assert 'data-task="refresh"' in page and 'aria-valuenow="0"' in page  # works without the script too
    again = hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"})
    assert again.headers["Location"] == response.headers["Location"]


def test_the_expected_length_decides_between_the_request_and_a_task(app, login, shop, monkeypatch):
    """A manual expected to be longer than PDF_SYNC_MAX_PAGES goes to a background task; one made
    before (cached) downloads at once, however long."""
    hr = login("hr")
    positions = services.manual_size(shop.ec)
    expected = services.manual_pages(positions)
    assert expected == services.MANUAL_FIXED_PAGES + services.PAGES_PER_POSITION * positions
    cache.clear()
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", expected - 1)
    assert hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"}).status_code == 303
    page = hr.get("/documents/manual").get_data(as_text=True)
    assert f"Manuals of up to {positions - 1} positions download at once" in page
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", expected)
    made = hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"})
    assert made.status_code == 200 and made.headers["X-Cache"] == "miss"
    assert page_count(made.data) <= expected
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 1)
    again = hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"})
    assert again.status_code == 200 and again.headers["X-Cache"] == "hit" and again.data == made.data
    # a manual too big to collect its content in the request is not looked up there: a task
    monkeypatch.setattr(services, "CACHE_CHECK_MAX_POSITIONS", positions - 1)
    assert hr.post("/documents/manual", data={"department": shop.ec.id, "lang": "en"}).status_code == 303
