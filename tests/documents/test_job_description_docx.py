"""The job description as a Word document: written for real with python-docx and read back
with it (what Word shows: paragraphs and tables in order), opened by a real LibreOffice
(converted to PDF, its text and fonts checked), uploaded again through the import page's upload
path (the same structure comes back exactly, and a user's edits in Word with it), user text kept literal, and the PDF's access rules."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from werkzeug.datastructures import MultiDict

from app.documents import services
from app.documents.word import MIMETYPE, clean
from app.extensions import db
from app.jobs import files
from app.jobs import services as jobs
from app.jobs.content import json_number, version_content, without_links
from app.jobs.models import Status
from app.jobs.text_to_content import import_text
from app.jobs.uploads import import_file, parse_file
from tests import factories
from tests.documents.conftest import (
    DUTIES_1,
    DUTIES_2,
    REQUIREMENTS,
    fonts,
    in_order,
    jd_content,
    new_draft,
    pages_text,
    squeeze,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _get_docx(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == MIMETYPE
    assert response.headers["Cache-Control"] == "private, no-cache"
    return response.data


def _docx(version_id: int, lang: str) -> bytes:
    return services.job_description_docx(jobs.get_version(version_id), lang)[1]


def extract(data: bytes) -> str:
    """The text an upload reads of the document (``app.jobs.files``: paragraphs in order, each
    table row one line with its cells joined by a tab)."""
    return files.extract("EC-LEAD-V1.docx", data).text


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def _header_footer_text(data: bytes) -> tuple[str, str]:
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    return ("\n".join(p.text for p in section.header.paragraphs), "\n".join(p.text for p in section.footer.paragraphs))


# --- what the document holds ------------------------------------------------------------------


def test_chinese_document_holds_the_pdfs_structure_in_order(login, shop):
    data = _get_docx(login("hr"), f"/documents/versions/{shop.version.id}/job-description.docx?lang=zh_CN")
    text = extract(data)
    assert in_order(
        text,
        [
            "岗位说明书",
            "电商运营主管",
            "文件编号 EC-LEAD-V1",
            "一、基本信息",
            "职务名称：\t电商运营主管",
            "岗位编码：\tEC-LEAD",
            "部门：\t运营组",
            "职级：\tP5",
            "直接上级：\t电商部经理（EC-MGR）",
            "直接下级：\t运营专员",
            "工作条件：\t需配合大促期间轮班。",
            "编制：\t2",
            "岗位目的：负责天猫旗舰店的整体运营。",
            "职责权限：审核店铺活动方案。",
            "管理责任：对运营组的工作结果负责。",
            "二、工作职责",
            "（一）店铺运营",
            *[f"{n}、{d}" for n, d in enumerate(DUTIES_1, 1)],
            "考核要素：",
            "序号\t频率\t标准或时限\t权重",
            "1\t月度\t—\t30%",
            "2\t每日\t每日10点前\t—",
            "（二）客户服务",
            *[f"{n}、{d}" for n, d in enumerate(DUTIES_2, 1)],
            "三、能力要求",
            "能力\t要求等级\t等级说明",
            "电商运营能力\t★★★★☆ 4/5\tEC-OPS level 4",
            "数据分析能力\t★★★☆☆ 3/5\tDATA level 3",
            "四、任职要求",
            "（一）学历要求（必须）",
            "1、大专及以上学历",
            "（二）工作经验要求（必须）",
            "1、3年以上天猫运营经验",
            "（三）技能与工具要求（优先）",
            "1、熟练使用生意参谋、直通车",
            "五、关键绩效指标",
            "KPI\t单位\t目标值\t门槛值\t挑战值\t权重 %\t周期",
            "销售额\t元\t1,200,000\t900,000\t1,500,000\t60\t月度",
            "转化率\t%\t3\t2\t4\t40\t月度",
            "六、签字",
            "编制人（人力资源部）\t批准人\t员工确认",
            "日期\t日期\t日期",
            "员工签字即确认",
        ],
    )
    head, foot = _header_footer_text(data)
    assert "中山市纳迪服饰有限公司" in head and "EC-LEAD-V1" in head and "草稿" not in head + text
    assert "生效日期：2026年1月1日" in foot and re.search(r"第\s*1\s*页", foot)
    properties = Document(io.BytesIO(data)).core_properties
    assert properties.title == "电商运营主管 · EC-LEAD-V1" and properties.language == "zh-CN"


def test_english_labels_with_content_as_typed(login, shop):
    client = login("hr")
    response = client.get(f"/documents/versions/{shop.version.id}/job-description.docx?lang=en")
    assert response.headers["Content-Disposition"].endswith("EC-LEAD-V1.docx")
    text = extract(response.data)
    assert in_order(
        text,
        [
            "JOB DESCRIPTION",
            "Document no. EC-LEAD-V1 · Version 1",
            "Basic information:",
            "Position title:\t电商运营主管",
            "Direct superior:\t电商部经理 (EC-MGR)",
            "Working conditions:\t需配合大促期间轮班。",
            "Headcount:\t2",
            "Purpose: 负责天猫旗舰店的整体运营。",
            "Duties:",
            "A. 店铺运营",
            "1. " + DUTIES_1[0],
            "Performance evaluation:",
            "No.\tFrequency\tStandard or deadline\tWeight",
            "1\tMonthly\t—\t30%",
            "B. 客户服务",
            "Competencies:",
            "Requirements:",
            "Education requirements (required):",
            "Skills and tools requirements (preferred):",
            "Key performance indicators:",
            "Signatures:",
            "Prepared by (HR)\tApproved by\tEmployee acknowledgement",
        ],
    )
    assert "Page" in _header_footer_text(response.data)[1]
    # the language defaults to the user's, as the PDF's
    text = extract(
        _get_docx(login("hr", locale="zh_CN"), f"/documents/versions/{shop.version.id}/job-description.docx")
    )
    assert "一、基本信息" in text


def test_a_draft_and_a_superseded_version_carry_their_mark_on_every_page(login, ctx, shop):
    draft = new_draft(shop.lead, jd_content(shop, duties_1=["新增：每周复盘直通车投放"]))
    hr = login("hr")
    head, foot = _header_footer_text(_get_docx(hr, f"/documents/versions/{draft.id}/job-description.docx?lang=zh_CN"))
    assert "DRAFT / 草稿" in head and "EC-LEAD-V2" in head and "草稿，尚未生效" in foot
    text = extract(_docx(draft.id, "en"))
    assert "Document no. EC-LEAD-V2 · Version 2 · Draft" in text
    jobs.discard_draft(draft)
    db.session.commit()
    newer = factories.publish_jd(shop.lead, jd_content(shop), effective=date(2026, 6, 1))  # supersedes version 1
    old = jobs.get_version(shop.version.id)
    assert old.status == Status.SUPERSEDED.value
    head, foot = _header_footer_text(_docx(old.id, "zh_CN"))
    assert "SUPERSEDED / 已废止" in head and "已废止" in foot
    head, _foot = _header_footer_text(_docx(newer.id, "zh_CN"))
    assert "DRAFT" not in head and "SUPERSEDED" not in head


def test_numbers_are_text_not_word_numbering_and_chinese_has_an_east_asian_font(ctx, shop):
    data = _docx(shop.version.id, "zh_CN")
    body, styles = _xml(data, "word/document.xml"), _xml(data, "word/styles.xml")
    assert "<w:numPr>" not in body
    assert {p.style.name for p in Document(io.BytesIO(data)).paragraphs} <= {
        "Normal",
        "Title",
        "Heading 1",
        "Heading 2",
    }
    assert 'w:eastAsia="Microsoft YaHei"' in styles and "eastAsiaTheme" not in styles.split("</w:docDefaults>")[0]
    assert '<w:lang w:val="zh-CN" w:eastAsia="zh-CN"' in styles
    settings = _xml(data, "word/settings.xml")  # Chinese theme language; Word opens it without "compatibility mode"
    assert 'w:eastAsia="zh-CN"' in settings and re.search(r'w:name="compatibilityMode"[^>]*w:val="15"', settings)
    # the header table repeats no row, the KPI table repeats its header row on every page
    document = Document(io.BytesIO(data))
    kpi_table = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    assert kpi_table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None


# The order of child elements the schema prescribes (WordprocessingML, ECMA-376 part 1, 17.4.82,
# 17.4.70, 17.3.2.28, 17.3.1.26): Word calls a file whose properties come in another order corrupt.
SCHEMA_ORDER = {
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
    "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
}


def test_properties_come_in_the_order_word_requires(ctx, shop):
    from lxml import etree

    for lang in ("zh_CN", "en"):
        data = _docx(new_draft(shop.lead, jd_content(shop)).id if lang == "zh_CN" else shop.version.id, lang)
        checked = 0
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml"):
            root = etree.fromstring(_xml(data, part).encode("utf-8"))
            for tag, order in SCHEMA_ORDER.items():
                names = order.split()
                for element in root.iter(f"{W}{tag}"):
                    kids = [etree.QName(k).localname for k in element if k.tag.startswith(W)]
                    positions = [names.index(k) for k in kids if k in names]
                    assert positions == sorted(positions), (lang, part, tag, kids)
                    checked += 1
        assert checked > 100


def test_user_text_stays_text_no_field_no_formula_and_control_characters_are_dropped(ctx, shop):
    hostile = [
        '=cmd|" /C calc"!A0',
        '{ DDE "c:\\\\windows\\\\system32\\\\cmd.exe" "/c calc" }',
        '<w:fldSimple w:instr="HYPERLINK http://example.com"/>',
        "+SUM(1,2)\tmit Tab",
        "@import \x07bell\x1funit",
    ]
    content = jd_content(shop, duties_1=hostile)
    content["purpose"] = '第一行\x0b带垂直制表符\r\n第二行 { INCLUDEPICTURE "http://example.com/x.png" }'
    draft = new_draft(shop.lead, content)
    for lang in ("zh_CN", "en"):
        data = _docx(draft.id, lang)
        text = extract(data)
        assert in_order(
            text,
            [
                "第一行带垂直制表符",
                "第二行 { INCLUDEPICTURE",
                '=cmd|" /C calc"!A0',
                '{ DDE "c:\\\\windows',
                '<w:fldSimple w:instr="HYPERLINK',
                "+SUM(1,2) mit Tab",
                "@import bellunit",
            ],
        )
        body = _xml(data, "word/document.xml")
        assert "<w:fldSimple" not in body and "<w:instrText" not in body and "<w:fldChar" not in body
        assert "&lt;w:fldSimple" in body  # escaped: text, not markup
        footer = _xml(data, "word/footer1.xml")
        assert re.findall(r"<w:instrText[^>]*>([^<]*)<", footer) == [" PAGE ", " NUMPAGES "]  # only our own fields
    # NUL cannot be stored on PostgreSQL, so it is checked on the writer's own cleaning only
    assert clean("a\x00b\x1fc\ud800d\ufffee\tf\r\ng") == "abcde f\ng"


# --- who may download what (the PDF's rules) -----------------------------------------------------


def test_an_employee_downloads_only_their_own_job_description(app, shop):
    client = app.test_client()
    client.post("/login", data={"email": shop.lead_user.email, "password": factories.PASSWORD})
    assert client.get(f"/documents/versions/{shop.version.id}/job-description.docx").status_code == 200
    assert client.get(f"/documents/versions/{shop.clerk_version.id}/job-description.docx").status_code == 404
    draft = new_draft(shop.lead, jd_content(shop))
    assert client.get(f"/documents/versions/{draft.id}/job-description.docx").status_code == 404
    assert client.get("/documents/versions/999999/job-description.docx").status_code == 404


def test_a_manager_downloads_their_subtree_only_and_anonymous_users_log_in(app, shop):
    anonymous = app.test_client().get(f"/documents/versions/{shop.version.id}/job-description.docx")
    assert anonymous.status_code in (302, 401) and "/login" in anonymous.headers.get("Location", "/login")
    client = app.test_client()
    client.post("/login", data={"email": shop.manager_user.email, "password": factories.PASSWORD})
    draft = new_draft(shop.lead, jd_content(shop))
    assert client.get(f"/documents/versions/{shop.version.id}/job-description.docx").status_code == 200
    assert client.get(f"/documents/versions/{draft.id}/job-description.docx").status_code == 200
    assert client.get(f"/documents/versions/{shop.clerk_version.id}/job-description.docx").status_code == 404


def test_the_api_follows_the_pdf_routes(app, login, ctx, shop):
    hr = login("hr")
    url = f"/api/v1/positions/{shop.lead.id}/job-description.docx"
    assert "直接上级：\t电商部经理（EC-MGR）" in extract(_get_docx(hr, url + "?lang=zh_CN"))  # the version in force
    draft = new_draft(shop.lead, jd_content(shop, duties_1=["新增：每周复盘直通车投放"]))
    assert "新增：每周复盘直通车投放" in extract(_get_docx(hr, f"{url}?version={draft.id}&lang=en"))
    assert hr.get(f"{url}?version={shop.clerk_version.id}").status_code == 404  # not this position's
    bad = hr.get(f"{url}?lang=fr")
    assert bad.status_code == 422 and "lang" in bad.get_data(as_text=True)
    assert hr.get(f"/api/v1/positions/{shop.staff.id}/job-description.docx").status_code == 404  # none in force
    employee = app.test_client()
    employee.post("/login", data={"email": shop.lead_user.email, "password": factories.PASSWORD})
    assert employee.get(url).status_code == 200
    assert employee.get(f"{url}?version={draft.id}").status_code == 404
    assert employee.get(f"/api/v1/positions/{shop.clerk.id}/job-description.docx").status_code == 404


def test_the_position_link_gives_the_version_in_force(app, login, ctx, shop):
    hr = login("hr")
    new_draft(shop.lead, jd_content(shop, duties_1=["新增：每周复盘直通车投放"]))
    text = extract(_get_docx(hr, f"/documents/positions/{shop.lead.id}/job-description.docx?lang=zh_CN"))
    assert (
        "EC-LEAD-V1" in _header_footer_text(hr.get(f"/documents/positions/{shop.lead.id}/job-description.docx").data)[0]
        and "新增" not in text
    )
    none = hr.get(f"/documents/positions/{shop.staff.id}/job-description.docx")
    assert none.status_code == 302 and none.headers["Location"].endswith(f"/jobs/positions/{shop.staff.id}")
    page = hr.get(f"/org/positions/{shop.lead.id}").get_data(as_text=True)
    assert f"/documents/positions/{shop.lead.id}/job-description.docx" in page
    employee = app.test_client()
    employee.post("/login", data={"email": shop.lead_user.email, "password": factories.PASSWORD})
    assert employee.get(f"/documents/positions/{shop.clerk.id}/job-description.docx").status_code == 404


def test_the_word_button_sits_beside_the_pdf_button(login, shop):
    hr = login("hr", locale="zh_CN")
    for url in (f"/jobs/versions/{shop.version.id}", f"/jobs/positions/{shop.lead.id}"):
        page = hr.get(url).get_data(as_text=True)
        assert 'data-testid="jd-pdf"' in page and 'data-testid="jd-docx"' in page, url
        assert page.index('data-testid="jd-pdf"') < page.index('data-testid="jd-docx"')
        assert f"/documents/versions/{shop.version.id}/job-description.docx?lang=zh_CN" in page
        assert f"/documents/versions/{shop.version.id}/job-description.docx?lang=en" in page


# --- uploaded again: the same structure comes back ------------------------------------------------
# Through the upload path of the import page and the parse API (``uploads``: the .docx reader of
# ``app.jobs.files``, then the importer, which reads RoleBook's own layout exactly: ``app.jobs.exported``).


def _upload(data: bytes, title: str = "电商运营主管", name: str = "EC-LEAD-V1.docx"):
    return import_file(name, data, title)[0]


def _expected(version_id: int) -> dict:
    """The version's content as an import gives it back: requirements required first, as the
    document (and the PDF) lists them. The document does not carry the duties' links to the
    department's functions (a draft made from it starts without them)."""
    content = without_links(version_content(jobs.get_version(version_id), with_ids=False))
    content["requirements"] = [r for r in content["requirements"] if r["required"]] + [
        r for r in content["requirements"] if not r["required"]
    ]
    return content


