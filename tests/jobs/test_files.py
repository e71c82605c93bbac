"""Reading job-description documents (app.jobs.files): every kind built with real tools at test
time, and every kind of bad input refused with the file's name and the reason."""

from __future__ import annotations

import shutil

import pytest

from app.jobs.files import FileRefused, extract
from app.jobs.files.pdf import drop_running_lines
from app.jobs.files.word import format_number
from app.jobs.uploads import parse_file
from tests.jobs import documents

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def refused(filename, data) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        extract(filename, data)
    assert caught.value.filename == filename
    return caught.value


def test_docx_paragraphs_numbers_and_tables(ctx):
    text = extract("客服主管.docx", documents.word()).text
    assert text.splitlines() == [
        "客服主管岗位说明书",
        "",
        "岗位名称\t客服主管\t所属部门\t电商部",
        "直接上级\t电商部经理",
        "",  # the merged cell once
        "岗位职责：",
        "1. 负责处理客户投诉与回访",
        "2. 负责客服团队的日常管理",
        "3. 每周汇总服务数据并提交报告",
        "任职资格：",
        "• 大专以上学历",
        "• 三年以上客服工作经验",
    ]


def test_docx_chinese_numbering_and_levels(ctx):
    text = extract("仓库主管.docx", documents.word_with_chinese_numbering()).text
    assert text.splitlines() == [
        "仓库主管岗位说明书",
        "一、岗位职责",
        "(1) 负责入库验收",
        "(2) 负责出库管理",
        "二、任职资格",
        "(1) 中专以上学历",
    ]


def test_docx_list_styles_and_restarted_lists(ctx):
    text = extract("仓库.docx", documents.word_with_list_style()).text
    assert text.splitlines() == ["岗位职责", "1) 负责入库", "2) 负责出库", "任职资格", "1) 中专学历"]


@pytest.mark.parametrize(
    "n, fmt, shown",
    [
        (1, "decimal", "1"),
        (12, "chineseCounting", "十二"),
        (20, "chineseCountingThousand", "二十"),
        (3, "decimalEnclosedCircle", "③"),
        (2, "upperLetter", "B"),
        (4, "lowerRoman", "iv"),
        (3, "ideographTraditional", "丙"),
        (7, "decimalZero", "07"),
        (105, "chineseCounting", "一百〇五"),
        (2, "chineseLegalSimplified", "贰"),
    ],
)
def test_word_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_docx_parses_through_the_same_parser(ctx):
    result, extracted = parse_file("客服主管.docx", documents.word())
    assert result["duties"] == documents.DUTIES
    assert result["requirements"] == documents.REQUIREMENTS
    assert extracted.kind == "docx" and not extracted.ocr


@needs_libreoffice
def test_doc_and_wps_are_converted_by_libreoffice(ctx):
    doc = documents.libreoffice(documents.word(), "docx", "doc")
    for name in ("客服主管.doc", "客服主管.wps"):
        text = extract(name, doc).text
        assert "岗位名称\t客服主管\t所属部门\t电商部" in text.splitlines()
        assert "1. 负责处理客户投诉与回访" in text.splitlines()


def test_pdf_text_layer_without_running_headers_and_page_numbers(ctx):
    extracted = extract("客服主管.pdf", documents.job_pdf(pages=3))
    lines = extracted.text.splitlines()
    assert extracted.pages >= 3 and not extracted.ocr
    assert lines[0] == "客服主管岗位说明书"
    assert not [line for line in lines if "纳迪" in line or "页" in line]
    numbers = [int(line.split("、")[0]) for line in lines if line.split("、")[0].isdigit()]
    assert numbers[:47] == list(range(1, 48))  # reading order kept across pages


def test_pdf_columns_in_reading_order(ctx):
    lines = extract("two-columns.pdf", documents.job_pdf(pages=2, columns=True)).text.splitlines()
    numbers = [int(line.split("、")[0]) for line in lines if line.split("、")[0].isdigit()]
    # down the first column, then the second, on a full page and on the last page's short,
    # balanced columns alike
    assert numbers == list(range(1, 32)) + [1, 2]
    assert lines[-3:][0] == "任职资格："


def test_pdf_tables_are_read_row_by_row(ctx):
    table = (
        "<table style='width:100%'><tr><td>岗位名称</td><td>客服主管</td><td>所属部门</td><td>电商部</td></tr>"
        "<tr><td>直接上级</td><td>电商部经理</td><td>定员</td><td>2人</td></tr></table>"
        "<p>岗位职责：</p><p>1、负责处理客户投诉。</p>"
    )
    lines = extract("table.pdf", documents.pdf(table)).text.splitlines()
    assert lines.index("岗位名称") < lines.index("客服主管") < lines.index("所属部门") < lines.index("直接上级")


