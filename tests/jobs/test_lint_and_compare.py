"""The linter's rules and the comparison of versions."""

from __future__ import annotations

from app.jobs import lint
from app.jobs.compare import compare_contents
from app.jobs.content import clean_content
from tests import factories
from tests.jobs.conftest import good_content


def rules(content, version=None):
    return sorted(f.rule for f in lint.lint_content(clean_content(content), version))


def test_a_complete_neutral_description_has_no_findings(shop):
    assert rules(good_content(shop)) == []


def test_discriminatory_requirements_from_the_seeds_are_flagged(shop):
    content = good_content(
        shop,
        requirements=[
            ("other", "学历高中以上,18-35岁之间.身体健康,能适应晚班和轮班", True),
            ("other", "年龄20-26之间，女性优先，未婚", True),
            ("other", "本地户口，五官端正，身高160以上", True),
            ("other", "Male, under 30 years old", True),
            ("education", "大专及以上学历", True),
        ],
    )
    found = rules(content)
    for rule in ("age", "health", "gender", "marital", "household", "appearance"):
        assert f"discrimination-{rule}" in found, rule
    # "能适应晚班和轮班" and "大专及以上学历" alone are fine
    assert (
        rules(
            good_content(
                shop,
                requirements=[("working_conditions", "能适应晚班和轮班", True), ("education", "大专及以上学历", True)],
            )
        )
        == []
    )


def test_findings_say_why_and_how_in_the_users_language(shop, app):
    content = clean_content(good_content(shop, requirements=[("other", "18-35岁之间", True)]))
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        finding = next(f for f in lint.lint_content(content) if f.rule == "discrimination-age")
    assert finding.hint and finding.message and finding.where == "requirements.0"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.hint)  # the hint holds no user text


def test_weights_that_do_not_add_up_and_missing_kpis(shop):
    content = good_content(shop, kpis=[(shop.sales, 100, 60), (shop.complaints, 5, 30)])
    content["sections"][0]["duties"][0]["weight"] = 50
    assert rules(content) == ["duty-weights", "kpi-weights"]
    assert rules(good_content(shop, kpis=[])) == ["no-kpi"]
    # targets of different periods are weighted separately
    assert (
        rules(good_content(shop, kpis=[(shop.sales, 100, 100, "monthly"), (shop.sales, 300, 100, "quarterly")])) == []
    )


def test_duplicates_overlaps_empty_sections_and_long_items(shop):
    factories.publish_jd(
        shop.boss, good_content(shop, title="电商部经理", duties=["负责网店日常维护，优化店铺与商品排名"])
    )
    version = factories.publish_jd(shop.clerk, good_content(shop, title="会计", duties=["负责合同存档"]))
    content = good_content(
        shop, duties=["回复客户咨询", "回复客户咨询。", "负责网店日常维护,优化店铺与商品排名", "x" * 301]
    )
    content["sections"].append({"id": None, "heading": "空的部分", "duties": []})
    from app.jobs import services

    draft = services.start_draft(shop.agent, None, content=content)
    found = sorted(f.rule for f in lint.lint_version(draft))
    assert found == ["duplicate-duty", "empty-section", "long-item", "overlap"]
    # the overlap names the other position of the same department, not the other department's
    overlap = next(f for f in lint.lint_version(draft) if f.rule == "overlap")
    assert "电商部经理" in overlap.message and version.title not in overlap.message


def test_finding_keys_survive_reordering(shop):
    content = good_content(shop, requirements=[("education", "大专", True), ("other", "18-35岁", True)])
    keys = {f.key for f in lint.lint_content(clean_content(content))}
    content["requirements"].reverse()
    assert keys == {f.key for f in lint.lint_content(clean_content(content))}


def test_compare_marks_added_removed_and_changed_items(shop):
    old = clean_content(
        good_content(shop, duties=["回复咨询", "处理售后", "整理客户档案", "统计日报"], kpis=[(shop.sales, 100, 100)])
    )
    new = clean_content(
        good_content(
            shop,
            duties=["回复咨询", "处理售后及投诉", "统计周报与日报", "维护老顾客"],
            kpis=[(shop.sales, 120, 60), (shop.complaints, 5, 40)],
        )
    )
    new["purpose"] = "新的岗位目的"
    result = compare_contents(old, new)
    statuses = [(r.status, r.old, r.new) for r in result.duties]
    assert statuses[0] == ("same", "回复咨询", "回复咨询")
    assert ("changed", "处理售后", "处理售后及投诉") in statuses
    assert ("removed", "整理客户档案", None) in statuses
    assert ("added", None, "维护老顾客") in statuses
    assert [(r.status, r.old) for r in result.kpis] == [("changed", "销售额 (Monthly)"), ("added", None)]
    assert [f.name for f in result.fields] == ["purpose"]
    assert not result.identical and compare_contents(old, old).identical


def test_reordered_sections_show_as_moved_not_removed_and_added(shop):
    content = good_content(shop, duties=["甲", "乙"])
    content["sections"].append(
        {
            "id": None,
            "heading": "第二部分",
            "duties": [
                {"id": None, "text": t, "frequency": None, "standard": "", "weight": None} for t in ("丙", "丁", "戊")
            ],
        }
    )
    old = clean_content(content)
    new = clean_content({**content, "sections": list(reversed(content["sections"]))})
    result = compare_contents(old, new)
    assert "removed" not in result.counts and "added" not in result.counts
    assert result.counts.get("moved", 0) >= 2 and not result.identical
