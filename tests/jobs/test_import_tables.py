"""The importer on table-form and purpose-bearing documents: the purpose and the working
conditions go to their own fields of the content, salary and how-to-apply text to "other"."""

from __future__ import annotations

from app.jobs.text_to_content import import_text

TABLE = (
    "客服主管岗位说明书\n\n岗位名称\t客服主管\t所属部门\t电商部\n岗位目的\t带领客服团队提升顾客满意度。\n"
    "工作职责\t1、每日抽查聊天记录；\n\t2、每周汇总咨询量。\n任职资格\t学历\t大专及以上\n\t经验\t两年以上客服经验\n"
    "\t技能\t熟练使用Excel\n工作条件\t室内办公，需轮值晚班\n薪资福利\t底薪+绩效\n\n"
)


def test_a_table_form_document_becomes_content_with_purpose_and_conditions(shop, app):
    with app.test_request_context():
        imported = import_text(TABLE, "客服主管")
    content = imported.content
    assert imported.title == "客服主管" and imported.fields["department"] == "电商部"
    assert content["purpose"] == "带领客服团队提升顾客满意度。"
    assert content["working_conditions"] == "室内办公，需轮值晚班"
    assert [(d["text"], d["frequency"]) for s in content["sections"] for d in s["duties"]] == [
        ("每日抽查聊天记录", "daily"),
        ("每周汇总咨询量。", "weekly"),
    ]
    assert [(r["kind"], r["text"]) for r in content["requirements"]] == [
        ("education", "学历：大专及以上"),
        ("experience", "经验：两年以上客服经验"),
        ("skills", "技能：熟练使用Excel"),
    ]
    assert {"heading": "薪资福利", "items": ["底薪+绩效"]} in imported.other


def test_a_document_without_purpose_leaves_it_empty(shop, app):
    with app.test_request_context():
        imported = import_text("岗位职责：\n1、负责客服。", "客服")
    assert imported.content["purpose"] == "" and imported.content["working_conditions"] == ""


def test_the_import_preview_shows_the_purpose_and_the_other_sections(shop, login):
    hr = login("hr")
    text = (
        "职位概述\n负责售前咨询与下单转化。\n岗位职责：\n1、接待买家咨询。\n薪资待遇：底薪3500元+提成\n"
        "应聘方式：请将简历发送至 hr@example.com"
    )
    response = hr.post(f"/jobs/positions/{shop.agent.id}/import", data={"step": "paste", "text": text})
    page = response.get_data(as_text=True)
    assert "负责售前咨询与下单转化。" in page
    assert "底薪3500元+提成" in page and "hr@example.com" in page