def test_running_lines_are_told_from_content():
    pages = [
        ["ACME 岗位说明书", "客服主管", "1、负责", "第 1 页"],
        ["ACME 岗位说明书", "2、负责", "第 2 页"],
        ["ACME 岗位说明书", "3、负责", "- 3 -"],
    ]
    assert drop_running_lines(pages) == [["客服主管", "1、负责"], ["2、负责"], ["3、负责"]]


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr_and_marked(ctx):
    data = documents.scan(
        [
            "客服主管岗位说明书",
            "岗位职责：",
            "1、负责处理客户投诉与回访；",
            "2、负责客服团队的日常管理。",
            "任职资格：",
            "1、大专以上学历；",
            "2、三年以上客服工作经验。",
        ]
    )
    with pytest.raises(FileRefused, match="scan"):
        extract("scan.pdf", data, ocr=False)
    result, extracted = parse_file("scan.pdf", data)
    assert extracted.ocr
    assert result["warnings"][0].startswith("This text was read by OCR")
    assert "负责客服团队的日常管理" in "".join(result["duties"])
    assert any("大专以上学历" in item for item in result["requirements"])


def test_html_without_navigation_ads_and_banners(ctx):
    page = """<html><head><meta charset="gbk"><title>客服主管</title><script>var x = "1、负责脚本";</script></head>
    <body><nav><a href="/">首页</a> <a>招聘</a></nav><div class="ad-banner">点击下载 APP 领取红包</div>
    <div class="content"><h1>客服主管岗位说明书</h1>
      <table><tr><th>岗位名称</th><td>客服主管</td><th>所属部门</th><td>电商部</td></tr></table>
      <h2>岗位职责</h2><ol><li>负责处理客户投诉</li><li>负责团队管理</li></ol>
      <h2>任职资格</h2><ul><li>大专以上学历</li></ul></div>
    <div id="download-box">下载本文档 (格式:doc 大小:154.00 KB)</div><footer>版权所有 2026 某某网</footer></body></html>"""
    text = extract("客服主管.html", page.encode("gbk")).text
    assert text.splitlines() == [
        "客服主管岗位说明书",
        "",
        "岗位名称\t客服主管\t所属部门\t电商部",
        "",
        "岗位职责",
        "1. 负责处理客户投诉",
        "2. 负责团队管理",
        "任职资格",
        "• 大专以上学历",
    ]


def test_html_main_content_keeps_the_title_above_it(ctx):
    page = (
        "<html><body><header class='site'><a>首页</a></header><h1>行政专员岗位说明书</h1><aside>热门文档</aside>"
        "<main><p>岗位职责：</p><ol start='3' type='a'><li>负责办公用品采购<br>及登记</li><li>负责会议安排</li></ol></main>"
        "<div>相关推荐：销售经理岗位说明书</div></body></html>"
    )
    assert extract("a.htm", page.encode()).text.splitlines() == [
        "行政专员岗位说明书",
        "岗位职责：",
        "c. 负责办公用品采购",
        "及登记",
        "d. 负责会议安排",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "gbk", "big5"])
def test_text_files_in_chinese_encodings(ctx, encoding):
    text = (
        (
            "客服主管職務說明書\n職務名稱：客服主管\n工作職責：\n一、負責處理客戶投訴與回訪\n二、負責客服團隊的日常管理\n任職資格：\n"
            "大專以上學歷，三年以上客服工作經驗"
        )
        if encoding == "big5"
        else (
            "客服主管岗位说明书\n职务名称：客服主管\n岗位职责：\n1、负责处理客户投诉与回访\n2、负责客服团队的日常管理\n任职资格：\n大专以上学历"
        )
    )
    assert extract("jd.txt", text.encode(encoding)).text == text
    assert extract("jd.md", text.encode(encoding)).text == text  # plain text in a .md: every line kept


def test_markdown_headings_lists_and_tables(ctx):
    source = (
        "# 客服主管岗位说明书\n\n| 岗位名称 | 客服主管 |\n|---|---|\n| 所属部门 | 电商部 |\n\n## 岗位职责\n"
        "1. 负责**客户投诉**处理\n2. 负责[团队](https://example.com)管理\n\n## 任职资格\n- 大专以上学历\n"
        "<script>alert(1)</script>\n"
    )
    assert extract("jd.md", source.encode()).text.splitlines() == [
        "客服主管岗位说明书",
        "",
        "岗位名称\t客服主管",
        "所属部门\t电商部",
        "",
        "岗位职责",
        "1. 负责客户投诉处理",
        "2. 负责团队管理",
        "任职资格",
        "• 大专以上学历",
        "<script>alert(1)</script>",
    ]


