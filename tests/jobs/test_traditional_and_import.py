"""Traditional Chinese in the linter and the importer, and the importer keeping the position's title."""

from __future__ import annotations

from app.jobs import lint
from app.jobs.content import clean_content
from app.jobs.text_to_content import guess_frequency, guess_requirement, guess_standard, import_text
from tests.jobs.conftest import good_content
from tests.jobs.test_parser_lists import TRADITIONAL


def test_traditional_discriminatory_requirements_are_flagged_with_the_users_text(shop):
    content = good_content(
        shop, requirements=[("other", "學歷高中以上，年齡18-35歲之間，身體健康", True), ("other", "需有本市戶口", True)]
    )
    findings = {f.rule: f for f in lint.lint_content(clean_content(content))}
    assert {"discrimination-age", "discrimination-health", "discrimination-household"} <= set(findings)
    assert "“年齡”" in findings["discrimination-age"].message
    assert "“身體健康”" in findings["discrimination-health"].message
    assert "“戶口”" in findings["discrimination-household"].message


def test_traditional_duties_get_frequencies_deadlines_and_requirement_kinds():
    assert guess_frequency("每週四提供店鋪產品補貨需求表") == "weekly"
    assert guess_standard("督導客服完成當天所有的定單處理並安排在72小時內發貨") == "72小時內"
    assert guess_requirement("兩年以上網店運營經驗") == ("experience", True)
    assert guess_requirement("大專及以上學歷，有電商經驗者優先") == ("education", False)


def test_an_imported_traditional_charter_becomes_content(shop, app):
    with app.test_request_context():
        imported = import_text(TRADITIONAL, "電商部經理")
    assert imported.content["title"] == "電商部經理" and imported.warnings == []
    assert [d["text"] for s in imported.content["sections"] for d in s["duties"]][
        0
    ] == "負責網店日常維護，優化店鋪與商品排名"
    assert [r["kind"] for r in imported.content["requirements"]] == ["education", "experience", "other"]


def test_the_positions_title_is_kept_and_a_different_one_in_the_text_is_warned_about(shop, app):
    text = "职务名称：客服\n直接上级：电商部经理\n工作职责：\n1,通过阿里旺旺和客户沟通,解答客户提出的各种问题。"
    with app.test_request_context():
        imported = import_text(text, "人事专员")
        same = import_text(text.replace("客服", "人事专员", 1), "人事专员")
        untitled = import_text("工作职责：\n1,解答客户问题。", "人事专员")
    assert imported.content["title"] == "人事专员" and imported.title == "客服"
    assert "客服" in imported.warnings[0] and "人事专员" in imported.warnings[0]
    assert same.warnings == [] and untitled.content["title"] == "人事专员" and untitled.warnings == []


def test_the_import_page_keeps_the_title_and_shows_the_warning(shop, login):
    hr = login("hr")
    text = "职务名称：客服\n工作职责：\n1,通过阿里旺旺和客户沟通,解答客户提出的各种问题。"
    response = hr.post(f"/jobs/positions/{shop.agent.id}/import", data={"step": "paste", "text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{shop.agent.title}"' in page
    assert 'data-testid="import-warning"' in page and "“客服”" in page


def test_a_different_job_title_is_a_translated_warning_not_an_error(shop, login):
    hr = login("hr")
    hr.post("/language", data={"lang": "zh_CN", "next": "/"})
    url = f"/jobs/positions/{shop.agent.id}/import"
    text = (
        "Job title: Customer service\nReports to: E-commerce manager\nResponsibilities:\n1. Answer customer questions."
    )
    response = hr.post(url, data={"step": "paste", "text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "alert-danger" not in page and "is-invalid" not in page
    assert "这段文字是“Customer service”的岗位说明书；草稿保留本岗位的名称“在线客服”" in page
    assert "the draft keeps the position's title" not in page
    # The same title written in Traditional characters is the same title.
    response = hr.post(url, data={"step": "paste", "text": "職務名稱：在線客服\n工作職責：\n1、解答客戶問題。"})
    assert response.status_code == 200 and 'data-testid="import-warning"' not in response.get_data(as_text=True)
