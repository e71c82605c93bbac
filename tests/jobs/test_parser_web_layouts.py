"""Layouts of real public job pages that the parser reads (issue 16, second round): lists copied
with each bullet on a line of its own, lead-in prose before a numbered list, numbered questions
and English numbered headings, titles of search results and articles, job-board furniture, and
English "-" lists whose line breaks were lost."""

from __future__ import annotations

import pytest

from app.jobs.parser import parse_job_description as parse


def test_a_bullet_alone_on_its_line_marks_the_next_line():
    result = parse("Responsibilities\n-\nGreet visitors at the front desk.\n-\nBook meeting rooms\n-\nOrder supplies")
    assert result["duties"] == ["Greet visitors at the front desk.", "Book meeting rooms", "Order supplies"]


def test_a_short_bulleted_name_over_longer_bulleted_lines_is_a_sub_heading():
    result = parse(
        "一、岗位职责\n-\n基础服务\n-\n负责客户咨询解答，包括订单状态、退换货处理等。\n-\n处理客户投诉，协调相关部门解决纠纷。"
    )
    assert result["duties"] == [
        "负责客户咨询解答，包括订单状态、退换货处理等。",
        "处理客户投诉，协调相关部门解决纠纷。",
    ]
    assert [s["heading"] for s in result["sections"] if s["kind"] == "duties"] == ["基础服务"]


@pytest.mark.parametrize(
    "text",
    [
        "岗位职责\n本岗位是仓库的基础岗位，下面列出日常工作。\n1.入库验收。\n2.出库发货。",
        "岗位职责\n电商行业的岗位种类繁多，但总体来看，以下几个方面是共同的核心\n1.入库验收。\n2.出库发货。",
    ],
)
def test_prose_before_a_numbered_list_is_a_lead_in_not_a_duty(text):
    result = parse(text)
    assert result["duties"] == ["入库验收。", "出库发货。"]
    assert any(s["kind"] == "other" for s in result["sections"])


def test_a_prose_paragraph_before_the_heading_of_the_list_is_no_duty():
    result = parse(
        "【仓储工作内容】随着电商的发展，仓储已经成为商品流通中不可缺少的一环，无论大仓小仓，仓管员的工作都涵盖收货、"
        "存放和发货几个方面。以下是对仓管员工作的总结，供参考。\n"
        "一、仓管员的主要职责\n1.入库验收。\n2.出库发货。"
    )
    assert result["duties"] == ["入库验收。", "出库发货。"]


def test_labelled_duties_run_together_on_one_line_are_one_duty_each():
    result = parse(
        "岗位职责\n收货整理: 负责核对送货单并整理货物，确保数量准确。 入库登记: 根据验收结果在系统中登记入库。 "
        "薪资福利: 五险一金"
    )
    assert result["duties"] == [
        "收货整理: 负责核对送货单并整理货物，确保数量准确。",
        "入库登记: 根据验收结果在系统中登记入库。",
    ]
    assert ["五险一金"] in [s["items"] for s in result["sections"] if s["kind"] == "other"]


def test_unnumbered_lines_under_a_heading_without_a_list_stay_duties():
    assert parse("岗位职责\n接待顾客咨询\n处理售后问题")["duties"] == ["接待顾客咨询", "处理售后问题"]


def test_numbered_english_headings_and_questions():
    result = parse(
        "1. What Does an Office Coordinator Do?\n- Book meeting rooms.\n- Order supplies.\n"
        "2. Skills and Qualifications\n- Good with spreadsheets."
    )
    assert result["duties"] == ["Book meeting rooms.", "Order supplies."]
    assert result["requirements"] == ["Good with spreadsheets."]
    assert ["What Does an Office Coordinator Do?"] in [s["items"] for s in result["sections"] if s["kind"] == "other"]


@pytest.mark.parametrize(
    "first_line, title",
    [
        ("客服主管岗位职责_某某电商有限公司 - 百度文库", "客服主管"),
        ("门市店长工作内容 | 台北人力网", "门市店长"),
        ("会计助理工作内容和要求及职业发展详解", "会计助理"),
        ("电商客服是什么岗位?", "电商客服"),
        ("An In-Depth Look at the Administrative Assistant Job Description", "Administrative Assistant"),
        ("Warehouse Associate Job Description: Duties, Skills & Requirements", "Warehouse Associate"),
        ("Diversion Investigator Job", "Diversion Investigator"),
    ],
)
def test_titles_of_search_results_and_articles(first_line, title):
    result = parse(f"{first_line}\n岗位职责：\n1、负责客服。")
    assert result["title"] == title
    assert result["duties"] == ["负责客服。"]


def test_the_line_that_names_a_position_before_the_first_heading_is_the_title():
    assert parse("HR专员\n人事行政\n投递简历\n职位描述：\n1、负责招聘。")["title"] == "HR专员"
    assert parse("人才招聘\n运营总监\n岗位职责：\n1、负责运营。")["title"] == "运营总监"


@pytest.mark.parametrize("oneline", [False, True])
def test_job_board_furniture_never_becomes_an_item(oneline):
    lines = [
        "新媒体运营",
        "10-15K · 杭州 · 3-5年 · 本科",
        "立即沟通",
        "发布时间：2026-11-02",
        "岗位职责：",
        "1. 负责公众号的内容选题与发布；",
        "2. 策划线上活动。",
        "任职要求：",
        "1. 本科及以上学历；",
        "2. 三年以上新媒体运营经验。",
    ]
    result = parse("".join(lines) if oneline else "\n".join(lines))
    assert result["title"] == "新媒体运营"
    assert result["duties"] == ["负责公众号的内容选题与发布", "策划线上活动。"]
    assert result["requirements"] == ["本科及以上学历", "三年以上新媒体运营经验。"]
    everything = " ".join(i for s in result["sections"] for i in s["items"])
    assert "15K" not in everything and "立即沟通" not in everything and "发布时间" not in everything


def test_english_job_board_meta_and_summary():
    text = (
        "Payroll Specialist Job\nSalary $52,000 to $61,500 per year\nOpen Date 11/02/2026 Close Date 11/30/2026\n"
        "Apply Online\nSummary\nThe Payroll Specialist runs the monthly payroll.\nDuties\n- Enter timesheets.\n"
        "- File payroll tax returns.\nRequirements\n- Two years of payroll experience."
    )
    for variant in (text, text.replace("\n", " ")):
        result = parse(variant)
        assert result["title"] == "Payroll Specialist"
        assert result["fields"]["purpose"] == "The Payroll Specialist runs the monthly payroll."
        assert result["duties"] == ["Enter timesheets.", "File payroll tax returns."]
        assert result["requirements"] == ["Two years of payroll experience."]
        assert not any("$" in i or "Apply" in i for s in result["sections"] for i in s["items"])


def test_english_dash_lists_whose_line_breaks_were_lost():
    result = parse(
        "Responsibilities: - Book meeting rooms for the whole office. - Order supplies before they run out. "
        "- Sort incoming mail and arrange courier pickups. Requirements - Two years of office experience. "
        "- Good with spreadsheets."
    )
    assert result["duties"] == [
        "Book meeting rooms for the whole office.",
        "Order supplies before they run out.",
        "Sort incoming mail and arrange courier pickups.",
    ]
    assert result["requirements"] == ["Two years of office experience.", "Good with spreadsheets."]
    # a dash between words is no bullet
    assert parse("Responsibilities\n- Keep the store clean - and tidy.")["duties"] == [
        "Keep the store clean - and tidy."
    ]