def test_short_texts_in_gbk_and_big5(ctx):
    for text, encoding in [
        ("岗位职责：负责账务处理", "gbk"),
        ("工作職責：負責帳務處理", "big5"),
        ("职务名称：会计", "gbk"),
        ("職務名稱：會計", "big5"),
        ("会计", "gbk"),
        ("Sales manager duties", "utf-16-be"),
        ("客服 manager", "utf-16-le"),
    ]:
        assert extract("a.txt", text.encode(encoding)).text == text


# --- bad input --------------------------------------------------------------------------------


def test_truncated_and_corrupted_files_are_refused(ctx):
    assert "damaged" in refused("a.docx", documents.word()[:3000]).reason
    assert "damaged" in refused("a.pdf", documents.job_pdf(pages=1)[:900]).reason
    assert "damaged" in refused("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600).reason


def test_encrypted_pdf_and_password_protected_word_are_refused(ctx):
    assert "password" in refused("a.pdf", documents.encrypted_pdf(documents.job_pdf(pages=1))).reason
    assert "password" in refused("a.docx", documents.encrypted_word(documents.word())).reason


def test_macro_enabled_word_is_refused(ctx):
    assert "Macro" in refused("a.docm", documents.word()).reason
    assert "macros" in refused("a.docx", documents.macro_word(documents.word())).reason


@needs_libreoffice
def test_word_files_named_as_the_other_word_format_are_read(ctx):
    doc = documents.libreoffice(documents.word(), "docx", "doc")
    assert "1. 负责处理客户投诉与回访" in extract("旧格式.docx", doc).text.splitlines()
    assert "1. 负责处理客户投诉与回访" in extract("新格式.doc", documents.word()).text.splitlines()


def test_docx_zip_bomb_is_refused(ctx, monkeypatch):
    import io
    import zipfile

    from app.jobs.files import word

    monkeypatch.setattr(word, "MAX_UNPACKED_BYTES", 5_000_000)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(documents.word())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info, source.read(info.filename))
        bomb.writestr("word/media/padding.bin", b"\0" * 6_000_000)
    assert len(out.getvalue()) < 100_000
    assert "zip bomb" in refused("bomb.docx", out.getvalue()).reason


def test_extension_lying_about_content(ctx):
    assert refused("a.docx", documents.job_pdf(pages=1)).reason == "The file is named .docx but holds a PDF document."
    assert "holds a ZIP archive" in refused("a.pdf", documents.word()).reason
    assert "holds a PDF document" in refused("a.txt", documents.job_pdf(pages=1)).reason
    assert "not read" in refused("a.exe", b"MZ\x90\x00").reason


def test_empty_documents_are_refused(ctx):
    assert refused("a.txt", b"").reason == "The file is empty."
    assert refused("a.txt", b"  \n\t ").reason == "The file is empty."
    import io

    import docx as python_docx

    out = io.BytesIO()
    python_docx.Document().save(out)
    assert refused("a.docx", out.getvalue()).reason == "The document holds no text."


def test_a_document_without_job_content_is_refused(ctx):
    with pytest.raises(FileRefused, match="No job description was found"):
        parse_file("menu.txt", "今日菜单\n红烧肉 38元\n清蒸鱼 58元".encode("utf-8"))


def test_damaged_copies_of_every_kind_are_read_or_refused_never_an_error(ctx):
    import random

    rng = random.Random(16)
    sources = {
        "a.docx": documents.word(),
        "a.pdf": documents.job_pdf(pages=1),
        "a.html": "<html><body><h1>客服</h1><ol><li>负责</li></ol></body></html>".encode(),
        "a.txt": "岗位职责：\n1、负责".encode("gb18030"),
    }
    for name, data in sources.items():
        for _ in range(25):
            damaged = bytearray(data)
            for _flip in range(rng.randint(1, 40)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            damaged = bytes(damaged[: rng.randint(1, len(damaged))])
            try:
                extract(name, damaged)
            except FileRefused as refusal:
                assert refusal.filename == name and refusal.reason


def test_binary_garbage_named_txt_is_refused(ctx):
    assert "not a text file" in refused("a.txt", bytes(range(256)) * 40).reason


@needs_libreoffice
def test_a_slow_libreoffice_is_killed_and_its_folder_removed(ctx, monkeypatch, tmp_path):
    import os
    import tempfile

    from flask import current_app

    monkeypatch.setitem(current_app.config, "JD_CONVERT_TIMEOUT", 0.3)  # far less than LibreOffice needs to start
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    doc = documents.libreoffice(documents.word(), "docx", "doc")
    with pytest.raises(FileRefused, match="took too long"):
        extract("慢.doc", doc)
    assert list(tmp_path.iterdir()) == []  # the input, the profile and the output are gone
    running = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if str(tmp_path).encode() in fh.read():
                    running.append(pid)
        except OSError:
            continue
    assert running == []  # the whole process group was killed
