"""The text document-sharing sites give for a PDF or Word job description: the page text cut into
chunks, each line opening with the chunk's number ("1、 " … or "1、" run into the text) that is no
list number, with the document's own headings, numbered items and form cells run together inside
the chunks (app/jobs/parser/layout.py, page_chunks). A real list of numbered lines is never taken
for chunks."""

from __future__ import annotations

import pytest

from app.jobs.parser import parse_job_description as parse
from app.jobs.parser.layout import page_chunks
from tests.jobs import corpus_measure as cm

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


# Ordinary numbered lists that look a little like chunks: none is touched, each parses as the list it is.
STORES = [
    "门店督导岗位职责",
    "1、负责1家旗舰店的日常运营管理；",
    "2、负责2家社区店的巡店与督导；",
    "3、完成上级交办的其他工作。",
]
LANGUAGES = [
    "外贸业务员",
    "任职要求：",
    "1、精通1门外语，英语六级以上；",
    "2、熟悉2门以上小语种者优先；",
    "3、有外贸工作经验。",
]
LONG_ITEMS = [
    "出纳岗位说明书",
    "岗位职责：",
    "1、办理公司日常现金与银行结算业务，严格审核付款单据的审批手续是否齐全、金额是否正确、收款单位与合同约定是否一致，对手续不全的单据一律退回经办人补办，具体做到：（1）每日核对库存现金，"
    "做到日清月结、账款相符，发现长短款当日查明原因并报告财务主管；（2）按月取得银行对账单，编制银行存款余额调节表并跟进未达账项",
    "2、负责公司各类票据与印鉴的保管和登记工作，建立票据领用登记簿，做到领用有记录、作废有留存、遗失有报告，票据的购买、领用、核销和销毁均须经财务主管签字确认后方可办理，具体做到：（1）空白支票与财务专用章"
    "分人保管，不得由出纳一人同时保管，使用后及时归还并登记；（2）每季度配合财务主管对库存票据进行盘点，形成书面的盘点记录",
    "3、及时登记现金日记账与银行存款日记账，保证日记账与总账、与银行对账单相互核对一致，日记账的摘要、金额、对方科目应当填写清楚，不得随意涂改或者撕页，具体做到：（1）每笔收付款当日登记，不得"
    "积压、补记或者事后补登；（2）月末将日记账余额与会计提供的总账余额核对，有差异的编制说明交财务主管审核后再行调整处理",
]


def _no_final_punctuation(lines):
    return [line.rstrip("；。") for line in lines]


def _space_after_numbers(lines):
    return [line.replace("、", "、 ", 1) if line[:1].isdigit() else line for line in lines]


def test_bare_numbers_before_measure_words_do_not_make_a_list_page_chunks():
    for lines in (
        STORES,
        LANGUAGES,
        _no_final_punctuation(STORES),
        _space_after_numbers(_no_final_punctuation(LANGUAGES)),
    ):
        assert page_chunks(lines) == lines, lines
    assert parse("\n".join(STORES))["duties"] == [
        "负责1家旗舰店的日常运营管理",
        "负责2家社区店的巡店与督导",
        "完成上级交办的其他工作。",
    ]
    assert parse("\n".join(LANGUAGES))["requirements"] == [
        "精通1门外语，英语六级以上",
        "熟悉2门以上小语种者优先",
        "有外贸工作经验。",
    ]


def test_long_items_each_with_a_run_in_sub_list_are_not_chunks():
    assert min(len(line) for line in LONG_ITEMS[2:]) >= 150  # as long as chunks cut by size
    for lines in (LONG_ITEMS, _space_after_numbers(LONG_ITEMS)):
        assert page_chunks(lines) == lines
    duties = parse("\n".join(LONG_ITEMS))["duties"]
    assert sum(d.startswith(("办理公司日常现金", "负责公司各类票据", "及时登记现金日记账")) for d in duties) == 3


def test_length_alone_is_no_chunk_evidence_even_with_one_sub_list_and_no_final_punctuation():
    lines = (
        LONG_ITEMS[:2]
        + [LONG_ITEMS[2]]
        + [
            "2、负责公司各类票据与印鉴的保管和登记工作，建立票据领用登记簿，做到领用有记录、作废有留存，空白支票与财务专用章分人保管，"
            "不得由出纳一人同时保管，使用后及时归还并登记，每季度配合财务主管对库存票据进行盘点，形成书面的盘点记录并归档保存备查，发现票据短缺或者印鉴异常时立即报告财务主管和财务经理并协助查明原因，必要时配合公司内审部门开展专项检查",
            "3、及时登记现金日记账与银行存款日记账，保证日记账与总账、与银行对账单相互核对一致，每笔收付款当日登记，不得积压、补记或者"
            "事后补登，月末将日记账余额与会计提供的总账余额核对，有差异的编制说明交财务主管审核后再行调整处理并留存记录，年末将全年日记账装订成册后移交会计档案管理人员归档保管",
        ]
    )
    assert sum(len(line) - 2 for line in lines[2:]) / 3 >= 150  # as long as chunks cut by size, on average
    assert page_chunks(lines) == lines
    assert page_chunks(_space_after_numbers(lines)) == _space_after_numbers(lines)


