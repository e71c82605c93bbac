"""The parse API on a job description that RoleBook exported as Word: read exactly, as the import
page reads it (``app.jobs.exported``), not by the general parser (which took the competency rows
for requirements)."""

from __future__ import annotations

import io

import pytest
from docx import Document

from app.documents import services as documents
from app.extensions import db
from app.jobs import services as jobs
from app.jobs.files import extract
from app.jobs.parser import parse_job_description
from tests.jobs.conftest import good_content


def _parse(client, data: bytes, name: str = "在线客服.docx"):
    response = client.post(
        "/api/v1/job-descriptions/parse", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.json


def _exported(shop, lang: str) -> bytes:
    content = good_content(
        shop,
        duties=["通过阿里旺旺解答客户咨询", "处理售后问题"],
        requirements=[("education", "高中及以上学历", True), ("skills", "打字每分钟60字以上", False)],
    )
    content["purpose"] = "为网店顾客解答咨询并处理售后问题。"
    content["authority"] = "审批50元以内的补偿"
    version = jobs.start_draft(shop.agent, None, content=content)
    db.session.commit()
    return documents.job_description_docx(version, lang)[1]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_an_exported_docx_is_read_exactly(app, shop, login, lang):
    data = _exported(shop, lang)
    answer = _parse(login("hr"), data)
    assert answer["title"] == "在线客服"
    assert answer["duties"] == ["通过阿里旺旺解答客户咨询", "处理售后问题"]
    assert answer["requirements"] == ["高中及以上学历", "打字每分钟60字以上"]  # no competency or KPI row among them
    assert answer["fields"]["department"] == "电商部" and answer["fields"]["headcount"] == 2
    assert answer["fields"]["purpose"] == "为网店顾客解答咨询并处理售后问题。"
    kinds = {section["kind"]: section for section in answer["sections"]}
    assert kinds["authority"]["items"] == ["审批50元以内的补偿"]
    assert kinds["other"]["items"] == ["客户关系管理能力 ★★★☆☆ 3/5"]  # the competency row, as the table shows it
    assert kinds["other"]["heading"] == ("能力要求" if lang == "zh_CN" else "Competencies")
    assert kinds["kpis"]["items"] == ["销售额 100,000 80,000 120,000 100 " + ("月度" if lang == "zh_CN" else "Monthly")]
    groups = [s["heading"] for s in answer["sections"] if s["kind"] == "requirements"]
    assert len(groups) == 2 and (groups == ["学历要求（必须）", "技能与工具要求（优先）"] or lang == "en")
    assert "RoleBook" in answer["warnings"][0]
    # the general parser, which the API used before, takes the competency row for a requirement
    general = parse_job_description(extract("在线客服.docx", data).text)
    assert "★★★☆☆ 3/5" in general["requirements"] and general["requirements"] != answer["requirements"]


def test_a_reshaped_export_and_other_documents_still_go_to_the_general_parser(app, shop, login):
    document = Document(io.BytesIO(_exported(shop, "zh_CN")))
    first = next(p for p in document.paragraphs if p.text.endswith("通过阿里旺旺解答客户咨询"))
    first.insert_paragraph_before("以下职责自2027年起执行。")
    out = io.BytesIO()
    document.save(out)
    answer = _parse(login("hr"), out.getvalue())
    assert not any("RoleBook" in warning for warning in answer["warnings"])
    assert answer == {
        **parse_job_description(extract("在线客服.docx", out.getvalue()).text),
        "warnings": answer["warnings"],
    }
