"""The parser on the corpus of tests/jobs/corpus: job descriptions in the layouts of real public
ones (web pages, document sites, PDF text, Word tables, run-ons, Traditional Chinese, English),
each with its hand-checked structure. ``bench/bench_parser.py`` prints the same figures."""

from __future__ import annotations

import re

import pytest

from app.jobs.parser import parse_job_description as parse
from tests.jobs import corpus_measure as cm

DOCS = cm.load()
BY_NAME = {d.name: d for d in DOCS}
TARGET_F1 = 0.95


def test_the_corpus_covers_the_layouts_of_real_documents():
    assert len(DOCS) >= 40
    prefixes = {d.name.split("_")[0][:2] for d in DOCS}
    assert {"zh", "tw", "en", "tb", "se"} <= prefixes  # Simplified, Traditional, English, tables, seeds
    assert sum("\t" in d.text for d in DOCS) >= 8
    assert sum(bool(d.expected.get("oneline")) for d in DOCS) >= 15
    for d in DOCS:  # every expectation is complete
        assert set(d.expected["fields"]) == set(cm.FIELDS), d.name
        assert d.expected["duties"], d.name


@pytest.mark.parametrize("oneline", [False, True], ids=["as written", "line breaks removed"])
def test_item_precision_and_recall_reach_the_target(oneline):
    totals = cm.totals(cm.measure(DOCS, oneline=oneline))
    for key in ("duties", "requirements"):
        assert totals[key].f1 >= TARGET_F1, (key, totals[key])


@pytest.mark.parametrize("doc", [d for d in DOCS if d.name.startswith("seed")], ids=lambda d: d.name)
def test_every_seed_document_is_exact(doc):
    score = cm.score(doc.name, parse(doc.text), doc.expected)
    assert score.exact, score.missed


def test_title_fields_and_purpose_are_found_wherever_the_document_has_them():
    scores = cm.measure(DOCS)
    assert [s.name for s in scores if not s.title] == []
    assert [s.name for s in scores if not s.purpose] == []
    assert [s.name for s in scores if s.fields[0] != s.fields[1]] == []
    assert [s.name for s in scores if s.kpis.right != s.kpis.expected or s.kpis.found != s.kpis.expected] == []


def test_page_noise_and_other_text_never_become_duties_or_requirements():
    checked = 0
    for d in DOCS:
        result = parse(d.text)
        items = [i for s in result["sections"] for i in s["items"]] + [result["title"] or ""]
        other = {cm.norm(i) for s in result["sections"] if s["kind"] == "other" for i in s["items"]}
        for noise in d.expected.get("noise", []):
            assert not any(noise in i for i in items), (d.name, noise)
            checked += 1
        for text in d.expected.get("other", []):
            assert cm.norm(text) in other, (d.name, text)
            assert cm.norm(text) not in map(cm.norm, result["duties"] + result["requirements"])
            checked += 1
    assert checked >= 30


def test_file_information_lines_are_noise_and_reported():
    result = parse(
        "客服岗位职责\n- 格式:doc\n- 大小:154.00 KB\n- 文档页数:2\n下载文档\n岗位职责：\n1、接待顾客咨询。\n第 1 页 共 2 页"
    )
    assert result["title"] == "客服" and result["duties"] == ["接待顾客咨询。"]
    assert result["warnings"][0] == "Ignored 5 lines that look like web-page noise (download banners, view counters)."


def test_salary_benefits_environment_and_how_to_apply_are_other_sections():
    result = parse(
        "岗位职责：\n1、负责客服。\n任职要求：\n1、大专学历。\n薪资与福利：\n五险一金，带薪年假\n工作环境：\n办公室\n"
        "How to Apply\nSend your CV to jobs@example.com."
    )
    assert result["duties"] == ["负责客服。"] and result["requirements"] == ["大专学历。"]
    assert [(s["heading"], s["kind"]) for s in result["sections"][2:]] == [
        ("薪资与福利", "other"),
        ("工作环境", "other"),
        ("How to Apply", "other"),
    ]


@pytest.mark.parametrize(
    "first_line, title",
    [
        ("客服主管岗位说明书", "客服主管"),
        ("客服主管職務說明書", "客服主管"),
        ("电商运营专员岗位职责", "电商运营专员"),
        ("天貓客服主管的具體職責範圍是什么(精選24篇)", "天貓客服主管"),
        ("Customer Service Supervisor Job Description", "Customer Service Supervisor"),
        ("Job Description: Warehouse Team Leader", "Warehouse Team Leader"),
        ("招聘：客服专员", "客服专员"),
        ("【电商运营专员岗位职责是什么?】", "电商运营专员"),
        ("## 采购专员", "采购专员"),
    ],
)
def test_the_first_line_names_the_title(first_line, title):
    result = parse(f"{first_line}\n岗位职责：\n1、负责客服。")
    assert result["title"] == title
    assert result["duties"] == ["负责客服。"]
    assert all(title not in i for s in result["sections"] for i in s["items"])


