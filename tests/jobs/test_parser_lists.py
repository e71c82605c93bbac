"""The parser on the auditor's cases: Traditional Chinese, lists numbered 一、/(一), "2.3年" after
item 2, numbers run into the item before them, prose after a list, "-负责" bullets, and text that
must never be dropped silently."""

from __future__ import annotations

import pytest

from app.jobs.chinese import TO_SIMPLIFIED, simplified
from app.jobs.parser import WARN_EMPTY_HEADING, WARN_JUMP, WARN_RUN_ON, patterns
from app.jobs.parser import parse_job_description as parse
from tests.jobs.test_parser import section, seed

# ------------------------------------------------------------------ Traditional Chinese
TRADITIONAL = (
    "職務名稱：電商部經理\n直接上級：總經理\n直接下級：推廣；美工；在線客服\n所屬部門：電子商務部\n編制：5人\n"
    "崗位職責：\n1、負責網店日常維護，優化店鋪與商品排名；\n2、負責站內外推廣工作。\n"
    "任職資格：\n1、大專及以上學歷；\n2、兩年以上網店運營經驗；\n3、年齡18-35歲之間，身體健康。"
)


def test_a_traditional_charter_gives_title_fields_duties_and_requirements_in_the_users_script():
    result = parse(TRADITIONAL)
    assert result["title"] == "電商部經理"
    assert result["fields"] == {
        "reports_to": "總經理",
        "direct_reports": ["推廣", "美工", "在線客服"],
        "department": "電子商務部",
        "headcount": 5,
        "purpose": None,
    }
    assert [(s["heading"], s["kind"]) for s in result["sections"]] == [
        ("崗位職責", "duties"),
        ("任職資格", "requirements"),
    ]
    assert result["duties"] == ["負責網店日常維護，優化店鋪與商品排名", "負責站內外推廣工作。"]
    assert result["requirements"] == ["大專及以上學歷", "兩年以上網店運營經驗", "年齡18-35歲之間，身體健康。"]
    assert result["warnings"] == []


@pytest.mark.parametrize(
    "heading,kind",
    [
        ("具體工作職責", "duties"),
        ("工作職責", "duties"),
        ("任職要求", "requirements"),
        ("職務要求", "requirements"),
        ("崗位要求", "requirements"),
        ("職責權限", "authority"),
        ("考核指標", "kpis"),
        ("績效考核", "kpis"),
        ("福利待遇", "other"),
    ],
)
def test_traditional_headings_give_section_kinds(heading, kind):
    result = parse(f"{heading}:\n1、第一項內容。\n2、第二項內容。")
    assert [(s["heading"], s["kind"]) for s in result["sections"]] == [(heading, kind)]


def test_traditional_noise_lines_are_dropped():
    result = parse(
        "本文檔共8頁，可閱讀全部內容。\n崗位職責：\n1、負責店鋪運營。\n文檔評論(0)\n該用戶很懶，什麼也沒介紹"
    )
    assert result["duties"] == ["負責店鋪運營。"]
    assert result["warnings"][0].startswith("Ignored 3 lines")


def test_the_table_folds_one_character_to_one_and_leaves_simplified_keywords_alone():
    assert all(len(chr(k)) == len(chr(v)) == 1 for k, v in TO_SIMPLIFIED.items())
    assert not set(TO_SIMPLIFIED.values()) & set(TO_SIMPLIFIED)  # no chains: 乾 → 干 → …
    keywords = "".join(p for _k, p in patterns.KINDS) + patterns.FIELD.pattern + patterns.REQ_LIKE.pattern
    simplified_chars = {c for c in keywords if c >= "\u4e00"}
    assert not {ord(c) for c in simplified_chars} & set(TO_SIMPLIFIED)
    assert simplified("年齡18-35歲之間，身體健康，本地戶口") == "年龄18-35岁之间，身体健康，本地户口"


# ------------------------------------------------------------------ lists numbered 一、 (一) （一） 一.
@pytest.mark.parametrize(
    "markers",
    [("一、", "二、", "三、"), ("一.", "二.", "三."), ("(一)", "(二)", "(三)"), ("（一）", "（二）", "（三）")],
    ids=["dun", "dot", "paren", "fullparen"],
)
@pytest.mark.parametrize("final", ["。", ""], ids=["stop", "nostop"])
def test_short_items_numbered_with_chinese_numerals_are_items(markers, final):
    items = ["负责网店日常维护与商品上下架", "负责站内外推广工作及效果分析", "完成上级交办的其他工作"]
    text = "岗位职责:\n" + "\n".join(
        f"{m}{item}{'；' if n < 2 else final}" for n, (m, item) in enumerate(zip(markers, items))
    )
    result = parse(text)
    assert result["duties"] == items[:2] + [items[2] + final]
    assert [s["heading"] for s in result["sections"]] == ["岗位职责"]
    assert result["warnings"] == []


def test_unpunctuated_chinese_numeral_items_before_the_next_heading_are_items():
    result = parse(
        "岗位职责:\n一、负责网店日常维护\n二、负责站内外推广\n三、完成上级交办的其他工作\n任职资格:\n1、大专以上学历。"
    )
    assert result["duties"] == ["负责网店日常维护", "负责站内外推广", "完成上级交办的其他工作"]
    assert result["requirements"] == ["大专以上学历。"]


