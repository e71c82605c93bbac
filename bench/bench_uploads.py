"""Benchmark of job descriptions read from files (app.jobs.files, app.jobs.bulk):

- a 20-page .docx (numbered lists in Word's own numbering, label/value tables), read and parsed
  (target: under 1 s), its page count checked by LibreOffice;
- the preview of a 100-file .zip of mixed documents (40 .docx, 15 .doc and 5 .wps converted by
  LibreOffice, 20 PDFs, 10 web pages, 10 text files in GB18030, Big5 and UTF-16), read, parsed
  and matched against 200 positions, as the bulk import's background task does (target: under
  60 s on a 2-core machine).

Every document is built here with real tools (python-docx, LibreOffice, WeasyPrint). Run from
the repository root: ``python bench/bench_uploads.py``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.shared import Cm  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.measure import note, peak_resident, result, scaled  # noqa: E402

# In a smoke run: a few pages, one or two files of each kind, a few positions (the same code runs).
PARTS = scaled(26, 2)  # of the long .docx (26: 20 pages)
PARSE_RUNS = scaled(7, 1)
POSITIONS = scaled(200, 10)
DOCX, DOC, WPS, PDF, HTML, TEXT = scaled((40, 15, 5, 20, 10, 10), (2, 1, 1, 1, 1, 4))

DUTIES = [
    "负责制定部门年度工作计划并组织实施",
    "负责客户投诉的受理、处理与回访",
    "每周汇总服务数据并提交分析报告",
    "负责新员工的岗位培训与考核",
    "协调各部门之间的工作衔接",
]


def twenty_pages() -> bytes:
    document = docx.Document()
    document.add_paragraph("客服主管岗位说明书")
    for part in range(PARTS):
        table = document.add_table(rows=3, cols=4)
        table.style = "Table Grid"
        for row in table.rows:
            for cell in row.cells:
                cell.width = Cm(3.5)
        for (r, c), text in {
            (0, 0): "岗位名称",
            (0, 1): f"客服主管{part}",
            (0, 2): "所属部门",
            (0, 3): "电商部",
            (1, 0): "直接上级",
            (1, 1): "电商部经理",
            (1, 2): "定员",
            (1, 3): "2人",
            (2, 0): "岗位目的",
            (2, 1): "让每一位客户满意而归",
        }.items():
            table.cell(r, c).text = text
        document.add_paragraph("岗位职责：")
        for i in range(20):
            document.add_paragraph(f"{DUTIES[i % 5]}（第{part + 1}部分第{i + 1}项）。", style="List Number")
        document.add_paragraph("任职资格：")
        for i in range(6):
            document.add_paragraph(f"大专以上学历，{i + 2}年以上相关工作经验。", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pages_of(data: bytes) -> int:
    from pypdf import PdfReader

    from tests.jobs.documents import libreoffice

    return len(PdfReader(io.BytesIO(libreoffice(data, "docx", "pdf"))).pages)


def mixed_zip(count_positions: int = 200) -> tuple[bytes, int]:
    from tests.jobs import documents

    members: dict[str, bytes] = {}
    for i in range(DOCX):
        members[f"岗位说明书/P{i:03d} 岗位{i}.docx"] = documents.word(title=f"岗位{i}岗位说明书")
    doc = documents.libreoffice(documents.word(title="客服主管岗位说明书"), "docx", "doc")
    for i in range(DOC):
        members[f"岗位说明书/旧文档{i}.doc"] = doc
    for i in range(WPS):
        members[f"岗位说明书/金山{i}.wps"] = doc
    pdf = documents.job_pdf(pages=2)
    for i in range(PDF):
        members[f"岗位说明书/扫描件{i}.pdf"] = pdf
    html = (
        "<html><body><nav>首页 招聘</nav><div class='content'><h1>仓库主管岗位说明书</h1><h2>岗位职责</h2><ol>"
        + "".join(f"<li>{d}</li>" for d in DUTIES)
        + "</ol><h2>任职资格</h2><ul><li>中专以上学历</li></ul></div>"
        "<div class='download'>下载本文档</div></body></html>"
    )
    for i in range(HTML):
        members[f"岗位说明书/网页{i}.html"] = html.encode("utf-8")
    text = (
        "职务名称：会计\n岗位职责：\n"
        + "\n".join(f"{n}、{d}" for n, d in enumerate(DUTIES, 1))
        + "\n任职资格：\n1、会计专业本科"
    )
    traditional = "職務名稱：會計\n工作職責：\n一、負責制定部門年度工作計劃並組織實施\n二、負責客戶投訴的受理與回訪\n任職資格：\n會計專業本科"
    for i, encoding in enumerate((["gb18030", "big5", "utf-16"] * 3 + ["utf-8"])[-TEXT:]):
        members[f"岗位说明书/文本{i}.txt"] = (traditional if encoding == "big5" else text).encode(encoding)
    return documents.zip_of(members, gbk_names=True), len(members)


def main() -> None:
    print(f"machine: {os.cpu_count()} CPUs")
    data = twenty_pages()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                "SECRET_KEY": "b",
                "SERVER_NAME": "bench.local",
            },
        )
        with app.app_context():
            upgrade()
            from app.jobs.files import extract
            from app.jobs.uploads import parse_file

            print("one .docx")
            pages = pages_of(data)
            note("pages (LibreOffice's layout)", str(pages))
            note("size", f"{len(data) / 1000:.0f} kB, {len(extract('a.docx', data).text):,} characters of text")
            times = []
            for _ in range(PARSE_RUNS):
                start = time.perf_counter()
                parsed, _extracted = parse_file("20-pages.docx", data)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            result(
                f"one {pages}-page .docx: read + parse, median of {PARSE_RUNS}",
                f"{median:.3f} s (best {min(times):.3f} s, {len(parsed['duties'])} duties)",
                "< 1 s",
                median < 1,
            )
            start = time.perf_counter()
            extract("20-pages.docx", data)
            note("read only (numbering, tables)", f"{time.perf_counter() - start:.3f} s")

            print(f"bulk import of a {DOCX + DOC + WPS + PDF + HTML + TEXT}-file .zip")
            from tests import factories

            department = factories.create_department("EC", "电商部")
            for i in range(POSITIONS):
                factories.create_position(f"P{i:03d}", department, f"岗位{i}")
            user = factories.create_user("hr")
            db.session.commit()
            archive, members = mixed_zip()
            note("archive", f"{members} documents, {len(archive) / 1e6:.1f} MB")
            from app.jobs import bulk

            with app.test_request_context():
                start = time.perf_counter()
                documents_ = bulk.unpack([("all.zip", archive)])
                token = bulk.store(documents_, user.id, department.id)
                preview = bulk.build_preview(token, user)
                seconds = time.perf_counter() - start
            counts = preview.counts
            result(
                f"bulk import of a {members}-file .zip: preview (unzip, convert, read, parse, match)",
                f"{seconds:.1f} s",
                "< 60 s",
                seconds < 60,
            )
            note(
                "rows",
                f"{counts['documents']} documents, {counts['matched']} matched, {counts['new']} new, "
                f"{counts['errors']} refused",
            )
            refused = [f"{r.filename}: {r.error}" for r in preview.rows if r.error]
            for line in refused[:5]:
                note("  refused", line)
    peak_resident()


if __name__ == "__main__":
    main()