def test_a_field_names_the_title_before_the_first_line():
    assert parse("电商部门岗位职责说明书\n岗位名称：内容策划\n岗位职责：\n1、写文案。")["title"] == "内容策划"
    assert parse("岗位职责\n1、负责客服。")["title"] is None  # a heading names no title


@pytest.mark.parametrize(
    "heading",
    [
        "岗位目的",
        "岗位概述",
        "职位概述",
        "岗位描述",
        "職務目的",
        "Job Summary",
        "Job Purpose",
        "Position Summary",
        "Overview/Summary of the Role",
        "About the role",
    ],
)
def test_purpose_headings_give_the_purpose(heading):
    result = parse(f"{heading}\n负责网店的日常运营，完成销售目标。\n岗位职责：\n1、负责客服。")
    assert result["fields"]["purpose"] == "负责网店的日常运营，完成销售目标。"
    assert result["duties"] == ["负责客服。"]


def test_a_description_heading_over_a_numbered_list_is_duties():
    result = parse("职位描述：\n1、负责店铺运营；\n2、负责活动策划。\n任职要求：\n1、大专学历。")
    assert result["fields"]["purpose"] is None
    assert result["duties"] == ["负责店铺运营", "负责活动策划。"]


def test_english_items_without_bullets_are_one_per_line_and_wrapped_lines_still_join():
    result = parse(
        "Responsibilities\nUpload new products\nCheck stock levels daily\n"
        "Prepare weekly sales reports for the\n"
        "manager\nRequirements\nOne year of experience with Shopify\nGood command of Excel"
    )
    assert result["duties"] == [
        "Upload new products",
        "Check stock levels daily",
        "Prepare weekly sales reports for the manager",
    ]
    assert result["requirements"] == ["One year of experience with Shopify", "Good command of Excel"]


def test_a_document_without_line_breaks_parses_like_the_same_text_with_them():
    compared = 0
    for d in DOCS:
        if d.expected.get("oneline"):
            flat = parse(cm.flatten(d.text))
            assert "\n" not in cm.flatten(d.text)
            whole = parse(d.text)
            same = sum(cm.norm(x) in map(cm.norm, flat["duties"]) for x in whole["duties"])
            assert same >= len(whole["duties"]) - 1, d.name
            compared += 1
    assert compared >= 15


def test_table_rows_give_the_same_structure_as_the_text_document():
    table = (
        "客服主管岗位说明书\n\n岗位名称\t客服主管\t所属部门\t电商部\n直接上级\t电商经理\t直接下级\t售前客服、售后客服\n"
        "定员\t1人\t岗位编号\tDS-01\n岗位目的\t带领客服团队提升顾客满意度。\n工作职责\t1、制定排班表；\n\t2、处理升级投诉。\n"
        "任职资格\t学历\t大专及以上\n\t经验\t两年以上客服经验\n工作条件\t室内办公\n考核指标\t指标\t权重\t目标\n"
        "\t客户满意度\t60%\t≥95%\n\t响应时间\t40%\t≤30秒\n\n"
    )
    text = (
        "客服主管岗位说明书\n岗位名称：客服主管\n所属部门：电商部\n直接上级：电商经理\n直接下级：售前客服、售后客服\n定员：1人\n"
        "岗位编号：DS-01\n岗位目的：\n带领客服团队提升顾客满意度。\n工作职责：\n1、制定排班表；\n2、处理升级投诉。\n任职资格：\n"
        "学历：大专及以上\n经验：两年以上客服经验\n工作条件：\n室内办公\n考核指标：\n• 客户满意度 60% ≥95%\n• 响应时间 40% ≤30秒"
    )
    a, b = parse(table), parse(text)
    assert a == b
    assert a["title"] == "客服主管" and a["fields"] == {
        "reports_to": "电商经理",
        "direct_reports": ["售前客服", "售后客服"],
        "department": "电商部",
        "headcount": 1,
        "purpose": "带领客服团队提升顾客满意度。",
    }
    assert a["duties"] == ["制定排班表", "处理升级投诉。"]
    assert a["requirements"] == ["学历：大专及以上", "经验：两年以上客服经验"]
    kinds = {s["heading"]: (s["kind"], s["items"]) for s in a["sections"]}
    assert kinds["考核指标"] == ("kpis", ["客户满意度 60% ≥95%", "响应时间 40% ≤30秒"])
    assert kinds["工作条件"] == ("other", ["室内办公"]) and kinds["岗位编号"] == ("other", ["DS-01"])


def test_merged_cells_repeated_on_every_row_carry_on_the_section():
    result = parse("工作职责\t1.负责上下架；\n工作职责\t2.报名活动。\n任职资格\t学历\t本科\n任职资格\t经验\t一年以上\n")
    assert result["duties"] == ["负责上下架", "报名活动。"]
    assert result["requirements"] == ["学历：本科", "经验：一年以上"]


def test_a_duty_table_with_a_header_row_numbers_its_items():
    result = parse("工作职责\n序号\t工作内容\t频次\n1\t核对入库商品\t每日\n2\t盘点库存\t每月\n")
    assert result["duties"] == ["核对入库商品，每日", "盘点库存，每月"]
    assert result["warnings"] == []


