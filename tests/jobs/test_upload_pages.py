"""Uploading job-description files on the pages: one file on a position's import page, and the
bulk import (many files or a .zip) with its preview, per-row choice and one-transaction
confirmation; bad files named with the reason next to the upload, nothing created."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.jobs import services
from app.jobs.models import JobDescriptionVersion
from app.org.models import Position
from tests.jobs import documents


def _upload(client, position, data: bytes, name: str):
    return client.post(
        f"/jobs/positions/{position.id}/import?step=upload",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(data), name)},
    )


def test_import_page_reads_a_docx_and_shows_its_table(shop, login):
    hr = login("hr")
    response = _upload(hr, shop.agent, documents.word(), "客服主管.docx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    assert 'data-testid="source-table"' in page and "<td>岗位名称</td><td>客服主管</td>" in page
    assert "Text of 客服主管.docx" in page
    for duty in documents.DUTIES:
        assert duty in page
    assert services.open_version(shop.agent.id) is None  # nothing saved before HR confirms


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("损坏.docx", documents.word()[:2000], "The file is damaged or incomplete"),
        ("加密.pdf", documents.encrypted_pdf(documents.job_pdf(pages=1)), "The PDF is protected by a password"),
        ("伪装.docx", documents.job_pdf(pages=1), "The file is named .docx but holds a PDF document."),
        ("空.txt", b"", "The file is empty."),
    ],
)
def test_import_page_names_the_bad_file_next_to_the_upload(shop, login, name, data, reason):
    hr = login("hr")
    response = _upload(hr, shop.agent, data, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split('data-testid="file-error">')[1].split("</div>")[0]
    assert error.startswith(f"{name}: {reason}")
    assert services.open_version(shop.agent.id) is None


def test_import_page_refuses_a_file_over_the_limit(app, shop, login, monkeypatch):
    monkeypatch.setitem(app.config, "JD_UPLOAD_MAX_BYTES", 10_000)
    hr = login("hr")
    response = _upload(hr, shop.agent, b"x" * 50_000, "big.txt")  # read, then refused
    assert response.status_code == 422
    assert "big.txt: The file is larger than 0.01 MB." in response.get_data(as_text=True)
    response = _upload(hr, shop.agent, b"x" * 1_100_000, "huge.txt")  # refused before it is read
    assert response.status_code == 413 and "The file is larger than 0.01 MB." in response.get_data(as_text=True)


def test_employees_cannot_upload(shop, login):
    assert _upload(login("employee"), shop.agent, documents.word(), "a.docx").status_code in (403, 404)


# --- bulk import --------------------------------------------------------------------------------


def _bulk(client, files: list[tuple[str, bytes]], department_id=""):
    return client.post(
        "/jobs/bulk-import",
        content_type="multipart/form-data",
        data={"files": [(io.BytesIO(data), name) for name, data in files], "department_id": str(department_id)},
    )


def _counts():
    return (
        db.session.scalar(select(func.count()).select_from(JobDescriptionVersion)),
        db.session.scalar(select(func.count()).select_from(Position)),
    )


def test_bulk_zip_preview_then_confirm_creates_all_drafts_at_once(shop, login):
    hr = login("hr")
    text = "\n".join(["岗位职责：", "1、负责账务处理", "2、负责报表编制", "任职资格：", "1、会计专业本科"])
    archive = documents.zip_of(
        {
            "岗位说明书/FIN-ACC 会计.txt": text.encode("gb18030"),
            "岗位说明书/在线客服.docx": documents.word(title="在线客服岗位说明书"),
            "岗位说明书/仓库主管.docx": documents.word_with_chinese_numbering(),
            "岗位说明书/坏文件.pdf": b"%PDF-1.4 broken",
        },
        gbk_names=True,
    )
    before = _counts()
    response = _bulk(hr, [("all.zip", archive)], shop.department.id)
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    page = hr.get(response.headers["Location"]).get_data(as_text=True)
    assert _counts() == before  # a preview creates nothing
    rows = {r.split('data-file="')[1].split('"')[0]: r for r in page.split('data-testid="bulk-row"')[1:]}
    assert set(rows) == {
        "岗位说明书/FIN-ACC 会计.txt",
        "岗位说明书/在线客服.docx",
        "岗位说明书/仓库主管.docx",
        "岗位说明书/坏文件.pdf",
    }  # GBK names read back
    assert "by code" in rows["岗位说明书/FIN-ACC 会计.txt"]
    assert "by title" in rows["岗位说明书/在线客服.docx"]
    assert "No match" in rows["岗位说明书/仓库主管.docx"] and 'value="new" selected' in rows["岗位说明书/仓库主管.docx"]
    assert "The PDF is damaged" in rows["岗位说明书/坏文件.pdf"]
    token = response.headers["Location"].rsplit("/", 1)[1]
    response = hr.post(
        f"/jobs/bulk-import/{token}",
        data={"action": "create", "department_id": shop.department.id, "code-2": "WH-LEAD", "title-2": "仓库主管"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    clerk, agent = services.open_version(shop.clerk.id), services.open_version(shop.agent.id)
    assert [d.text for d in clerk.duties] == ["负责账务处理", "负责报表编制"] and clerk.title == "会计"
    assert [d.text for d in agent.duties] == documents.DUTIES
    new = db.session.scalar(select(Position).where(Position.code == "WH-LEAD"))
    assert new.title == "仓库主管" and new.department_id == shop.department.id
    assert [d.text for d in services.open_version(new.id).duties] == ["负责入库验收", "负责出库管理"]
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "import", AuditEvent.entity == "job_descriptions")
        )
        == 1
    )


def test_bulk_confirm_is_all_or_nothing(shop, login):
    hr = login("hr")
    response = _bulk(
        hr,
        [
            ("在线客服.docx", documents.word(title="在线客服岗位说明书")),
            ("仓库主管.docx", documents.word_with_chinese_numbering()),
        ],
        shop.department.id,
    )
    token = response.headers["Location"].rsplit("/", 1)[1]
    before = _counts()
    # the new position's code is taken: the whole batch is refused, naming the file
    response = hr.post(
        f"/jobs/bulk-import/{token}",
        data={"action": "create", "department_id": shop.department.id, "code-1": shop.boss.code},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "仓库主管.docx: Another position already has this code." in page
    assert _counts() == before and services.open_version(shop.agent.id) is None


def test_bulk_refuses_bad_archives_naming_them(shop, login):
    hr = login("hr")
    cases = [
        (documents.zip_of({"../../etc/evil.txt": b"x"}), "holds a path outside its folder"),
        (b"PK\x03\x04 not really", "The archive is damaged"),
        (documents.zip_of({"a/": b""}), "The archive holds no documents."),
    ]
    for data, reason in cases:
        response = _bulk(hr, [("batch.zip", data)])
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and reason in page.split('data-testid="files-error">')[1].split("</div>")[0]


def test_bulk_refuses_a_zip_bomb_and_too_many_files(app, shop, login, monkeypatch):
    hr = login("hr")
    monkeypatch.setitem(app.config, "JD_UPLOAD_MAX_BYTES", 1_000_000)
    bomb = documents.zip_of({"bomb.txt": b"0" * 5_000_000})
    assert len(bomb) < 20_000
    page = _bulk(hr, [("bomb.zip", bomb)]).get_data(as_text=True)
    assert "bomb.txt: The file is larger than 1 MB." in page
    monkeypatch.setitem(app.config, "JD_BULK_MAX_FILES", 3)
    many = documents.zip_of({f"{i}.txt": b"x" for i in range(5)})
    assert "The archive holds more than 3 files." in _bulk(hr, [("many.zip", many)]).get_data(as_text=True)


def test_a_big_batch_runs_in_the_background_with_progress(app, shop, login, monkeypatch):
    from tests.tasks.test_tasks import _queue

    monkeypatch.setitem(app.config, "JD_BULK_SYNC_MAX_FILES", 1)
    queue = _queue(app)
    queue.huey.flush()
    queue.start_consumer(workers=1)
    try:
        hr = login("hr")
        response = _bulk(
            hr,
            [
                ("在线客服.docx", documents.word(title="在线客服岗位说明书")),
                ("会计.txt", "岗位职责：\n1、负责账务处理\n任职资格：\n1、本科".encode()),
            ],
            shop.department.id,
        )
        assert response.status_code == 302 and "/tasks/" in response.headers["Location"]
        task_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        deadline = time.monotonic() + 60
        while (status := hr.get(f"/api/v1/tasks/{task_id}").json)["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert status["status"] == "done" and status["done"] == status["total"] > 0
        page = hr.get(f"/tasks/{task_id}").get_data(as_text=True)
        link = page.split('data-task="link" href="')[1].split('"')[0]
        preview = hr.get(link).get_data(as_text=True)
        assert "在线客服.docx" in preview and "会计.txt" in preview and "by title" in preview
    finally:
        queue.stop_consumer()


def test_matching_by_code_then_exact_title_then_close_titles(shop):
    from app.jobs.bulk import Row, _match, _positions

    positions = _positions()
    codes = {p.code.lower(): p for p in positions}
    titles = {}
    for p in positions:
        titles.setdefault(p.title, []).append(p)

    def match(filename, title, text=""):
        row = Row(index=0, filename=filename, title=title)
        _match(row, filename, text, None, positions, codes, titles)
        return row

    by_code = match("资料/fin-acc 2024版.docx", "出纳", "")
    assert (by_code.match_id, by_code.match_how) == (shop.clerk.id, "code")
    in_text = match("a.docx", "", "岗位编号：EC-MGR\n岗位名称：经理")
    assert (in_text.match_id, in_text.match_how) == (shop.boss.id, "code")
    exact = match("x.docx", "在线客服")
    assert (exact.match_id, exact.match_how) == (shop.agent.id, "title")
    from_name = match("在线客服岗位说明书.docx", "")
    assert from_name.match_id == shop.agent.id
    close = match("x.docx", "在线客服专员")
    assert close.match_id is None and [c["id"] for c in close.candidates] == [shop.agent.id]
    assert match("x.docx", "仓库保管员").candidates == []


def test_zip_names_in_gbk_and_utf8_and_member_limits(app, ctx):
    from app.jobs.bulk import unzip
    from app.jobs.files import FileRefused

    names = ["人事部/招聘专员.txt", "财务部/會計.txt"]
    for gbk in (False, True):  # as Python writes it (UTF-8, flagged), and as Chinese Windows does
        archive = documents.zip_of({name: b"x" for name in names}, gbk_names=gbk)
        assert [name for name, _data in unzip("a.zip", archive, 300, 10**8, 10**7)] == names
    with pytest.raises(FileRefused, match="path outside its folder"):
        unzip("a.zip", documents.zip_of({"/etc/passwd": b"x"}), 300, 10**8, 10**7)
    with pytest.raises(FileRefused, match="path outside its folder"):
        unzip("a.zip", documents.zip_of({"a\\..\\..\\b.txt": b"x"}), 300, 10**8, 10**7)


def test_bulk_refuses_uploads_over_the_limit_before_reading_them(app, shop, login, monkeypatch):
    monkeypatch.setitem(app.config, "JD_BULK_MAX_BYTES", 10_000)
    before = _counts()
    response = _bulk(login("hr"), [("big.zip", b"PK\x03\x04" + b"0" * 1_100_000)])
    assert response.status_code == 413
    assert "The files are larger than 0.01 MB in all." in response.get_data(as_text=True)
    assert _counts() == before