def test_ordinals_listed_in_an_item_are_no_heading_run_into_a_line():
    lines = [
        "1、 负责一、二级供应商的开发与考核：（1）新供应商寻源与评审 （2）老供应商年度考核",
        "2、 （3）不合格供应商的整改跟踪",
        "3、 负责三、四级物料的采购执行",
    ]
    assert page_chunks(lines) == lines


def test_a_recut_with_fewer_items_than_the_run_had_lines_is_refused():
    # a heading run into a line and sub-numbers running on from line 1 into line 2 look like chunks,
    # but cut again the four lines would give three items: the line numbers were the list's
    lines = ["1、 岗位说明书 一、岗位职责 （1）巡店", "2、 （2）盘点", "3、 其他工作", "4、 其他事务"]
    assert page_chunks(lines) == lines


def _cut_by_size(text: str, size: int) -> list[str]:
    """The text as a document site gives it: cut every ``size`` characters, each chunk numbered."""
    return [f"{k}、{text[at : at + size]}" for k, at in enumerate(range(0, len(text), size), 1)]


WAREHOUSE = (
    "仓库主管岗位说明书一、岗位概要负责仓库的收发存管理,保证物资账实相符,为生产和销售提供及时的物资保障。二、岗位职责"
    "1制定仓库年度与月度工作计划并组织实施,定期向物流经理汇报计划的完成情况;2组织物资的验收入库与发货出库,审核单据填写是否完整;"
    "3组织每月的库存盘点,分析盘盈盘亏的原因并提出处理意见,报物流经理审批后执行并跟踪落实情况;4负责仓库的安全、消防与卫生管理工作,"
    "定期组织检查并整改,对检查中发现的隐患建立台账,逐项整改到位;5培训与考核仓管员和叉车工,合理安排班次;"
    "6维护仓储系统中的物料编码与库位数据,保证系统数据与实物一致;7编制仓库月度费用预算,控制包装材料与搬运设备的使用成本;"
    "8完成物流经理交办的其他工作。"
)
INSPECTION = (
    "质检组长职位说明书职位名称质检组长所属部门品质部直接上级品质经理任职资格1学历、专业知识中专以上,了解产品质量标准与抽样检验方法"
    "2工作经验两年以上质检工作经验,其中一年以上班组管理经验职责一职责表述:来料检验工作任务1组织来料的抽样检验并填写检验记录,"
    "对不合格来料提出退货或让步接收意见2每周汇总来料质量数据,向品质经理报告异常趋势与改进建议考核重点:来料检验的及时率与漏检率"
    "职责二职责表述:制程巡检工作任务1安排质检员对生产过程进行巡检,记录巡检发现的问题2对发现的质量问题督促生产部门整改,跟踪整改结果"
    "考核重点:制程异常的发现率职责三职责表述:班组管理工作任务1安排质检员的班次与工作2组织质检员的技能培训与考核"
)


def test_long_chunks_with_a_heading_run_in_are_chunks_though_no_sure_number_runs_on():
    lines = _cut_by_size(WAREHOUSE, 170)  # the cut falls inside duty 4; the duties have bare numbers only
    assert len(lines) == 2 and page_chunks(lines) != lines
    result = parse("\n".join(lines))
    assert result["title"] == "仓库主管" and result["fields"]["purpose"].startswith("负责仓库的收发存管理")
    assert len(result["duties"]) == 8
    assert (
        result["duties"][3]
        == "负责仓库的安全、消防与卫生管理工作,定期组织检查并整改,对检查中发现的隐患建立台账,逐项整改到位"
    )


def test_long_chunks_whose_header_cells_ran_together_may_hold_bare_numbers_only():
    lines = _cut_by_size(INSPECTION, 170)  # no "一、" heading: the header row run together says page text
    out = page_chunks(lines)
    assert out != lines and "职位名称：质检组长" in out and "所属部门：品质部" in out
    result = parse("\n".join(lines))
    assert result["title"] == "质检组长" and result["fields"]["reports_to"] == "品质经理"
    assert result["requirements"] == [
        "学历、专业知识中专以上,了解产品质量标准与抽样检验方法",
        "工作经验两年以上质检工作经验,其中一年以上班组管理经验",
    ]
    # the same text cut short (lines of a list's length) is left alone: length is part of the evidence
    assert page_chunks(_cut_by_size(INSPECTION, 60)) == _cut_by_size(INSPECTION, 60)


CORPUS = {d.name: d for d in cm.load()}


@pytest.mark.parametrize(
    "name",
    [
        "zh33_site_page_chunks",  # chunks
        "zh34_site_chunks_bare_numbers",  # chunks
        "zh35_list_items_measure_words",  # a list: "负责1家…" "负责2家…"
        "zh36_long_items_run_in_sub_lists",  # a list: long items, each with "（1）…（2）…"
    ],
)
def test_the_corpus_documents_of_chunks_and_of_lists_like_them_are_exact(name):
    doc = CORPUS[name]
    lines = doc.text.splitlines()
    assert (page_chunks(lines) != lines) == ("chunks" in name)
    score = cm.score(doc.name, parse(doc.text), doc.expected)
    assert score.exact, score.missed
