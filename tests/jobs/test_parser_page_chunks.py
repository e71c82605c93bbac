"""The text document-sharing sites give for a PDF or Word job description: the page text cut into
chunks, each line opening with the chunk's number ("1、 " … or "1、" run into the text) that is no
list number, with the document's own headings, numbered items and form cells run together inside
the chunks (app/jobs/parser/layout.py, page_chunks). A real list of numbered lines is never taken
for chunks."""

from __future__ import annotations

from app.jobs.parser import parse_job_description as parse
from app.jobs.parser.layout import page_chunks

CHUNKS = (
    "1、 前台接待岗位说明书 一、基本资料 岗位名称:前台接待 所属部门:行政部 二、 岗位职责: 1、接听总机电话并转接\n"
    "2、 2、登记来访人员并引导 3、收发快递与信件 三、 工作权限 ·访客登记审核权\n"
    "3、 四、任职资格 学历:中专及以上 基本素质:亲和、耐心 特殊要求:普通话标准\n"
)


def test_chunk_numbers_are_removed_and_the_documents_own_structure_is_read():
    result = parse(CHUNKS)
    assert result["title"] == "前台接待" and result["fields"]["department"] == "行政部"
    assert result["duties"] == ["接听总机电话并转接", "登记来访人员并引导", "收发快递与信件"]
    assert result["requirements"] == ["学历:中专及以上", "基本素质:亲和、耐心", "特殊要求:普通话标准"]
    assert [s["items"] for s in result["sections"] if s["kind"] == "authority"] == [["访客登记审核权"]]


def test_the_chunks_are_cut_again_where_headings_items_and_form_cells_start():
    lines = page_chunks(CHUNKS.splitlines())
    assert "二、 岗位职责:" in lines and "2、登记来访人员并引导" in lines and "学历:中专及以上" in lines
    assert "三、 工作权限" in lines and "·访客登记审核权" in lines
    assert not any(line.startswith(("2、 2、", "3、 四")) for line in lines)


def test_a_chunk_cut_in_a_word_is_joined_without_a_space_and_bare_table_numbers_number_items():
    text = (
        "1、出纳岗位说明书一、基本信息岗位名称出纳所属部门财务部二、工作内容1办理现金收付;2登记现金日记账、\n\n"
        "2、银行日记账;3保管支票与印鉴,工作3年以上者优先带教新人。三、任职资格1大专学历;2持会计证。\n"
    )
    result = parse(text)
    assert result["title"] == "出纳" and result["fields"]["department"] == "财务部"
    assert result["duties"] == [
        "办理现金收付",
        "登记现金日记账、银行日记账",
        "保管支票与印鉴,工作3年以上者优先带教新人。",
    ]
    assert result["requirements"] == ["大专学历", "持会计证。"]


def test_numbered_lines_of_a_real_list_are_not_chunks():
    lines = ["岗位职责：", "1、负责接听电话。", "2、负责登记访客，每天两次核对。", "3、负责收发快递。"]
    assert page_chunks(lines) == lines
    assert parse("\n".join(lines))["duties"] == ["负责接听电话。", "负责登记访客，每天两次核对。", "负责收发快递。"]


def test_items_holding_their_own_short_lists_are_not_chunks():
    lines = ["1、招聘管理：1.制定招聘计划 2.组织面试", "2、培训管理：1.制定培训计划 2.评估培训效果"]
    assert page_chunks(lines) == lines  # the inner numbering restarts in each line: items, not page chunks


def test_form_cells_under_a_numbered_requirements_heading_are_requirements_label_and_all():
    result = parse(
        "岗位职责\n1、整理档案。\n七、任用资格\n受教育程度：大专以上\n年龄：25岁以上\n基本技能：熟练使用办公软件\n"
        "特殊规定：有驾照\n八、使用设备\n电脑"
    )
    assert result["requirements"] == [
        "受教育程度：大专以上",
        "年龄：25岁以上",
        "基本技能：熟练使用办公软件",
        "特殊规定：有驾照",
    ]
    assert result["duties"] == ["整理档案。"]


def test_a_copyright_footer_and_a_forms_signature_row_are_noise():
    result = parse("岗位职责\n1、整理档案。\n编写人 审核人 批准人\n©2012-2024 某文档网 版权所有")
    assert result["duties"] == ["整理档案。"] and len(result["sections"]) == 1
    assert "2 lines" in result["warnings"][0]
