"""Layouts of real public job descriptions that the parser reads (issue 16, third round): numbered
group names with sentences under them, "(a)" numbering, bold markdown headings, markdown tables, a
header table flattened by columns, form cells and "本职" in PDF text, header-field names used as
headings of a template, career path and "Role at a glance" facts kept out of duties and
requirements, and the titles such pages name."""

from __future__ import annotations

import pytest

from app.jobs.parser import parse_job_description as parse


def test_sentences_under_a_numbered_group_name_are_its_duties():
    result = parse(
        "主要职责\n1、库存管理\n每月组织盘点并分析差异。\n设定安全库存提醒。\n2、人员管理\n安排仓库人员排班。\n任职资格\n1、大专学历。"
    )
    assert result["duties"] == ["每月组织盘点并分析差异。", "设定安全库存提醒。", "安排仓库人员排班。"]
    assert [s["heading"] for s in result["sections"] if s["kind"] == "duties"] == ["库存管理", "人员管理"]
    assert result["requirements"] == ["大专学历。"]


def test_a_sentence_between_two_numbers_of_a_list_is_one_of_its_items():
    result = parse("岗位职责\n1、制定采购计划并推动实施。\n分析市场趋势，提出采购建议。\n2、维护供应商关系。")
    assert result["duties"] == ["制定采购计划并推动实施。", "分析市场趋势，提出采购建议。", "维护供应商关系。"]


def test_a_sentence_after_the_list_is_not_pulled_into_it():
    result = parse("岗位职责\n1、制定采购计划并推动实施。\n2、维护供应商关系。\n以上职责可根据业务需要调整。")
    assert result["duties"] == ["制定采购计划并推动实施。", "维护供应商关系。"]


def test_lettered_parentheses_number_a_list():
    result = parse("職責\n(a) 協助核對付款憑證;\n(b) 處理查詢;及\n(c) 執行其他職務。\n入職條件\n(a) 持有學士學位;")
    assert result["duties"] == ["協助核對付款憑證", "處理查詢;及", "執行其他職務。"]
    assert result["requirements"] == ["持有學士學位"]
    assert "customer(s)" in parse("Duties\n- Answer customer(s) by phone")["duties"][0]


def test_bold_markdown_headings_and_a_title_line_ending_in_as_follows():
    result = parse("采购经理的职责和岗位要求如下：\n**一、职责**\n1. 制定采购计划。\n**二、要求**\n1. 本科学历。")
    assert result["title"] == "采购经理"
    assert result["duties"] == ["制定采购计划。"] and result["requirements"] == ["本科学历。"]


def test_a_markdown_table_of_labels_and_values_gives_the_fields():
    result = parse("项目 | 内容 |\n---|---|\n岗位名称 | 出纳 |\n所属部门 | 财务部 |\n岗位职责\n1、办理现金收付。")
    assert result["title"] == "出纳" and result["fields"]["department"] == "财务部"
    assert result["duties"] == ["办理现金收付。"]


def test_a_header_table_flattened_by_columns_pairs_labels_and_values():
    result = parse("岗位名称\n所在部门\n直接上级\n出纳\n财务部\n财务经理\n岗位职责\n1、办理现金收付。")
    assert result["title"] == "出纳"
    assert (result["fields"]["department"], result["fields"]["reports_to"]) == ("财务部", "财务经理")
    out_of_order = parse("岗位名称\n所在部门\n所辖人员出纳\n财务部\n岗位职责\n1、办理现金收付。")
    assert out_of_order["fields"]["department"] is None  # cells out of order: nothing paired


def test_form_cells_are_not_duties_and_benzhi_names_the_purpose():
    result = parse(
        "职责与工作任务：\n岗位编号\n工资等级\n岗位分析日期1本职：\n全面负责出纳工作。\n职责一：\n1.办理现金收付。"
    )
    assert result["duties"] == ["办理现金收付。"]
    assert result["fields"]["purpose"] == "全面负责出纳工作。"
    assert parse("岗位职责\n1、做好本职工作。")["fields"]["purpose"] is None


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("Career Progression", "other"),
        ("Role at a glance", "other"),
        ("Tools", "other"),
        ("How success is measured", "kpis"),
    ],
)
def test_english_headings_that_are_neither_duties_nor_requirements(heading, kind):
    result = parse(f"Responsibilities\n- Answer calls.\n{heading}\n- Some line here")
    assert result["duties"] == ["Answer calls."] and result["requirements"] == []
    assert [s["kind"] for s in result["sections"]][-1] == kind


@pytest.mark.parametrize(
    "heading, kind",
    [("职业发展", "other"), ("職位名稱", "other"), ("岗位基本信息", "other"), ("入職條件", "requirements")],
)
def test_chinese_headings_that_are_neither_duties_nor_requirements(heading, kind):
    result = parse(f"一、岗位职责\n1、接听客户电话。\n二、{heading}\n写明相关的说明文字。")
    assert result["duties"] == ["接听客户电话。"]
    assert [s["kind"] for s in result["sections"]][-1] == kind


def test_a_line_naming_a_numbered_group_is_not_a_duty():
    result = parse(
        "General Responsibility:\nTo supervise staff\nSpecific Responsibilities:\n1. Train new staff.\n"
        "Responsible To:\nCamp Director"
    )
    assert result["duties"] == ["Train new staff."]
    assert result["fields"]["reports_to"] == "Camp Director"


@pytest.mark.parametrize(
    "text, title",
    [
        ("Job description\nRemote Support Agent\nResponsibilities\n- Answer tickets.", "Remote Support Agent"),
        ("JobDescription.org\nTransportation\nWarehouse Associate\nLast updated\nDuties\n- Pick orders.", None),
        ("兼職會計助理 (EDB/FIN/447/23)\n時薪191元\n職責\n(a) 核對憑證。", "兼職會計助理"),
        ("客服管理岗位职责任职要求怎么写(精选8篇)\n岗位职责：\n1、接听电话。", "客服管理"),
        ("倉庫管理員_第1頁\n倉庫管理員一、倉庫管理員概述\n負責收發。\n二、主要工作職責\n1.盤點。", "倉庫管理員"),
    ],
)
def test_titles_that_real_pages_name(text, title):
    assert parse(text)["title"] == (title or "Warehouse Associate")
