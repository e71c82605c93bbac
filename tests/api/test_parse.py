"""POST /api/v1/job-descriptions/parse: the parser's result in exactly the documented shape,
for HR and admins, with its warnings in the user's language."""

from __future__ import annotations

import pytest

from app.jobs.parser import MAX_CHARS
from tests.api.conftest import assert_error

DOCUMENT = """职务名称:运营专员
直接上级:运营主管
直接下级:无
所属部门:电商部
编制:2人
本文档共3页 下载本文档
岗位职责:
1、负责店铺日常运营；
2、负责活动策划,
4、负责数据分析。
任职资格:
1、大专以上学历;
2、2年以上电商运营经验。
"""


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_parse_answers_exactly_the_documented_shape(api, role):
    response = api(role).post("/api/v1/job-descriptions/parse", json={"text": DOCUMENT})
    assert response.status_code == 200, response.json
    body = response.json
    assert set(body) == {"title", "fields", "sections", "duties", "requirements", "warnings"}
    assert body["title"] == "运营专员"
    assert body["fields"] == {
        "reports_to": "运营主管",
        "direct_reports": [],
        "department": "电商部",
        "headcount": 2,
        "purpose": None,
    }
    assert body["duties"] == ["负责店铺日常运营", "负责活动策划", "负责数据分析。"]
    assert body["requirements"] == ["大专以上学历", "2年以上电商运营经验。"]
    assert [(s["heading"], s["kind"]) for s in body["sections"]] == [
        ("岗位职责", "duties"),
        ("任职资格", "requirements"),
    ]
    assert all(set(s) == {"heading", "kind", "items"} for s in body["sections"])
    assert body["warnings"] == [
        "Ignored 1 line that looks like web-page noise (download banners, view counters).",
        "Item numbering jumps from 2 to 4 in section “岗位职责”: check for a missing item.",
    ]


def test_a_table_form_document_gives_its_purpose_in_the_fields(api):
    table = (
        "客服主管岗位说明书\n\n岗位名称\t客服主管\t所属部门\t电商部\n岗位目的\t带领客服团队提升顾客满意度。\n"
        "工作职责\t1、制定排班表；\n\t2、处理升级投诉。\n任职资格\t学历\t大专及以上\n\n"
    )
    body = api("hr").post("/api/v1/job-descriptions/parse", json={"text": table}).json
    assert body["title"] == "客服主管"
    assert body["fields"]["purpose"] == "带领客服团队提升顾客满意度。" and body["fields"]["department"] == "电商部"
    assert body["duties"] == ["制定排班表", "处理升级投诉。"] and body["requirements"] == ["学历：大专及以上"]
    spec = api("hr").get("/api/v1/openapi.json").json["components"]["schemas"]["ParsedFieldsOut"]["properties"]
    assert spec["purpose"]["type"] == "string" and spec["purpose"]["nullable"] is True


def test_parse_warnings_are_translated(api):
    body = api("hr", locale="zh_CN").post("/api/v1/job-descriptions/parse", json={"text": DOCUMENT}).json
    assert body["warnings"] == [
        "已忽略 1 行网页杂讯（下载提示、浏览计数等）。",
        "“岗位职责”中的编号从 2 跳到 4：请检查是否漏了条目。",
    ]


def test_every_parser_message_has_a_translation():
    from app.core.messages import _TEMPLATES
    from app.jobs import parser

    messages = {value for name, value in vars(parser).items() if name.startswith(("WARN_", "ERR_"))}
    assert messages <= {template for template, _translate in _TEMPLATES}


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({"text": 42}, "text"),
        ({"text": None}, "text"),
        ({"text": ["a"]}, "text"),
        ({}, "text"),
        ({"text": "x", "extra": 1}, "extra"),
    ],
)
def test_bad_text_is_a_4xx_json_error(api, payload, field):
    assert_error(api("hr").post("/api/v1/job-descriptions/parse", json=payload), 422, field)


def test_oversized_text_is_refused(api):
    client = api("hr", locale="zh_CN")
    body = assert_error(
        client.post("/api/v1/job-descriptions/parse", json={"text": "职" * (MAX_CHARS + 1)}), 422, "text"
    )
    assert body["errors"]["text"] == ["岗位说明书过长（200001 个字符，上限为 200000）。"]
    assert (
        client.post(
            "/api/v1/job-descriptions/parse", json={"text": "岗位职责:\n1、负责" + "运" * (MAX_CHARS - 10)}
        ).status_code
        == 200
    )


def test_a_huge_body_is_refused_before_it_is_read(api):
    response = api("hr").post(
        "/api/v1/job-descriptions/parse", data=b'{"text": "' + b"a" * 1_300_000 + b'"}', content_type="application/json"
    )
    assert_error(response, 413)


def test_parse_needs_hr_or_admin(api, client):
    assert_error(client.post("/api/v1/job-descriptions/parse", json={"text": "x"}), 401)
    for role in ("manager", "employee"):
        assert_error(api(role).post("/api/v1/job-descriptions/parse", json={"text": "x"}), 403)