def test_a_time_is_not_item_zero():
    result = parse("工作时间：早班9:00-18:00，晚班14:00-23:00")
    assert result["sections"] == [
        {"heading": "工作时间", "kind": "other", "items": ["早班9:00-18:00，晚班14:00-23:00"]}
    ]


def test_requirement_labels_stay_with_their_text():
    result = parse("任职资格：\n1、本科学历；\n技能：打字速度每分钟50字以上，会使用千牛工作台\n其他：能接受轮班")
    assert result["requirements"] == ["本科学历", "技能：打字速度每分钟50字以上，会使用千牛工作台", "其他：能接受轮班"]
    assert not any(re.match(r"(技能|其他)$", s["heading"] or "") for s in result["sections"])


def test_bullets_naming_an_ability_are_items_not_headings():
    result = parse("关键技能:\n- 数据分析能力(Excel)\n- 市场敏感度\n- 活动策划能力\n- 沟通协调能力")
    assert result["requirements"] == ["数据分析能力(Excel)", "市场敏感度", "活动策划能力", "沟通协调能力"]


def test_lists_under_a_summary_are_not_duties():
    result = parse(
        "Role Definition\nOwns the online store.\nCareer Progression\nEntry Point From:\n"
        "- E-commerce Coordinator\n"
        "Core Responsibilities\nPrimary Functions\n- Run the storefront.\n- Plan promotions."
    )
    assert result["fields"]["purpose"] == "Owns the online store."
    assert result["duties"] == ["Run the storefront.", "Plan promotions."]


def test_dash_bullets_between_chinese_text_split_when_the_line_breaks_are_lost():
    result = parse("主要职责: - 负责店铺日常运营 - 分析销售数据,制定销售策略 - 监控竞品动态")
    assert result["duties"] == ["负责店铺日常运营", "分析销售数据,制定销售策略", "监控竞品动态"]
    assert parse("Price range 10 - 20 units")["duties"] == []  # a dash between numbers is no bullet


def test_a_run_on_page_keeps_its_text_around_the_noise():
    text = (
        "客服部专员岗位职责 - 格式:doc - 大小:28.00 KB - 文档页数:4 二、岗位职责1、客户接待:负责接待客户,解答他们的问题,"
        "提供必要的帮助和指导。2、售后跟进:对于已解决的问题,跟进客户的满意度,以确保客户持续满意并再次选择我们的产品。"
        "三、要求1、良好的沟通能力:能够清晰、有效地与客户交流。2、熟练掌握办公软件:如Word、Excel等,以便于记录客户反馈。"
    )
    assert len(text) > 120 and "\n" not in text
    result = parse(text)
    assert result["title"] == "客服部专员"
    assert [d.split(":")[0] for d in result["duties"]] == ["客户接待", "售后跟进"]
    assert [r.split(":")[0] for r in result["requirements"]] == ["良好的沟通能力", "熟练掌握办公软件"]
    assert "web-page noise" in result["warnings"][0]


def test_numbered_keyword_headings_and_lone_bullets():
    result = parse(
        "拼多多客服岗位概述\n1. 岗位职责\n  • 接听客户电话；\n  • 处理客户投诉。\n2. 岗位要求\n-\n  • 具备良好的沟通能力；\n"
        "招聘情况\n1. 招聘流程\n  • 网上投递简历"
    )
    assert result["title"] == "拼多多客服"
    assert result["duties"] == ["接听客户电话", "处理客户投诉。"]
    assert result["requirements"] == ["具备良好的沟通能力"]


def test_a_number_cell_without_a_header_row_numbers_the_row():
    result = parse("岗位职责\n\n1\t负责上架\n2\t负责活动\n\n任职要求\n\n学历\t本科\n")
    assert result["duties"] == ["负责上架", "负责活动"] and result["requirements"] == ["学历：本科"]


def test_a_web_page_job_names_its_title_just_before_its_first_heading():
    result = parse(
        "加入我们\n以下岗位正在招聘\n购物体验视觉设计师\n岗位职责：\n淘宝京东网页视觉设计\n主题活动页面设计\n必备条件\n"
        "有较强的审美设计能力，熟悉网页制作流程，有良好的创意理念和页面版式规划能力，能很好的把握色彩与网页布局；\n"
        "精通Photoshop、Dreamweaver等网页设计工具\n具有良好的沟通能力和团队精神；\n优先条件\n有手绘能力"
    )
    assert result["title"] == "购物体验视觉设计师"
    assert result["duties"] == ["淘宝京东网页视觉设计", "主题活动页面设计"]
    assert result["requirements"][1:] == [
        "精通Photoshop、Dreamweaver等网页设计工具",
        "具有良好的沟通能力和团队精神",
        "有手绘能力",
    ]


def test_well_formed_documents_give_no_warning_but_the_noise_count():
    for d in DOCS:
        if not d.name.startswith("seed"):
            warnings = [w for w in parse(d.text)["warnings"] if "web-page noise" not in w]
            assert warnings == [], (d.name, warnings)
