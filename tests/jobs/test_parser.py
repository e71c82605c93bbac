"""Tests of the job-description parser: the real seed documents and one snippet per numbering style."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from app.jobs.parser import MAX_CHARS, WARN_JUMP, WARN_NO_DUTIES, ParseError
from app.jobs.parser import parse_job_description as parse

SEEDS = Path(__file__).resolve().parents[2] / "app" / "demo" / "seeds"
NUMBERING_AT_START = re.compile(
    r"^\s*(?:[0-9０-９]{1,3}\s*[、.．,，)）]|[（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]|[①-⑳⑴-⒇]"
    r"|[一二三四五六七八九十]{1,3}、|[A-Z]、|[•·])"
)
TRAILING = "；;,，"


def seed(prefix: str) -> str:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert paths, f"seed {prefix} missing from {SEEDS}"
    return paths[0].read_text(encoding="utf-8")


def all_items(result: dict) -> list[str]:
    return [item for section in result["sections"] for item in section["items"]]


def section(result: dict, heading: str, nth: int = 0) -> dict:
    found = [s for s in result["sections"] if s["heading"] == heading]
    assert len(found) > nth, f"no section {heading!r} in {[s['heading'] for s in result['sections']]}"
    return found[nth]


def squash(text: str) -> str:
    return "".join(text.split())


# ------------------------------------------------------------------ the shape of the result
def test_result_shape_is_exact_and_json_serialisable():
    result = parse("岗位职责:\n1、负责店铺运营。\n任职要求:\n1、大专以上学历。")
    assert set(result) == {"title", "fields", "sections", "duties", "requirements", "warnings"}
    assert set(result["fields"]) == {"reports_to", "direct_reports", "department", "headcount", "purpose"}
    for s in result["sections"]:
        assert set(s) == {"heading", "kind", "items"}
        assert s["kind"] in {"duties", "requirements", "kpis", "authority", "other"}
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result
    assert result["duties"] == ["负责店铺运营。"]
    assert result["requirements"] == ["大专以上学历。"]


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("text", ["", "   ", "\n\t \u3000\n"])
def test_empty_text_raises(text):
    with pytest.raises(ParseError):
        parse(text)


def test_oversized_text_raises_and_limit_itself_is_accepted():
    with pytest.raises(ParseError):
        parse("负" * (MAX_CHARS + 1))
    line = "1、负责店铺日常运营。\n"
    ok = parse((line * (MAX_CHARS // len(line)))[:MAX_CHARS])
    assert ok["duties"] and set(ok["duties"]) == {"负责店铺日常运营。"}


def test_parse_error_is_a_value_error_and_non_text_is_rejected():
    assert issubclass(ParseError, ValueError)
    with pytest.raises(ParseError):
        parse(None)  # type: ignore[arg-type]


# ------------------------------------------------------------------ numbering styles
STYLES = [
    ("1、", "2、", "3、"),
    ("1.", "2.", "3."),
    ("1,", "2,", "3,"),
    ("1，", "2，", "3，"),
    ("1)", "2)", "3)"),
    ("1)、", "2)、", "3)、"),
    ("1）、", "2）、", "3）、"),
    ("(1)", "(2)", "(3)"),
    ("（1）", "（2）", "（3）"),
    ("⑴", "⑵", "⑶"),
    ("①", "②", "③"),
    ("一、", "二、", "三、"),
    ("(一)", "(二)", "(三)"),
    ("（一）", "（二）", "（三）"),
    ("A、", "B、", "C、"),
    ("A.", "B.", "C."),
    ("• ", "• ", "• "),
    ("- ", "- ", "- "),
    ("· ", "· ", "· "),
    ("１．", "２．", "３．"),
]
ITEMS = ["负责店铺日常运营,提升销量。", "负责客户服务,处理投诉。", "完成上级交办的其他工作。"]


@pytest.mark.parametrize("markers", STYLES, ids=[m[0].strip() for m in STYLES])
def test_each_numbering_style_gives_clean_items(markers):
    text = "岗位职责:\n" + "\n".join(m + item for m, item in zip(markers, ITEMS))
    result = parse(text)
    assert result["duties"] == ITEMS
    assert [s["heading"] for s in result["sections"]] == ["岗位职责"]
    assert not [w for w in result["warnings"] if "numbering" in w]


@pytest.mark.parametrize(
    "markers",
    [("1、", "2、"), ("1.", "2."), ("1,", "2,"), ("(1)", "(2)"), ("①", "②"), ("A、", "B、"), ("１．", "２．")],
)
def test_styles_run_together_on_one_line_are_split(markers):
    result = parse(f"工作职责:{markers[0]}负责店铺运营。{markers[1]}负责客户服务。")
    assert result["duties"] == ["负责店铺运营。", "负责客户服务。"]


def test_english_numbering_and_headings():
    text = (
        "Responsibilities:\n1. Run the online store.\n2. Plan promotions.\n"
        "Requirements:\n- Three years of e-commerce experience.\n- Good English.\n"
        "KPIs:\n- Monthly sales volume.\nAuthority:\n- Approve discounts up to 10%."
    )
    result = parse(text)
    assert result["duties"] == ["Run the online store.", "Plan promotions."]
    assert result["requirements"] == ["Three years of e-commerce experience.", "Good English."]
    kinds = {s["heading"]: s["kind"] for s in result["sections"]}
    assert kinds == {
        "Responsibilities": "duties",
        "Requirements": "requirements",
        "KPIs": "kpis",
        "Authority": "authority",
    }


@pytest.mark.parametrize(
    "heading,kind",
    [
        ("具体工作职责", "duties"),
        ("岗位职责", "duties"),
        ("工作职责", "duties"),
        ("职责", "duties"),
        ("主要职责", "duties"),
        ("任职资格", "requirements"),
        ("职务要求", "requirements"),
        ("职务要求(任职资格)", "requirements"),
        ("岗位要求", "requirements"),
        ("任职要求", "requirements"),
        ("职责权限", "authority"),
        ("管理责任", "authority"),
        ("考核指标", "kpis"),
        ("KPI", "kpis"),
        ("绩效考核", "kpis"),
        ("Job responsibilities", "duties"),
        ("Duties", "duties"),
        ("Job requirements", "requirements"),
        ("Qualifications", "requirements"),
        ("福利待遇", "other"),
    ],
)
def test_heading_keywords_give_section_kinds(heading, kind):
    result = parse(f"{heading}:\n1、第一项内容。\n2、第二项内容。")
    assert [(s["heading"], s["kind"]) for s in result["sections"]] == [(heading, kind)]


def test_decorated_headings_are_recognised_and_cleaned():
    result = parse(
        "【岗位职责】\n1、负责天猫店铺的日常运营；\n## Responsibilities\n- Manage the store\n"
        "**Qualifications:**\n* 3+ years in e-commerce"
    )
    assert [(s["heading"], s["kind"], s["items"]) for s in result["sections"]] == [
        ("岗位职责", "duties", ["负责天猫店铺的日常运营"]),
        ("Responsibilities", "duties", ["Manage the store"]),
        ("Qualifications", "requirements", ["3+ years in e-commerce"]),
    ]


def test_english_job_board_layout():
    result = parse(
        "About the job\nWe are hiring an e-commerce manager to grow our online store.\nResponsibilities\n"
        "• Own the P&L of the Tmall store.\n• Lead a team of 5.\nWhat we're looking for\n"
        "• Fluent Mandarin and English.\nBenefits\n• Free lunch."
    )
    assert result["duties"] == ["Own the P&L of the Tmall store.", "Lead a team of 5."]
    assert result["requirements"] == ["Fluent Mandarin and English."]
    assert section(result, "Benefits")["kind"] == "other"
    assert section(result, "Benefits")["items"] == ["Free lunch."]


def test_one_line_position_description_with_full_width_punctuation():
    result = parse(
        "职位名称：淘宝运营　所属部门：电商部　直接上级：运营总监\n"
        "岗位职责：(1)负责店铺日常维护；(2)负责活动报名；(3)负责数据分析。\n"
        "任职资格：①大专以上学历；②两年以上工作经验。\n考核指标：月销售额、转化率、DSR评分"
    )
    assert (result["title"], result["fields"]["department"], result["fields"]["reports_to"]) == (
        "淘宝运营",
        "电商部",
        "运营总监",
    )
    assert result["duties"] == ["负责店铺日常维护", "负责活动报名", "负责数据分析。"]
    assert result["requirements"] == ["大专以上学历", "两年以上工作经验。"]
    assert section(result, "考核指标") == {
        "heading": "考核指标",
        "kind": "kpis",
        "items": ["月销售额、转化率、DSR评分"],
    }


def test_unknown_label_with_value_is_an_other_section():
    result = parse("工作地点:上海市浦东新区\n岗位职责:\n1、负责运营。")
    assert section(result, "工作地点") == {"heading": "工作地点", "kind": "other", "items": ["上海市浦东新区"]}
    assert result["duties"] == ["负责运营。"]


def test_inline_heading_with_text_is_one_item():
    result = parse(
        "职责权限:受总经理委托,行使对产品网络销售的管理。管理责任:对工作完成情况负主要责任 具体工作职责:\n"
        "1,负责网店维护。"
    )
    assert section(result, "职责权限")["items"] == ["受总经理委托,行使对产品网络销售的管理。"]
    assert section(result, "职责权限")["kind"] == "authority"
    assert section(result, "管理责任")["items"] == ["对工作完成情况负主要责任"]
    assert section(result, "具体工作职责")["items"] == ["负责网店维护。"]


def test_numbered_text_before_any_heading_defaults_to_duties():
    result = parse("电商运营主管\n1、负责店铺运营。\n2、负责团队管理。")
    assert result["duties"] == ["负责店铺运营。", "负责团队管理。"]
    assert result["sections"][-1]["heading"] is None and result["sections"][-1]["kind"] == "duties"


# ------------------------------------------------------------------ run-together, wrapped and embedded numbers
def test_run_together_items_split_only_on_the_next_number():
    result = parse(
        "具体工作职责:\n1,负责了解趋势。\n2,负责网店改版,上架,下架,销售,售后的管理方案 3,负责网店日常维护。\n"
        "4,负责站内推广工作如直通车。淘宝客。钻石展位等。5,负责店铺标准优化:标题优化 6,完成其他事项。"
    )
    assert result["duties"] == [
        "负责了解趋势。",
        "负责网店改版,上架,下架,销售,售后的管理方案",
        "负责网店日常维护。",
        "负责站内推广工作如直通车。淘宝客。钻石展位等。",
        "负责店铺标准优化:标题优化",
        "完成其他事项。",
    ]


def test_dot_comma_combination_is_split():
    result = parse("1、负责网站产品的内容编辑和新品录入,使商品展示内容丰富化 2.、按照公司要求策划节日促销活动")
    assert result["duties"] == ["负责网站产品的内容编辑和新品录入,使商品展示内容丰富化", "按照公司要求策划节日促销活动"]


def test_numbers_that_are_not_the_next_item_do_not_split():
    result = parse(
        "岗位职责:\n1、新闻审批后48小时内发布,每日18:00备份订单。3、检查10条聊天记录\n"
        "2、店铺客服问题定单须在24小时内处理完毕。\n任职要求:\n1,大专及以上学历;\n2,5以上工作经验,3年以上管理经验;\n"
        "25—45岁3年运营经验"
    )
    assert result["duties"] == [
        "新闻审批后48小时内发布,每日18:00备份订单。3、检查10条聊天记录",
        "店铺客服问题定单须在24小时内处理完毕。",
    ]
    assert result["requirements"] == ["大专及以上学历", "5以上工作经验,3年以上管理经验", "25—45岁3年运营经验"]


def test_wrapped_lines_continue_the_item():
    text = (
        "岗位职责:\nB、控制店铺ROI(即运营成本与销售业绩比例或者投资回报率)运营成本包括广告费、免邮费、\n\n打折促销等。\n"
        "C、负责管理运营公司网络销售平台,使网络平台变得更有效率、并持续不断地跟进平台运营规则和完\n成销售业绩。\n"
        "D、Plan and run the marketing calendar of the store together with the design team and the\n"
        "customer service team."
    )
    result = parse(text)
    assert result["duties"] == [
        "控制店铺ROI(即运营成本与销售业绩比例或者投资回报率)运营成本包括广告费、免邮费、打折促销等。",
        "负责管理运营公司网络销售平台,使网络平台变得更有效率、并持续不断地跟进平台运营规则和完成销售业绩。",
        "Plan and run the marketing calendar of the store together with the design team and the customer service team.",
    ]


def test_nested_groups_become_sub_sections():
    text = (
        "网络平台的运营:\n1)、关于管理工作\nA、执行店铺完成既定业绩目标。\nB、组织活动,提高团队的凝结力\n"
        "2)、关于店铺\n1、每日收订、定单数、客单数。\n2、店铺交流区回复。\n3)、关于团队\n1、关心同事。"
    )
    result = parse(text)
    assert [(s["heading"], s["kind"], s["items"]) for s in result["sections"]] == [
        ("关于管理工作", "duties", ["执行店铺完成既定业绩目标。", "组织活动,提高团队的凝结力"]),
        ("关于店铺", "duties", ["每日收订、定单数、客单数。", "店铺交流区回复。"]),
        ("关于团队", "duties", ["关心同事。"]),
    ]
    assert result["warnings"] == []


def test_chinese_numeral_groups_with_arabic_items():
    result = parse("一、淘宝店铺运营\n1、负责淘宝整体运营。\n2、完成业绩目标;\n二、淘宝网店推广\n1、制定推广目标。")
    assert [(s["heading"], s["items"]) for s in result["sections"]] == [
        ("淘宝店铺运营", ["负责淘宝整体运营。", "完成业绩目标"]),
        ("淘宝网店推广", ["制定推广目标。"]),
    ]


def test_numbering_jump_and_late_start_are_warned():
    result = parse("五、售后客户服务\n2、询问客户需求\n3、跟踪物流信息\n5、回访会员\n")
    assert result["duties"] == ["询问客户需求", "跟踪物流信息", "回访会员"]
    assert "Item numbering starts at 2 in section '售后客户服务': check for a missing item." in result["warnings"]
    assert WARN_JUMP.format(previous=3, current=5, section="售后客户服务") in result["warnings"]
    jump = parse("岗位职责:\n1、负责A。\n3、负责B。")
    assert jump["warnings"] == ["Item numbering jumps from 1 to 3 in section '岗位职责': check for a missing item."]


def test_warnings_are_capped():
    text = "".join(f"第{n}组职责:\n1、负责A。\n3、负责B。\n" for n in range(30))
    result = parse(text)
    assert len(result["warnings"]) == 21
    assert result["warnings"][-1] == "10 more warnings are not shown."


def test_no_duties_warning():
    result = parse("任职要求:\n1、本科学历。")
    assert result["duties"] == [] and result["requirements"] == ["本科学历。"]
    assert WARN_NO_DUTIES in result["warnings"]


# ------------------------------------------------------------------ fields
def test_fields_on_one_line_split_on_known_labels():
    result = parse(
        "职务名称:电商部经理 直接上级:总经理\n直接下级:推广;美工;在线客服\n所属部门:电商部\n编制:12人\n"
        "职位名称:电商部推广直接上级:电商部经理 直接下级:无\n岗位职责:\n1、负责运营。"
    )
    assert result["title"] == "电商部经理"
    assert result["fields"] == {
        "reports_to": "总经理",
        "direct_reports": ["推广", "美工", "在线客服"],
        "department": "电商部",
        "headcount": 12,
        "purpose": None,
    }
    second = parse("职位名称:电商部推广直接上级:电商部经理 直接下级:无\n定员：３")
    assert (second["title"], second["fields"]["reports_to"]) == ("电商部推广", "电商部经理")
    assert second["fields"]["direct_reports"] == [] and second["fields"]["headcount"] == 3


def test_english_fields():
    result = parse(
        "Job title: Store manager\nReports to: Operations director\nDirect reports: Designer, Copywriter / "
        "Customer service\nDepartment: E-commerce\nHeadcount: 4\nResponsibilities:\n1. Run the store."
    )
    assert result["title"] == "Store manager"
    assert result["fields"] == {
        "reports_to": "Operations director",
        "direct_reports": ["Designer", "Copywriter", "Customer service"],
        "department": "E-commerce",
        "headcount": 4,
        "purpose": None,
    }
    assert parse("Direct reports: None\nDuties:\n- x")["fields"]["direct_reports"] == []


# ------------------------------------------------------------------ noise
def test_page_noise_is_dropped_and_reported():
    text = (
        "电子商务岗位说明书 .pdfVIP\n  1. 1、本文档共8页,可阅读全部内容。\n查看更多\n作者:胡知溪 人气:21\n"
        "岗位职责:\n1、负责店铺运营。\n文档评论(0)\n184****1486 + 关注\n实名认证\n文档贡献者\n相关文档"
    )
    result = parse(text)
    assert result["duties"] == ["负责店铺运营。"]
    assert result["warnings"] == ["Ignored 9 lines that look like web-page noise (download banners, view counters)."]


# ------------------------------------------------------------------ the real seed documents
def test_seed_002_duty_groups_noise_and_requirement():
    result = parse(seed("002"))
    groups = [s for s in result["sections"] if s["kind"] == "duties" and s["heading"]]
    assert [s["heading"] for s in groups] == [
        "关于管理工作",
        "关于店铺",
        "关于团队",
        "关于运营",
        "关于推广",
        "关于采购",
        "关于销售",
        "关于物流",
        "关于定单",
        "关于技术",
        "关于产品制作(商品上架)",
    ]
    assert [len(s["items"]) for s in groups] == [10, 5, 4, 10, 7, 4, 2, 2, 2, 2, 3]
    assert "店铺客服问题定单须在24小时内处理完毕。" in result["duties"]
    assert (
        "控制店铺ROI(即运营成本与销售业绩比例或者投资回报率)运营成本包括广告费、免邮费、打折促销等。"
        in result["duties"]
    )
    assert "会员经营管理(指店铺VIP)。" in result["duties"]
    assert "25—45岁3年运营经验" in result["requirements"]
    assert any("web-page noise" in w for w in result["warnings"])
    for item in all_items(result):
        assert not re.search(
            r"本文档|原创力|VIP文档|下载|版权申诉|文档评论|\+ 关注|实名认证|文档贡献者|相关文档|查看更多|该用户", item
        )


def test_seed_001_position_charter():
    text = seed("001")
    start = text.index("三.电商部各岗位职务说明(一)电商部经理职责权限")
    result = parse(text[start:])
    assert result["title"] == "电商部经理"
    assert result["fields"]["reports_to"] == "总经理"
    assert result["fields"]["direct_reports"] == ["推广", "美工", "在线客服"]
    duties = section(result, "具体工作职责")
    assert duties["kind"] == "duties" and len(duties["items"]) == 9
    assert duties["items"][1] == "负责网店改版,上架,下架,销售,售后的管理方案"
    assert duties["items"][2] == "负责网店日常维护优化店铺与商品排名。"
    assert duties["items"][8] == "完成上级交代的其他突发事项。"
    assert section(result, "职责权限")["kind"] == "authority"
    assert section(result, "职责权限")["items"][0].startswith("受总经理委托")
    assert "大专及以上学历" in result["requirements"]
    assert any(r.startswith("5以上工作经验") for r in result["requirements"])
    promoter = section(result, "具体工作职责", 1)["items"]
    assert promoter[3:5] == ["负责站内推广工作如直通车。淘宝客。钻石展位等。", "负责店铺标准优化:标题优化"]


def test_seed_001_whole_document():
    result = parse(seed("001"))
    assert result["title"] == "电商部经理" and result["fields"]["department"] == "电商部"
    assert (
        section(result, "网络图片美工设计")["items"][0]
        == "负责公司网站建设的布局和结构等方面的整体规划的设计、改版、更新"
    )
    maintenance = section(result, "网站维护及管理")["items"]
    assert maintenance[1] == "按照公司要求及策划相应节日促销活动,完成促销页面的更新及产品的更换"
    assert section(result, "2011年商务处工作总结")["kind"] == "other"
    assert "Item numbering starts at 2 in section '售后客户服务': check for a missing item." in result["warnings"]
    assert any("后台人员应每日18:00进行订单信息的备份及记录" in i for i in all_items(result))


def test_seed_003_english_duties_and_requirements():
    result = parse(seed("003"))
    assert len(result["duties"]) == 7 and len(result["requirements"]) == 6
    assert result["duties"][0] == (
        "responsible for the operation and management of the company's shopping malls and stores."
    )
    assert result["requirements"][5] == "Good planning, promotion and project execution skills."
    assert section(result, "Job requirements of online store operation supervisor")["kind"] == "requirements"
    assert not any("Traditional Culture" in i for i in all_items(result))


def test_seed_000_inline_english_list():
    result = parse(seed("000"))
    items = section(result, "Job responsibilities")["items"]
    assert len(items) == 3
    assert items[0].startswith("responsible for the preparation and implementation of business development plans")
    assert items[0].endswith("management of cooperation projects")
    assert items[1] == (
        "Actively tap the market demand and find new business growth points for the company's products and services"
    )
    assert items[2].startswith("Establish and maintain normal and stable relations with partners")
    assert len(section(result, "The duties of the online sales supervisor are as follows")["items"]) == 7
    assert len(section(result, "Customer service job responsibilities")["items"]) == 6
    assert not any("reproduced" in i for i in all_items(result))


def test_seed_004_functions_and_positions():
    result = parse(seed("004"))
    assert section(result, "绩效评估")["kind"] == "kpis"
    assert section(result, "绩效评估")["items"][2:] == ["营销活动效果评估。", "团队建设和人才培养成效。"]
    assert section(result, "线上店铺运营")["items"][1] == "优化店铺布局和商品展示,提高用户体验和转化率。"
    assert len(section(result, "电子商务经理")["items"]) == 6
    assert not any("胡知溪" in i for i in all_items(result))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_items_are_clean(prefix):
    text = seed(prefix)
    result = parse(text)
    assert result["duties"], "every seed has duties"
    flat = squash(text)
    for item in all_items(result):
        assert item == item.strip() and item
        assert item[-1] not in TRAILING, item
        assert not NUMBERING_AT_START.match(item), item
        assert squash(item) in flat, item


# ------------------------------------------------------------------ property-style: never raises, never invents
ALPHABET = (
    list("0123456789") * 3
    + list("、.,，)）(（：:；;。!?-•·①②⑴⑵ABC")
    + list("一二三十")
    + list("负责店铺运营岗位职责任职要求直接上级部门人年岁")
    + list("abc xyz")
    + ["\n", "\n", " ", "\u3000", "１", "．"]
)


def test_random_text_never_raises_and_items_come_from_the_input():
    rng = random.Random(20240225)
    words = ["1、", "2.", "(1)", "一、", "A、", "职责:", "岗位职责", "直接上级:", "编制:", "3,", " 4,", "。5,"]
    for _ in range(300):
        parts = [rng.choice(words) if rng.random() < 0.15 else rng.choice(ALPHABET) for _ in range(rng.randint(1, 160))]
        text = "".join(parts)
        try:
            result = parse(text)
        except ParseError:
            assert not text.strip()
            continue
        flat = squash(text)
        for item in all_items(result) + result["duties"] + result["requirements"]:
            assert isinstance(item, str) and item and item == item.strip(), repr(item)
            assert item[-1] not in TRAILING, repr(item)
            assert squash(item) in flat, (item, text)
        assert json.dumps(result, ensure_ascii=False)


def test_the_word_exports_header_labels_are_fields_and_management_responsibility_is_no_duty():
    """The labels of RoleBook's own Word export (app.documents.word), as pasted text."""
    english = parse(
        "Position title: Store lead\nDirect superior: Shop manager\n"
        "Direct subordinates: Clerk, Packer\nManagement responsibility: Results of the team.\n"
        "Duties:\n1. Plan the monthly sales.\n2. Check the daily traffic."
    )
    assert english["title"] == "Store lead"
    assert (english["fields"]["reports_to"], english["fields"]["direct_reports"]) == (
        "Shop manager",
        ["Clerk", "Packer"],
    )
    assert [(s["kind"], s["items"]) for s in english["sections"] if s["kind"] in ("duties", "authority")] == [
        ("authority", ["Results of the team."]),
        ("duties", ["Plan the monthly sales.", "Check the daily traffic."]),
    ]
    chinese = parse("职务名称：店长\n部门：运营组\n工作职责：\n1、制定月度销售计划。")
    assert chinese["fields"]["department"] == "运营组" and chinese["title"] == "店长"