def test_chinese_numeral_items_run_together_on_one_line():
    result = parse("任职要求：一、大专以上学历；二、三年以上网店运营经验；三、熟悉淘宝规则\n岗位职责：\n1、负责运营。")
    assert result["requirements"] == ["大专以上学历", "三年以上网店运营经验", "熟悉淘宝规则"]


def test_chinese_numeral_groups_with_children_stay_headings():
    result = parse(
        "一、电商部经理\n职务名称：电商部经理\n岗位职责：\n1、负责运营。\n任职要求：\n1、大专学历。\n"
        "二、美工\n岗位职责：\n1、负责设计。\n三、完成上级交办的其他工作"
    )
    assert [(s["heading"], s["items"]) for s in result["sections"]] == [
        ("岗位职责", ["负责运营。"]),
        ("任职要求", ["大专学历。"]),
        ("岗位职责", ["负责设计。"]),
        (None, ["完成上级交办的其他工作"]),
    ]
    assert result["title"] == "电商部经理"


def test_a_lone_sub_heading_at_the_end_is_kept_as_an_item():
    result = parse("一、淘宝店铺运营\n1、负责淘宝整体运营。\n二、下步工作规划")
    assert [(s["heading"], s["items"]) for s in result["sections"]] == [
        ("淘宝店铺运营", ["负责淘宝整体运营。"]),
        (None, ["下步工作规划"]),
    ]


def test_a_heading_with_nothing_under_it_is_warned_about():
    result = parse("岗位职责:\n1、负责运营。\n任职要求:")
    assert WARN_EMPTY_HEADING.format(heading="任职要求") in result["warnings"]
    back_to_back = parse("岗位职责:\n任职要求:\n1、大专学历。")
    assert WARN_EMPTY_HEADING.format(heading="岗位职责") in back_to_back["warnings"]


def test_the_last_heading_of_a_seed_report_is_kept_as_an_item():
    result = parse(seed("001"))
    assert "下步工作规划" in [i for s in result["sections"] for i in s["items"]]


# ------------------------------------------------------------------ "2.3年以上" and numbers run into an item
def test_seed_001_fourth_document_requirements_are_four_items():
    text = seed("001")
    start = text.index("电子商务部经理岗位职责")
    result = parse(text[start : text.index("网站编辑与维护岗位职责")])
    assert result["requirements"] == [
        "精通互联网、电子商务等相关行业,能较好地掌握互联网、电子商务平台技术发展趋势、动态,对关键技术有比较深入的研究",
        "3年以上酒类网上销售管理经验,熟悉国内酒类行业用户需求",
        "充分了解和掌握电子商务的运营模式,熟悉电子商务运营的订单提交/订单处理/物流配送/客户服务等各项流程",
        "本科以上学历",
    ]


def test_dot_then_digit_on_its_own_line_is_the_next_item():
    result = parse("岗位要求:\n1.本科以上学历\n2.3年以上经验\n3.10天内完成入职")
    assert result["requirements"] == ["本科以上学历", "3年以上经验", "10天内完成入职"]


@pytest.mark.parametrize(
    "text,item",
    [
        ("岗位职责:\n1.负责销售额增长2.5%以上。", "负责销售额增长2.5%以上。"),
        ("岗位职责:\n1.负责店铺运营,目标 1.5万元。", "负责店铺运营,目标 1.5万元。"),
        ("岗位职责:\n1.5万元以上的月销售目标。", "1.5万元以上的月销售目标。"),
    ],
)
def test_decimals_stay_numbers(text, item):
    assert parse(text)["duties"] == [item]


def test_a_number_further_on_after_a_sentence_end_starts_an_item_with_a_warning():
    text = seed("001")
    start = text.index("主要职责:")
    result = parse(text[start : text.index("二.电商部编制")])
    assert result["duties"][-2:] == ["负责网店装修,改版,上架。图片拍摄与平面处理。", "负责网络正常运营及管理"]
    assert WARN_JUMP.format(previous=5, current=8, section="主要职责") in result["warnings"]


def test_a_number_the_next_line_contradicts_stays_in_the_item_with_a_warning():
    result = parse(
        "岗位职责:\n1、新闻审批后48小时内发布。3、检查10条聊天记录\n2、店铺客服问题定单须在24小时内处理完毕。"
    )
    assert result["duties"][0] == "新闻审批后48小时内发布。3、检查10条聊天记录"
    assert WARN_RUN_ON.format(current=3, section="岗位职责") in result["warnings"]


# ------------------------------------------------------------------ import niceties in the parser
def test_prose_after_the_last_item_of_an_inline_english_list_is_not_part_of_it():
    result = parse(seed("000"))
    items = section(result, "Job responsibilities")["items"]
    assert (
        items[2]
        == "Establish and maintain normal and stable relations with partners to ensure good business development."
    )
    other = [s for s in result["sections"] if s["kind"] == "other" and s["heading"] is None]
    assert any(i.startswith("Department composition mainly includes") for s in other for i in s["items"])


def test_chinese_items_with_several_sentences_are_not_cut():
    result = parse("具体工作职责:1,负责站内推广工作如直通车。淘宝客。钻石展位等。任职资格:1,大专学历。")
    assert result["duties"] == ["负责站内推广工作如直通车。淘宝客。钻石展位等。"]


def test_a_dash_without_a_space_is_a_bullet_at_the_start_of_a_line_only():
    result = parse("岗位职责:\n-负责店铺运营。\n-负责客户服务,上海-北京线路。")
    assert result["duties"] == ["负责店铺运营。", "负责客户服务,上海-北京线路。"]
