"""Fixtures of the document tests: a small department with a published job description whose
every part is filled in, its holders, and helpers that read PDFs the way a person would check
them (pdftotext, pdffonts from poppler-utils; pypdf)."""

from __future__ import annotations

import io
import re
import subprocess
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from app.documents import cache
from app.extensions import db
from app.jobs import services as jobs
from tests import factories

DUTIES_1 = ["制定店铺月度销售计划并分解到人", "每日检查店铺流量、转化率和客单价", "组织618、双11等大促活动"]
DUTIES_2 = ["Reply to every customer complaint within 24 hours", "处理售后退换货申请"]
REQUIREMENTS = [
    ("education", "大专及以上学历", True),
    ("experience", "3年以上天猫运营经验", True),
    ("skills", "熟练使用生意参谋、直通车", False),
]


@pytest.fixture(autouse=True)
def _empty_cache(data_app):
    with data_app.app_context():
        cache.clear()
    yield


def jd_content(shop, title="电商运营主管", duties_1=DUTIES_1, duties_2=DUTIES_2):
    content = factories.jd_content(
        title,
        duties=duties_1,
        requirements=REQUIREMENTS,
        heading="店铺运营",
        kpis=[(shop.sales, 1200000, 60, "monthly", 900000, 1500000), (shop.conversion, 3, 40, "monthly", 2, 4)],
        competencies=[(shop.operations, 4), (shop.data, 3)],
        purpose="负责天猫旗舰店的整体运营。",
        authority="审核店铺活动方案。",
        working_conditions="需配合大促期间轮班。",
    )
    content["management_responsibility"] = "对运营组的工作结果负责。"
    first = content["sections"][0]["duties"]
    first[0].update(frequency="monthly", weight=30)
    if len(first) > 1:
        first[1].update(frequency="daily", standard="每日10点前")
    content["sections"].append(
        {
            "id": None,
            "heading": "客户服务",
            "duties": [
                {"id": None, "text": text, "frequency": None, "standard": "", "weight": None} for text in duties_2
            ],
        }
    )
    return content


@pytest.fixture
def shop(ctx):
    """电商部 (EC) with 运营组 (EC-OPS) below it, 财务部 (FIN) beside it:

    EC-MGR 电商部经理 (王强, account ``manager_user``)
      └ EC-LEAD 电商运营主管 (published job description, 李娜, account ``lead_user``)
          └ EC-STAFF 运营专员 (no job description)
    FIN-ACC 会计 (published job description, account ``other_manager`` holds FIN-MGR)
    """
    ec = factories.create_department("EC", "电商部")
    ops = factories.create_department("EC-OPS", "运营组", parent=ec)
    fin = factories.create_department("FIN", "财务部")
    boss = factories.create_position("EC-MGR", ec, "电商部经理", grade="M3")
    lead = factories.create_position("EC-LEAD", ops, "电商运营主管", reports_to=boss, grade="P5", headcount=2)
    staff = factories.create_position("EC-STAFF", ops, "运营专员", reports_to=lead, headcount=3)
    fin_mgr = factories.create_position("FIN-MGR", fin, "财务经理")
    clerk = factories.create_position("FIN-ACC", fin, "会计", reports_to=fin_mgr)
    manager_user, lead_user, other_manager = (
        factories.create_user("manager"),
        factories.create_user("employee"),
        factories.create_user("manager"),
    )
    factories.create_employee("E1", "王强", position=boss, user=manager_user)
    factories.create_employee("E2", "李娜", position=lead, user=lead_user)
    factories.create_employee("E3", "陈静", position=fin_mgr, user=other_manager)
    shop = SimpleNamespace(
        ec=ec,
        ops=ops,
        fin=fin,
        boss=boss,
        lead=lead,
        staff=staff,
        fin_mgr=fin_mgr,
        clerk=clerk,
        manager_user=manager_user,
        lead_user=lead_user,
        other_manager=other_manager,
    )
    shop.sales = factories.create_kpi("SALES", "销售额", unit="元")
    shop.conversion = factories.create_kpi("CONV", "转化率", unit="%")
    shop.operations = factories.create_competency("EC-OPS", "电商运营能力")
    shop.data = factories.create_competency("DATA", "数据分析能力")
    shop.version = factories.publish_jd(lead, jd_content(shop))
    shop.clerk_version = factories.publish_jd(clerk, factories.jd_content("会计", duties=["编制记账凭证"]))
    return shop


def new_draft(position, content):
    version = jobs.start_draft(position, None, content=content)
    db.session.commit()
    return version


# --- reading PDFs -------------------------------------------------------------------------------


def pages_text(pdf: bytes, mode: str = "") -> list[str]:
    """The text of each page, as pdftotext extracts it (``mode``: "layout" keeps the columns,
    "raw" the drawing order, which keeps rotated text such as the draft mark together)."""
    command = ["pdftotext", "-enc", "UTF-8"] + ([f"-{mode}"] if mode else []) + ["-", "-"]
    out = subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def squeeze(text: str) -> str:
    """Text without any whitespace (pdftotext spaces CJK and counters unpredictably)."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> list[dict]:
    """pdffonts' table: name, type and whether each font is embedded."""
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "embedded": parts[-5] == "yes"})
    return rows


def in_order(text: str, items) -> bool:
    """Every item occurs in ``text`` (whitespace ignored), each after the previous one."""
    haystack, position = squeeze(text), 0
    for item in items:
        found = haystack.find(squeeze(item), position)
        if found < 0:
            return False
        position = found + len(squeeze(item))
    return True