def _rich_content(shop):
    content = jd_content(shop)
    content["purpose"] = "负责天猫旗舰店的整体运营。\n带领运营组完成年度销售目标。"
    content["authority"] = "审核店铺活动方案。\nApprove refunds up to 2,000 yuan"
    content["sections"].append(
        {
            "id": None,
            "heading": "Reporting",
            "duties": [
                {
                    "id": None,
                    "text": "Prepare the weekly sales report; growth of 2.5% is reported as such.",
                    "frequency": "weekly",
                    "standard": "每周一10:00前",
                    "weight": 12.5,
                },
                {"id": None, "text": "按月汇总1、2号店的退货数据", "frequency": None, "standard": "", "weight": None},
                {
                    "id": None,
                    "text": "Audit the store twice a year",
                    "frequency": "as_needed",
                    "standard": "",
                    "weight": 0.5,
                },
            ],
        }
    )
    content["requirements"].insert(0, {"id": None, "kind": "language", "text": "英语四级及以上", "required": False})
    focus = factories.create_competency("CUST", "客户导向", levels=["能主动了解客户需求，并据此改进服务流程"] * 5)
    content["competencies"].append({"id": None, "competency_id": focus.id, "level": 1})
    returns = factories.create_kpi("RET", "Return rate (online)", unit="%", direction="lower")
    content["kpis"].append(
        {
            "id": None,
            "kpi_id": returns.id,
            "target": 2.75,
            "threshold": 4,
            "stretch": 1.5,
            "weight": 0,
            "period": "quarterly",
            "note": "天猫店 (flagship)",
        }
    )
    return content


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_uploaded_again_the_document_gives_back_the_same_structure_exactly(ctx, shop, lang):
    """Title, header fields, purpose, authority, management responsibility, working conditions,
    duty sections with frequency/deadline/weight, typed required/preferred requirements,
    competencies with levels and KPI targets matched to the libraries: all as the version has them."""
    draft = new_draft(shop.lead, _rich_content(shop))
    data = _docx(draft.id, lang)
    imported = _upload(data)
    assert imported.content == _expected(draft.id)
    assert imported.title == "电商运营主管"
    assert imported.fields == {
        "purpose": "负责天猫旗舰店的整体运营。\n带领运营组完成年度销售目标。",
        "department": "运营组",
        "reports_to": "电商部经理（EC-MGR）" if lang == "zh_CN" else "电商部经理 (EC-MGR)",
        "direct_reports": ["运营专员"],
        "headcount": 2,
    }
    assert imported.other == [] and len(imported.warnings) == 1 and "RoleBook" in imported.warnings[0]
    # the same document uploaded into another position keeps that position's title, with a warning
    elsewhere = _upload(data, title="运营专员")
    assert elsewhere.content["title"] == "运营专员" and "电商运营主管" in elsewhere.warnings[0]
    # the parse API reads the same file with the general parser: its title, fields and duty sections
    result = parse_file("EC-LEAD-V1.docx", data)[0]
    assert result["title"] == "电商运营主管" and result["fields"]["department"] == "运营组"
    assert [s["heading"] for s in result["sections"] if s["kind"] == "duties"] == ["店铺运营", "客户服务", "Reporting"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("unnamed", [False, True])
def test_uploaded_again_long_unpunctuated_lines_and_missing_parts_change_nothing(ctx, shop, lang, unnamed):
    """Long lines without final punctuation, empty parts (no KPIs, no competencies, no management
    responsibility), a single unnamed duty section: the same content comes back."""
    long_duty = "负责店铺日常运营数据的统计与分析并按周向部门经理汇报结果"
    content = jd_content(shop, duties_1=[long_duty, "Coordinate the weekly promotion calendar with the design team"])
    content["sections"][0]["duties"][0].update(frequency="weekly", weight=40)
    content["sections"][1]["duties"][-1]["text"] = "处理售后退换货申请并跟进每一笔退款直到客户确认收到款项为止"
    if unnamed:
        content["sections"] = [{**content["sections"][0], "heading": ""}]
    content["purpose"] = "负责天猫旗舰店的整体运营\n带领运营组完成年度销售目标并对店铺的整体业绩结果负责"
    content["requirements"] = [
        {
            "id": None,
            "kind": "skills",
            "required": True,
            "text": "熟练使用生意参谋、直通车等数据工具并能独立完成店铺的月度经营分析报告",
        },
        {
            "id": None,
            "kind": "other",
            "required": False,
            "text": "Experience with cross-border marketplaces and their advertising tools",
        },
    ]
    content["kpis"], content["competencies"], content["management_responsibility"] = [], [], ""
    content["working_conditions"] = ""
    draft = new_draft(shop.lead, content)
    assert _upload(_docx(draft.id, lang)).content == _expected(draft.id)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_kpi_figures_of_18_digits_come_back_from_word_digit_for_digit(login, ctx, shop, lang):
    """Every digit a KPI figure can hold (14 before the point, 4 after) comes back from the Word
    file: through the import page's reading and through a batch import's preview, which is kept as
    JSON between the upload and the confirmation (a float would keep 15 or 16 of the 18)."""
    figures = {"target": "12345678901234.5678", "threshold": "0.0001", "stretch": "99999999999999.9999"}
    content = jd_content(shop)
    content["kpis"][0].update(figures, weight="33.33")
    content["kpis"][1].update(weight="66.67")
    published = factories.publish_jd(shop.lead, content)
    data = _docx(published.id, lang)
    imported = _upload(data)
    assert {key: imported.content["kpis"][0][key] for key in figures} == {k: Decimal(v) for k, v in figures.items()}
    assert [k["weight"] for k in imported.content["kpis"]] == [Decimal("33.33"), Decimal("66.67")]
    hr = login("hr")
    response = hr.post(
        "/jobs/bulk-import",
        content_type="multipart/form-data",
        data={"files": [(io.BytesIO(data), "电商运营主管.docx")], "department_id": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    token = response.headers["Location"].rsplit("/", 1)[1]
    response = hr.post(f"/jobs/bulk-import/{token}", data={"action": "create", "department_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    draft = jobs.open_version(shop.lead.id)
    assert draft is not None and draft.id != published.id
    stored = {key: getattr(draft.kpi_targets[0], key) for key in figures}
    assert stored == {k: Decimal(v) for k, v in figures.items()}
    assert [t.weight for t in draft.kpi_targets] == [Decimal("33.33"), Decimal("66.67")]


@pytest.mark.parametrize("typed", ["1E+9999999", "NaN", "Infinity", "1.2e6", "１２"])
def test_a_figure_typed_in_word_as_no_plain_number_is_named_not_read(ctx, shop, typed):
    """The export writes plain digits; anything else typed into a KPI cell in Word (an exponent,
    NaN, full-width digits) is named in a warning and left empty, never read as something else."""
    published = factories.publish_jd(shop.lead, jd_content(shop))
    text = extract(_docx(published.id, "zh_CN"))
    assert "1,200,000" in text
    imported = import_text(text.replace("1,200,000", typed, 1), "电商运营主管")
    assert imported.content["kpis"][0]["target"] is None
    assert any(f"“{typed}”" in warning for warning in imported.warnings)
    json.dumps(imported.content, default=json_number)  # what a batch import keeps between its steps


def _edit_in_word(data: bytes, lang: str) -> bytes:
    """What a user does in Word: rewords a duty, adds a duty and its details row, changes a
    weight, adds a KPI row, deletes a requirement."""
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    reworded = next(p for p in paragraphs if p.text.endswith(DUTIES_1[1]))
    reworded.runs[-1].text = "每日检查店铺流量和转化率，异常时当日上报"
    last = next(p for p in paragraphs if p.text.endswith(DUTIES_1[2]))
    added = copy.deepcopy(last._p)
    last._p.addnext(added)
    runs = added.findall(f"{W}r")
    runs[0].find(f"{W}t").text, runs[-1].find(f"{W}t").text = "4、" if lang == "zh_CN" else "4. ", "每周复盘直通车投放"
    details = next(t for t in document.tables if t.rows[0].cells[0].text in ("序号", "No."))
    row = details.add_row()
    for cell, value in zip(
        row.cells,
        ["4", details.rows[1].cells[1].text.replace("月度", "每周").replace("Monthly", "Weekly"), "周一12:00前", "15%"],
    ):
        cell.text = value
    details.rows[1].cells[3].text = "25%"
    kpis = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI")
    row = kpis.add_row()
    for cell, value in zip(
        row.cells,
        [
            kpis.rows[1].cells[0].text,
            "元",
            "1,300,000.5",
            "—",
            "—",
            "0",
            kpis.rows[1].cells[6].text.replace("月度", "季度").replace("Monthly", "Quarterly"),
        ],
    ):
        cell.text = value
    dropped = next(p for p in paragraphs if p.text.endswith(REQUIREMENTS[1][1]))
    dropped._p.getparent().remove(dropped._p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_what_the_user_changed_in_word_is_what_comes_back(ctx, shop, lang):
    expected = _expected(shop.version.id)
    duties = expected["sections"][0]["duties"]
    duties[0]["weight"] = 25.0
    duties[1]["text"] = "每日检查店铺流量和转化率，异常时当日上报"
    duties.append(
        {"id": None, "text": "每周复盘直通车投放", "frequency": "weekly", "standard": "周一12:00前", "weight": 15.0}
    )
    expected["requirements"] = [r for r in expected["requirements"] if r["text"] != REQUIREMENTS[1][1]]
    expected["kpis"].append(
        {
            **expected["kpis"][0],
            "target": 1300000.5,
            "threshold": None,
            "stretch": None,
            "weight": 0.0,
            "period": "quarterly",
        }
    )
    imported = _upload(_edit_in_word(_docx(shop.version.id, lang), lang))
    assert imported.content == expected


def test_a_document_reshaped_beyond_the_layout_goes_to_the_parser_and_its_text_still_wins(ctx, shop):
    """A free paragraph among the duties has no place in the export's layout: the general parser
    reads the document (details tables are not read then), and the user's text comes back."""
    document = Document(io.BytesIO(_docx(shop.version.id, "zh_CN")))
    first = next(p for p in document.paragraphs if p.text.endswith(DUTIES_1[0]))
    first.insert_paragraph_before("以下职责自2027年起执行。")
    out = io.BytesIO()
    document.save(out)
    imported = _upload(out.getvalue())
    assert not any("RoleBook" in w for w in imported.warnings)
    texts = [d["text"] for s in imported.content["sections"] for d in s["duties"]]
    assert all(d in texts for d in DUTIES_1 + DUTIES_2)


@pytest.mark.parametrize("unknown", ["competency", "kpi", "cell"])
def test_rows_that_match_nothing_are_named_in_a_warning(ctx, shop, unknown):
    document = Document(io.BytesIO(_docx(shop.version.id, "en")))
    if unknown == "competency":
        table, cell, value = next(t for t in document.tables if t.rows[0].cells[0].text == "Competency"), 0, "Charisma"
    elif unknown == "kpi":
        table, cell, value = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI"), 0, "Happiness"
    else:
        table, cell, value = next(t for t in document.tables if t.rows[0].cells[0].text == "KPI"), 2, "lots"
    table.rows[1].cells[cell].text = value
    out = io.BytesIO()
    document.save(out)
    imported = _upload(out.getvalue())
    expected = _expected(shop.version.id)
    if unknown == "competency":
        expected["competencies"].pop(0)
    elif unknown == "kpi":
        expected["kpis"].pop(0)
    else:
        expected["kpis"][0]["target"] = None
    assert imported.content == expected
    assert any(value in w for w in imported.warnings), imported.warnings


def _form_values(page: str) -> MultiDict:
    """What the browser sends from the editor form of a page."""
    form = next(f for f in lxml.html.fromstring(page).forms if f.get("id") == "jd-editor")
    return MultiDict(form.form_values())


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_uploaded_on_the_import_page_and_confirmed_the_draft_equals_the_version(ctx, login, shop, lang):
    source = new_draft(shop.lead, _rich_content(shop))
    data = _docx(source.id, lang)
    expected = _expected(source.id)
    jobs.discard_draft(source)
    db.session.commit()
    hr = login("hr")
    url = f"/jobs/positions/{shop.lead.id}/import"
    preview = hr.post(
        url + "?step=upload", data={"file": (io.BytesIO(data), "EC-LEAD-V2.docx")}, content_type="multipart/form-data"
    )
    assert preview.status_code == 200, preview.get_data(as_text=True)[:500]
    response = hr.post(url, data=_form_values(preview.get_data(as_text=True)))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    draft = jobs.open_version(shop.lead.id)
    assert draft.status == Status.DRAFT.value and draft.events[0].action == "imported"  # the discarded one is gone
    assert _expected(draft.id) == expected


def test_a_bulk_import_of_the_english_document_finds_its_position_and_creates_the_same_draft(ctx, login, shop):
    content = _rich_content(shop)
    content["kpis"] = content["kpis"][-1:]
    source = new_draft(shop.lead, content)
    data = _docx(source.id, "en")
    expected = _expected(source.id)
    jobs.discard_draft(source)
    db.session.commit()
    hr = login("hr")
    response = hr.post(
        "/jobs/bulk-import",
        content_type="multipart/form-data",
        data={"files": [(io.BytesIO(data), "job description.docx")], "department_id": str(shop.ops.id)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    page = hr.get(response.headers["Location"]).get_data(as_text=True)
    row = page.split('data-testid="bulk-row"')[1]
    assert "电商运营主管" in row and "No match" not in row
    counts = [sum(len(s["duties"]) for s in expected["sections"]), len(expected["requirements"]), len(expected["kpis"])]
    assert "".join(f'<td class="text-end">{n}</td>' for n in counts) in row  # duties, requirements, KPI targets
    token = response.headers["Location"].rsplit("/", 1)[1]
    response = hr.post(f"/jobs/bulk-import/{token}", data={"action": "create"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert _expected(jobs.open_version(shop.lead.id).id) == expected


# --- opened by a real LibreOffice ----------------------------------------------------------------


def _to_pdf(tmp_path: Path, sources: list[Path]) -> Path:
    program = shutil.which("soffice")
    assert program, "LibreOffice Writer is missing: `make test` installs libreoffice-writer-nogui"
    out = tmp_path / "out"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out


def test_libreoffice_opens_both_languages_with_chinese_fonts(ctx, shop, tmp_path):
    draft = new_draft(shop.lead, jd_content(shop, duties_1=DUTIES_1 * 6))  # two pages and more
    sources = []
    for lang in ("zh_CN", "en"):
        source = tmp_path / f"{lang}.docx"
        source.write_bytes(_docx(draft.id, lang))
        sources.append(source)
    out = _to_pdf(tmp_path, sources)
    zh, en = (out / "zh_CN.pdf").read_bytes(), (out / "en.pdf").read_bytes()
    pages = pages_text(zh)
    text = "".join(pages)
    assert len(pages) >= 2
    assert in_order(
        text,
        [
            "岗位说明书",
            "电商运营主管",
            "一、基本信息",
            "职务名称：",
            "二、工作职责",
            "（一）店铺运营",
            *DUTIES_1,
            "（二）客户服务",
            *DUTIES_2,
            "三、能力要求",
            "电商运营能力",
            "四、任职要求",
            *[r[1] for r in REQUIREMENTS],
            "五、关键绩效指标",
            "销售额",
            "1,200,000",
            "六、签字",
        ],
    )
    for number, page in enumerate(pages, start=1):  # the header and footer of every page
        flat = squeeze(page)
        assert "DRAFT/草稿" in flat and "EC-LEAD-V2" in flat and "中山市纳迪服饰有限公司" in flat
        assert f"第{number}页/共{len(pages)}页" in flat and "草稿，尚未生效" in flat
    found = fonts(zh)
    assert found and all(font["embedded"] for font in found)
    assert any(re.search(r"Noto-?Sans-?CJK", font["name"]) for font in found), found
    english = "".join(pages_text(en))
    assert in_order(
        english,
        [
            "JOB DESCRIPTION",
            "Basic information:",
            "Position title:",
            "Duties:",
            "A. 店铺运营",
            *DUTIES_1,
            "Competencies:",
            "Requirements:",
            "Education requirements (required):",
            "Key performance indicators:",
            "Signatures:",
            "Prepared by (HR)",
        ],
    )
    assert "Page1of" in squeeze(english) and "DRAFT/草稿" in squeeze(english)
    assert any(re.search(r"Noto-?Sans-?CJK", font["name"]) for font in fonts(en))
